// textDocument/completion over the engine's completionsAt.
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  TextEdit,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionsAt, snippetToText, type CompletionKind } from '../../../core/engine';
import { toRange } from '../convert';
import { isFlowDocument, type DocumentCache } from '../documentCache';
import { flowCompletionsAt } from '../../../core/flows/editor';
import type { SettingsStore } from '../settings';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  operation: CompletionItemKind.Module,
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  reasonCode: CompletionItemKind.Constant,
  variable: CompletionItemKind.Variable,
};

export async function completion(
  params: CompletionParams,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
  settings: SettingsStore,
  snippetSupport: boolean,
): Promise<CompletionList | null> {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  // `{` triggers the variables of a flow's `${`; a VIP document keeps its usual triggers.
  if (params.context?.triggerCharacter === '{' && !isFlowDocument(doc)) return null;
  const { supportedVersions } = await settings.get();
  const offset = doc.offsetAt(params.position);
  const ctx = { now: new Date(), supportedVersions };
  const proposals = isFlowDocument(doc)
    ? flowCompletionsAt(cache.flow(doc, supportedVersions), doc.getText(), offset, ctx)
    : completionsAt(cache.get(doc), offset, ctx);
  const items = proposals.map((p): CompletionItem => {
    const snippet = p.snippet && snippetSupport;
    const text = p.snippet && !snippetSupport ? snippetToText(p.insertText) : p.insertText;
    return {
      label: p.label,
      kind: KIND[p.kind],
      detail: p.detail,
      documentation: p.documentation ? { kind: MarkupKind.Markdown, value: p.documentation } : undefined,
      textEdit: TextEdit.replace(toRange(doc, p.replace), text),
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      filterText: p.filterText,
      sortText: p.sortText,
      preselect: p.preselect || undefined,
      tags: p.deprecated ? [CompletionItemTag.Deprecated] : undefined,
      additionalTextEdits: p.additionalEdits?.map((e) => TextEdit.replace(toRange(doc, e), e.content)),
    };
  });
  return { isIncomplete: false, items };
}
