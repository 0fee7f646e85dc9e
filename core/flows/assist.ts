// Hover and completion in a flow file, over its check (./checkText): inside an inline `send` the
// engine's own, as in a *.vip.json file (offsets mapped); elsewhere what a flow refers to: reason
// codes in `expect`, request fields under `with`, response dot paths in `expect.fields` and
// `capture`, and the variables known at a `${`.
import * as path from 'node:path';
import { findNodeAtOffset, getNodePath, type JSONPath, type Node } from 'jsonc-parser';
import { documentKey, operationForKey, type DocumentKind } from '../data/catalog';
import { fieldHoverMarkdown, hoverAt, reasonCodeHover, type HoverResult } from '../engine';
import { readRequestValue, stepNodes, type InlineRequest } from './checkInline';
import { resultShape } from './checkRefs';
import { jsonPathOf } from './paths';
import type { FlowCheck } from './checkText';

/** The inline `send` document of a flow that holds `offset`. */
export function requestAt(requests: InlineRequest[], offset: number): InlineRequest | undefined {
  return requests.find((r) => offset >= r.base && offset <= r.base + r.doc.text.length);
}

const CODE = /^[0-9a-fA-F]{4}$/;

export function flowHoverAt(check: FlowCheck, offset: number): HoverResult | undefined {
  const inline = requestAt(check.requests, offset);
  if (inline) {
    const found = hoverAt(inline.doc, offset - inline.base);
    return found ? { ...found, offset: found.offset + inline.base } : undefined;
  }
  const node = check.root ? findNodeAtOffset(check.root, offset) : undefined;
  if (!node || !check.root) return undefined;
  const at = getNodePath(node);
  const span = { offset: node.offset, length: node.length };
  if (isReasonCodePath(at) && typeof node.value === 'string' && CODE.test(node.value))
    return { ...span, markdown: reasonCodeHover(node.value) };
  const step = typeof at[1] === 'number' && at[0] === 'steps' ? stepNodes(check.root)[at[1]] : undefined;
  const field = step ? referencedField(step, at.slice(2), check.file) : undefined;
  const markdown = field ? fieldHoverMarkdown(field.operation, field.kind, field.path) : '';
  return markdown ? { ...span, markdown } : undefined;
}

/** `expect.reasonCode` and `retry.until.reasonCode`, one code or an item of a list. */
export function isReasonCodePath(at: JSONPath): boolean {
  const i = at.indexOf('reasonCode');
  return at[0] === 'steps' && i > 0 && (at[i - 1] === 'expect' || at[i - 1] === 'until') && at.length <= i + 2;
}

/** The request field a `with` entry sets, or the response field an `expect.fields`/`capture` entry reads. */
function referencedField(
  step: Node,
  inStep: JSONPath,
  flowFile: string | undefined,
): { operation: string; kind: DocumentKind; path: JSONPath } | undefined {
  const [part, key, ...rest] = inStep;
  if (part === 'with' && typeof key === 'string') {
    const operation = requestFileOperation(step, flowFile);
    return operation
      ? { operation, kind: 'request', path: [documentKey(operation, 'request'), ...jsonPathOf(key), ...rest] }
      : undefined;
  }
  const dotPath = dotPathAt(step, inStep);
  const shape = dotPath === undefined ? undefined : resultShape(step, flowFile);
  if (shape?.kind !== 'response') return undefined;
  const name = shape.operation.name;
  return { operation: name, kind: 'response', path: [documentKey(name, 'response'), ...jsonPathOf(dotPath!)] };
}

/** The dot path written at `inStep`: a key of expect.fields (or retry.until.fields), or a capture's value. */
export function dotPathAt(step: Node, inStep: JSONPath): string | undefined {
  const fields =
    (inStep[0] === 'expect' && inStep[1] === 'fields' && inStep.length === 3) ||
    (inStep[0] === 'retry' && inStep[2] === 'fields' && inStep.length === 4);
  if (fields) return String(inStep[inStep.length - 1]);
  if (inStep[0] === 'capture' && inStep.length === 2) {
    const value = step.children
      ?.find((p) => p.children?.[0]?.value === 'capture')
      ?.children?.[1]?.children?.find((p) => p.children?.[0]?.value === inStep[1])?.children?.[1]?.value as unknown;
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

export function requestFileOperation(step: Node, flowFile: string | undefined): string | undefined {
  const request = step.children?.find((p) => p.children?.[0]?.value === 'request')?.children?.[1];
  if (!flowFile || request?.type !== 'string') return undefined;
  const value = readRequestValue(path.resolve(path.dirname(flowFile), String(request.value)));
  const found = value ? operationForKey(Object.keys(value)[0] ?? '') : undefined;
  return found?.kind === 'request' ? found.operation.name : undefined;
}
