// Formatting with jsonc-parser's formatter: whole document or a range, editor indentation honoured.
import { format, type Edit } from 'jsonc-parser';
import type { Span } from './types';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  insertFinalNewline?: boolean;
}

export function formatEdits(text: string, options: FormatOptions, range?: Span): Edit[] {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const tabSize = Number.isInteger(options.tabSize) && options.tabSize > 0 && options.tabSize <= 16 ? options.tabSize : 2;
  const clamped = range && { offset: clamp(range.offset, text), length: clamp(range.offset + range.length, text) - clamp(range.offset, text) };
  return format(text, clamped, { tabSize, insertSpaces: options.insertSpaces !== false, eol, insertFinalNewline: !!options.insertFinalNewline && !range });
}

function clamp(offset: number, text: string): number {
  return Math.max(0, Math.min(offset, text.length));
}
