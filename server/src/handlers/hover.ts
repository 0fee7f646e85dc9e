import { MarkupKind, type Hover, type HoverParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverAt } from '../../../core/engine';
import { toRange } from '../convert';
import { isFlowDocument, type DocumentCache } from '../documentCache';
import { flowHoverAt } from '../../../core/flows/editor';

export function hover(params: HoverParams, documents: TextDocuments<TextDocument>, cache: DocumentCache): Hover | null {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const { line, character } = params.position;
  if (line < 0 || character < 0 || line >= doc.lineCount) return null;
  const offset = doc.offsetAt(params.position);
  const result = isFlowDocument(doc) ? flowHoverAt(cache.flow(doc), offset) : hoverAt(cache.get(doc), offset);
  if (!result) return null;
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(doc, result) };
}
