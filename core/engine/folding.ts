// Folding ranges: multi-line objects, arrays and block comments, in lines.
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { VipDocument } from './document';

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

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */ && text.charCodeAt(i + 1) === 10) continue;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

export function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
