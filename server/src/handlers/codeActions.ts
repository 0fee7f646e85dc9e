// textDocument/codeAction: quick fixes for the VIP diagnostics in the request, linked to them.
import { CodeActionKind, TextEdit, type CodeAction, type CodeActionParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { quickFixes } from '../../../core/engine/codeActions';
import { toRange } from '../convert';
import type { DocumentCache } from '../documentCache';
import type { SettingsStore } from '../settings';

export async function codeActions(params: CodeActionParams, documents: TextDocuments<TextDocument>, cache: DocumentCache, settings: SettingsStore): Promise<CodeAction[]> {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const { supportedVersions } = await settings.get();
  const vip = cache.get(doc);
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const data = diagnostic.data as { rule?: unknown; path?: unknown } | undefined;
    if (diagnostic.source !== 'vip' || typeof data?.rule !== 'string' || (data.path !== undefined && !Array.isArray(data.path))) continue;
    const { rule, path, ...rest } = data as { rule: string; path?: (string | number)[] };
    const code = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    const finding = { rule, path, code, data: rest, offset: doc.offsetAt(diagnostic.range.start) };
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
