// Completion in a flow file: inside an inline `send` the engine's (operation keys, fields, values,
// offsets mapped); elsewhere reason codes in `expect.reasonCode`, response dot paths for
// `expect.fields` and `capture`, request fields under `with`, and the variables known at a `${`.
import { getLocation, type JSONPath, type Location } from 'jsonc-parser';
import { documentKey, getSchema, reasonCodes, type JsonSchema } from '../data/catalog';
import { completionsAt, reasonCodeHover, type CompletionProposal, type EngineContext, type Span } from '../engine';
import { propertiesOf, resolve, schemaAt } from '../schema/schemaWalk';
import { isReasonCodePath, requestAt, requestFileOperation } from './assist';
import { stepNodes, type InlineRequest } from './checkInline';
import { captureNames, initialNames, resultShape, type ResultShape } from './checkRefs';
import type { FlowCheck } from './checkText';

/** Built-in placeholders (docs/flows.md). */
const BUILT_INS = ['$requestId', '$now', 'env:'];
/** How deep response and request dot paths are proposed, and how many at most. */
const PATH_DEPTH = 3;
const MAX_PATHS = 500;

export function flowCompletionsAt(
  check: FlowCheck,
  text: string,
  offset: number,
  ctx: EngineContext,
): CompletionProposal[] {
  // No tree: too deep or too large to be a flow (getLocation would scan it all, or recurse too far).
  if (!check.root) return [];
  const inline = requestAt(check.requests, offset);
  if (inline && offset > inline.base && offset < inline.base + inline.doc.text.length)
    return inlineCompletions(inline, offset, ctx);
  const location = getLocation(text, offset);
  const token = stringAround(location, offset);
  const variables = token ? variableCompletions(check, location.path, text, token, offset) : undefined;
  if (variables) return variables;
  const at = location.path;
  const step = at[0] === 'steps' && typeof at[1] === 'number' ? stepNodes(check.root)[at[1]] : undefined;
  if (!step) return [];
  const replace = token ?? { offset, length: 0 };
  if (!location.isAtPropertyKey && isReasonCodePath(at)) return reasonCodeProposals(replace);
  const inStep = at.slice(2);
  const key = location.isAtPropertyKey;
  const readsResult =
    (key && inStep.length === 3 && inStep[0] === 'expect' && inStep[1] === 'fields') ||
    (key && inStep.length === 4 && inStep[0] === 'retry' && inStep[2] === 'fields') ||
    (!key && inStep.length === 2 && inStep[0] === 'capture');
  if (readsResult) return pathProposals(resultPaths(resultShape(step, check.file)), replace);
  if (key && inStep.length === 2 && inStep[0] === 'with') {
    const operation = requestFileOperation(step, check.file);
    const body = operation ? schemaAt(getSchema(operation, 'request'), [documentKey(operation, 'request')]) : undefined;
    return body ? pathProposals(dotPaths(body, '', PATH_DEPTH, []), replace) : [];
  }
  return [];
}

/** The engine's completion inside the inline document; a step sends requests, so no response keys. */
function inlineCompletions(inline: InlineRequest, offset: number, ctx: EngineContext): CompletionProposal[] {
  const shift = (s: Span): Span => ({ ...s, offset: s.offset + inline.base });
  return completionsAt(inline.doc, offset - inline.base, ctx)
    .filter((p) => !(p.kind === 'operation' && p.label.endsWith('Response')))
    .map((p) => ({
      ...p,
      replace: shift(p.replace),
      additionalEdits: p.additionalEdits?.map((e) => ({ ...e, offset: e.offset + inline.base })),
    }));
}

/** The string token the cursor is in, quotes included. */
function stringAround(location: Location, offset: number): Span | undefined {
  const prev = location.previousNode;
  if (!prev || (prev.type !== 'string' && prev.type !== 'property')) return undefined;
  return offset > prev.offset && offset <= prev.offset + prev.length
    ? { offset: prev.offset, length: prev.length }
    : undefined;
}

/** After an unclosed `${` in a string: the flow's variables known at this step, and the built-ins. */
function variableCompletions(
  check: FlowCheck,
  at: JSONPath,
  text: string,
  token: Span,
  offset: number,
): CompletionProposal[] | undefined {
  const open = /\$\{([^}]*)$/.exec(text.slice(token.offset + 1, offset));
  if (!open || !check.root) return undefined;
  const names = initialNames(check.root);
  const steps = stepNodes(check.root);
  const index = at[0] === 'steps' && typeof at[1] === 'number' ? at[1] : steps.length;
  for (const step of steps.slice(0, index)) for (const name of captureNames(step)) names.add(name);
  const close = text[offset] === '}' ? '' : '}';
  const replace = { offset: offset - open[1].length, length: open[1].length };
  return [...names, ...BUILT_INS].map((name, i) => ({
    label: name,
    kind: 'variable' as const,
    detail: BUILT_INS.includes(name) ? 'built-in' : 'variable',
    insertText: name.endsWith(':') ? name : name + close,
    snippet: false,
    replace,
    sortText: String(i).padStart(3, '0'),
  }));
}

function reasonCodeProposals(replace: Span): CompletionProposal[] {
  return reasonCodes.map((rc, i) => ({
    label: rc.code,
    kind: 'reasonCode' as const,
    detail: rc.message,
    documentation: reasonCodeHover(rc.code),
    insertText: JSON.stringify(rc.code),
    snippet: false,
    replace,
    filterText: replace.length ? JSON.stringify(rc.code) : rc.code,
    sortText: String(i).padStart(3, '0'),
  }));
}

function pathProposals(paths: string[], replace: Span): CompletionProposal[] {
  return paths.map((p, i) => ({
    label: p,
    kind: 'field' as const,
    insertText: JSON.stringify(p),
    snippet: false,
    replace,
    filterText: replace.length ? JSON.stringify(p) : p,
    sortText: String(i).padStart(3, '0'),
  }));
}

/** The dot paths a step's result has: its response body's (inside `<Operation>Response`), or a simulator answer's keys. */
function resultPaths(shape: ResultShape | undefined): string[] {
  if (!shape) return [];
  if (shape.kind === 'simulator') return shape.keys;
  const name = shape.operation.name;
  return dotPaths(schemaAt(getSchema(name, 'response'), [documentKey(name, 'response')]), '', PATH_DEPTH, []);
}

function dotPaths(schema: JsonSchema | undefined, prefix: string, depth: number, out: string[]): string[] {
  for (const [name, child] of Object.entries(propertiesOf(schema))) {
    if (out.length >= MAX_PATHS) break;
    out.push(prefix + name);
    const s = resolve(child);
    if (depth <= 1 || !s) continue;
    if (s.items) dotPaths(resolve(s.items as JsonSchema), `${prefix}${name}.0.`, depth - 1, out);
    else dotPaths(s, `${prefix}${name}.`, depth - 1, out);
  }
  return out;
}
