import { MarkupKind, type Hover, type HoverParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverAt } from '../../../core/engine';
import { toRange } from '../convert';
import type { DocumentCache } from '../documentCache';

export function hover(params: HoverParams, documents: TextDocuments<TextDocument>, cache: DocumentCache): Hover | null {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const { line, character } = params.position;
  if (line < 0 || character < 0 || line >= doc.lineCount) return null;
  const result = hoverAt(cache.get(doc), doc.offsetAt(params.position));
  if (!result) return null;
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(doc, result) };
}
