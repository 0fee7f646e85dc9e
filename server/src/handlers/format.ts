// textDocument/formatting and rangeFormatting with jsonc-parser's formatter.
import { TextEdit, type DocumentFormattingParams, type DocumentRangeFormattingParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatEdits } from '../../../core/engine/format';
import { toRange } from '../convert';

export function formatting(params: DocumentFormattingParams | DocumentRangeFormattingParams, documents: TextDocuments<TextDocument>): TextEdit[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const range = 'range' in params ? { offset: doc.offsetAt(params.range.start), length: doc.offsetAt(params.range.end) - doc.offsetAt(params.range.start) } : undefined;
  const { tabSize, insertSpaces, insertFinalNewline } = params.options;
  return formatEdits(doc.getText(), { tabSize, insertSpaces, insertFinalNewline }, range).map((e) => TextEdit.replace(toRange(doc, e), e.content));
}
