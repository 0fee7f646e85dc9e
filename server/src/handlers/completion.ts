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
import type { DocumentCache } from '../documentCache';
import type { SettingsStore } from '../settings';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  operation: CompletionItemKind.Module,
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  reasonCode: CompletionItemKind.Constant,
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
  const { supportedVersions } = await settings.get();
  const proposals = completionsAt(cache.get(doc), doc.offsetAt(params.position), {
    now: new Date(),
    supportedVersions,
  });
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
