// Formatting with jsonc-parser's formatter: whole document or a range, editor indentation honoured,
// within a budget. The formatter writes each line's indentation afresh, so its output (and memory)
// grows with depth × lines: 90 000 nested `[` take it past 4 GB. A cheap scan first estimates the
// depth and the size of the result; past either bound nothing is formatted and the caller is told why.
import { createScanner, format, SyntaxKind, type Edit } from 'jsonc-parser';
import { MAX_NESTING } from './limits';
import type { Span } from './types';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  insertFinalNewline?: boolean;
}

export interface FormatResult {
  edits: Edit[];
  /** Set when nothing was formatted because the result would exceed the budget: says why. */
  refused?: string;
}

/** The formatted text may be at most this many times the formatted span, plus FORMAT_SLACK. */
const MAX_FORMAT_GROWTH = 16;
const FORMAT_SLACK = 1024 * 1024;

export function formatEdits(text: string, options: FormatOptions, range?: Span): FormatResult {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const tabSize =
    Number.isInteger(options.tabSize) && options.tabSize > 0 && options.tabSize <= 16 ? options.tabSize : 2;
  const insertSpaces = options.insertSpaces !== false;
  const span = range
    ? {
        offset: clamp(range.offset, text),
        length: clamp(range.offset + range.length, text) - clamp(range.offset, text),
      }
    : { offset: 0, length: text.length };
  const refused = overBudget(text, span, { indentWidth: insertSpaces ? tabSize : 1, eolLength: eol.length });
  if (refused) return { edits: [], refused };
  return {
    edits: format(text, range && span, {
      tabSize,
      insertSpaces,
      eol,
      insertFinalNewline: !!options.insertFinalNewline && !range,
    }),
  };
}

/**
 * Why formatting `span` of `text` would exceed the budget, or undefined when it would not. One scan:
 * the nesting depth reached inside the span, and the formatted size estimated as the formatter
 * builds it (a line break and the indentation of its depth after every bracket and comma).
 */
function overBudget(text: string, span: Span, unit: { indentWidth: number; eolLength: number }): string | undefined {
  const end = span.offset + span.length;
  const scanner = createScanner(text, false);
  let depth = 0;
  let deepest = 0;
  let estimate = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    const offset = scanner.getTokenOffset();
    if (offset >= end) break;
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) depth++;
    else if ((token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) && depth > 0) depth--;
    if (offset < span.offset || token === SyntaxKind.Trivia || token === SyntaxKind.LineBreakTrivia) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING) return `it is nested more than ${MAX_NESTING} levels deep`;
    estimate += scanner.getTokenLength() + (breaksLine(token) ? unit.eolLength + unit.indentWidth * depth : 1);
  }
  const limit = MAX_FORMAT_GROWTH * span.length + FORMAT_SLACK;
  if (estimate > limit)
    return `the formatted text would be about ${Math.round(estimate / 1024)} KB, more than ${MAX_FORMAT_GROWTH} times the ${Math.round(span.length / 1024)} KB formatted`;
  return undefined;
}

function breaksLine(token: SyntaxKind): boolean {
  return (
    token === SyntaxKind.OpenBraceToken ||
    token === SyntaxKind.OpenBracketToken ||
    token === SyntaxKind.CloseBraceToken ||
    token === SyntaxKind.CloseBracketToken ||
    token === SyntaxKind.CommaToken ||
    token === SyntaxKind.LineCommentTrivia ||
    token === SyntaxKind.BlockCommentTrivia
  );
}

function clamp(offset: number, text: string): number {
  return Math.max(0, Math.min(offset, text.length));
}
