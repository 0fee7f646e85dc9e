// Smart selection: from the string contents outwards through value, property, object… to the document.
import { findNodeAtOffset } from 'jsonc-parser';
import type { VipDocument } from '../schema/document';
import { MAX_NESTING } from './limits';
import type { Span } from './types';

/** Spans around `offset`, innermost first, each containing the previous one; at most MAX_NESTING and the document. */
export function selectionSpans(doc: VipDocument, offset: number): Span[] {
  const tree = doc.tree;
  const spans: Span[] = [];
  const push = (span: Span) => {
    const last = spans[spans.length - 1];
    if (!last || span.offset < last.offset || span.length > last.length) spans.push(span);
  };
  if (tree) {
    let node = findNodeAtOffset(tree, offset, true);
    if (node?.type === 'string' && offset > node.offset && offset < node.offset + node.length && node.length >= 2) {
      push({ offset: node.offset + 1, length: node.length - 2 });
    }
    for (; node && spans.length < MAX_NESTING; node = node.parent) push({ offset: node.offset, length: node.length });
  }
  push({ offset: 0, length: doc.text.length });
  return spans;
}
