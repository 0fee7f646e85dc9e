// Document symbols, folding ranges and selection ranges: the structure of a VIP document.
import {
  FoldingRangeKind,
  SelectionRange,
  SymbolKind,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type FoldingRange,
  type FoldingRangeParams,
  type SelectionRangeParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  documentSymbols,
  foldingRegions,
  selectionSpans,
  type OutlineSymbol,
  type SymbolKindName,
} from '../../../core/engine';
import { toRange } from '../convert';
import type { DocumentCache } from '../documentCache';

const KIND: Record<SymbolKindName, SymbolKind> = {
  operation: SymbolKind.Module,
  object: SymbolKind.Object,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

export function symbols(
  params: DocumentSymbolParams,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
): DocumentSymbol[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const convert = (s: OutlineSymbol): DocumentSymbol => ({
    name: s.name || '""',
    detail: s.detail,
    kind: KIND[s.kind],
    range: toRange(doc, s.range),
    selectionRange: toRange(doc, s.selection),
    children: s.children.map(convert),
  });
  return documentSymbols(cache.get(doc)).map(convert);
}

export function folding(
  params: FoldingRangeParams,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
): FoldingRange[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  return foldingRegions(cache.get(doc)).map((r) => ({
    startLine: r.startLine,
    endLine: r.endLine,
    kind: r.kind === 'comment' ? FoldingRangeKind.Comment : undefined,
  }));
}

export function selectionRanges(
  params: SelectionRangeParams,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
): SelectionRange[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const vip = cache.get(doc);
  return params.positions.map((position) => {
    const spans = selectionSpans(vip, doc.offsetAt(position));
    let range: SelectionRange | undefined;
    for (const span of [...spans].reverse()) range = SelectionRange.create(toRange(doc, span), range);
    return range!;
  });
}
