// textDocument/formatting and rangeFormatting with jsonc-parser's formatter, within the engine's
// budget: a document too deep or too large to format gets no edits, one log line and one message.
import {
  MessageType,
  ShowMessageNotification,
  TextEdit,
  type Connection,
  type DocumentFormattingParams,
  type DocumentRangeFormattingParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatEdits } from '../../../core/engine';
import { toRange } from '../convert';

export function formatting(
  params: DocumentFormattingParams | DocumentRangeFormattingParams,
  documents: TextDocuments<TextDocument>,
  connection: Connection,
): TextEdit[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const range =
    'range' in params
      ? {
          offset: doc.offsetAt(params.range.start),
          length: doc.offsetAt(params.range.end) - doc.offsetAt(params.range.start),
        }
      : undefined;
  const { tabSize, insertSpaces, insertFinalNewline } = params.options;
  const result = formatEdits(doc.getText(), { tabSize, insertSpaces, insertFinalNewline }, range);
  if (result.refused) {
    const message = `The document was not formatted: ${result.refused}.`;
    connection.console.warn(`Formatting ${doc.uri} skipped: ${result.refused}.`);
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
    return [];
  }
  return result.edits.map((e) => TextEdit.replace(toRange(doc, e), e.content));
}
