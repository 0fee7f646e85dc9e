// Folding ranges: multi-line objects, arrays and block comments, in lines.
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { VipDocument } from '../schema/document';
import { lineAt, lineStarts } from './lines';

export interface FoldingRegion {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

const MAX_REGIONS = 5000;

export function foldingRegions(doc: VipDocument): FoldingRegion[] {
  const text = doc.text;
  const lines = lineStarts(text);
  const lineOf = (offset: number) => lineAt(lines, offset);
  const regions: FoldingRegion[] = [];
  const open: number[] = [];
  const scanner = createScanner(text, false);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF && regions.length < MAX_REGIONS; token = scanner.scan()) {
    const offset = scanner.getTokenOffset();
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      open.push(lineOf(offset));
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      const start = open.pop();
      // The closing bracket's line stays visible.
      const end = lineOf(offset) - 1;
      if (start !== undefined && end > start) regions.push({ startLine: start, endLine: end });
    } else if (token === SyntaxKind.BlockCommentTrivia) {
      const start = lineOf(offset);
      const end = lineOf(offset + scanner.getTokenLength());
      if (end > start) regions.push({ startLine: start, endLine: end, kind: 'comment' });
    }
  }
  return regions.sort((a, b) => a.startLine - b.startLine);
}
