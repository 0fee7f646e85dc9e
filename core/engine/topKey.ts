// The document's top-level key and its span, read with the scanner up to that key only: enough
// for a CodeLens on every keystroke without parsing (or validating) the whole document.
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Span } from './types';

export function topLevelKey(text: string): { key: string; span: Span } | undefined {
  const scanner = createScanner(text, true);
  if (scanner.scan() !== SyntaxKind.OpenBraceToken) return undefined;
  if (scanner.scan() !== SyntaxKind.StringLiteral) return undefined;
  const key = scanner.getTokenValue();
  const span = { offset: scanner.getTokenOffset(), length: scanner.getTokenLength() };
  return scanner.scan() === SyntaxKind.ColonToken ? { key, span } : undefined;
}
