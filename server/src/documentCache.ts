// One parsed VipDocument per open document version, shared by diagnostics and hover.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { VipDocument } from '../../core/engine';

export class DocumentCache {
  private readonly entries = new Map<string, { version: number; doc: VipDocument }>();

  get(doc: TextDocument): VipDocument {
    const entry = this.entries.get(doc.uri);
    if (entry && entry.version === doc.version) return entry.doc;
    const parsed = new VipDocument(doc.getText());
    this.entries.set(doc.uri, { version: doc.version, doc: parsed });
    return parsed;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
