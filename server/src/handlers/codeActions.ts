// textDocument/codeAction: quick fixes for the VIP diagnostics in the request, linked to them.
import {
  CodeActionKind,
  TextEdit,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isRuleId, quickFixes, type FixableFinding, type JsonPath } from '../../../core/engine';
import { toRange, type DiagnosticData } from '../convert';
import { isFlowDocument, type DocumentCache } from '../documentCache';
import { requestAt } from '../../../core/flows/editor';
import type { SettingsStore } from '../settings';

export async function codeActions(
  params: CodeActionParams,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
  settings: SettingsStore,
): Promise<CodeAction[]> {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const { supportedVersions } = await settings.get();
  const ctx = { now: new Date(), supportedVersions };
  const requests = isFlowDocument(doc) ? cache.flow(doc, supportedVersions).requests : undefined;
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const finding = fixableFinding(diagnostic, doc);
    if (!finding) continue;
    // In a flow, the fixes of the inline request the diagnostic is in, its offsets mapped both ways.
    const inline = requests ? requestAt(requests, finding.offset!) : undefined;
    if (requests && !inline) continue;
    const base = inline?.base ?? 0;
    const target = inline ? { ...finding, offset: finding.offset! - base } : finding;
    for (const fix of quickFixes(inline?.doc ?? cache.get(doc), target, ctx)) {
      const edits = fix.edits.map((e) => TextEdit.replace(toRange(doc, { ...e, offset: e.offset + base }), e.content));
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.isPreferred || undefined,
        edit: { changes: { [doc.uri]: edits } },
      });
    }
  }
  return actions;
}

/** The finding a diagnostic of ours stands for; undefined for other sources and malformed data (it comes from the client). */
function fixableFinding(diagnostic: Diagnostic, doc: TextDocument): FixableFinding | undefined {
  const data = diagnostic.data as Partial<Record<keyof DiagnosticData, unknown>> | undefined;
  if (diagnostic.source !== 'vip' || !isRuleId(data?.rule) || (data.path !== undefined && !Array.isArray(data.path)))
    return undefined;
  const code = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
  return {
    rule: data.rule,
    path: data.path as JsonPath | undefined,
    code,
    data: data.data,
    offset: doc.offsetAt(diagnostic.range.start),
  };
}
