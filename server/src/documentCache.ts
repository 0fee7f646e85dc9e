// One parsed VipDocument per open document version, shared by diagnostics and hover; and for flow
// documents (language vip-flow) one flow check per version, shared by diagnostics, hover,
// completion and quick fixes.
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { versions as versionList } from '../../core/data/catalog';
import { VipDocument } from '../../core/engine';
import { checkFlowText, type FlowCheck } from '../../core/flows/editor';

/** The language id of `*.vipflow.json` files (package.json contributes it). */
export const FLOW_LANGUAGE_ID = 'vip-flow';

export function isFlowDocument(doc: TextDocument): boolean {
  return doc.languageId === FLOW_LANGUAGE_ID;
}

/** The path of a `file:` URI (request paths in a flow are relative to it); undefined for unsaved documents. */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined; // a file URI of another platform (e.g. with a host)
  }
}

export class DocumentCache {
  private readonly entries = new Map<string, { version: number; doc: VipDocument }>();
  private readonly flows = new Map<string, { version: number; versions: string; check: FlowCheck }>();

  get(doc: TextDocument): VipDocument {
    const entry = this.entries.get(doc.uri);
    if (entry && entry.version === doc.version) return entry.doc;
    const parsed = new VipDocument(doc.getText());
    this.entries.set(doc.uri, { version: doc.version, doc: parsed });
    return parsed;
  }

  /**
   * The flow check of a vip-flow document; its request files are read from disk (size-capped).
   * Without `supportedVersions` (hover, completion), any check of this version will do.
   */
  flow(doc: TextDocument, supportedVersions?: readonly string[]): FlowCheck {
    const entry = this.flows.get(doc.uri);
    if (entry && entry.version === doc.version && !supportedVersions) return entry.check;
    const versions = (supportedVersions ?? versionList.supported).join(',');
    if (entry && entry.version === doc.version && entry.versions === versions) return entry.check;
    const check = checkFlowText(doc.getText(), filePathOf(doc.uri), { supportedVersions: versions.split(',') });
    this.flows.set(doc.uri, { version: doc.version, versions, check });
    return check;
  }

  /** Forgets every flow check: a request file they may read changed on disk. */
  forgetFlows(): void {
    this.flows.clear();
  }

  delete(uri: string): void {
    this.entries.delete(uri);
    this.flows.delete(uri);
  }
}
