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
import type { DocumentCache } from '../documentCache';
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
  const vip = cache.get(doc);
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const finding = fixableFinding(diagnostic, doc);
    if (!finding) continue;
    for (const fix of quickFixes(vip, finding, { now: new Date(), supportedVersions })) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.isPreferred || undefined,
        edit: { changes: { [doc.uri]: fix.edits.map((e) => TextEdit.replace(toRange(doc, e), e.content)) } },
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
