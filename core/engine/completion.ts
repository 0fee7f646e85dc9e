// Completion at a position: operation keys with skeletons at the root, the fields an operation
// still lacks inside it, and values (enums, booleans, versions, dates, reason codes) after a colon.
// jsonc-parser's getLocation reads the path even in incomplete text, so this works while typing.
import {
  createScanner,
  findNodeAtOffset,
  getLocation,
  getNodePath,
  SyntaxKind,
  type Edit,
  type Location,
} from 'jsonc-parser';
import { allDocumentKeys, getSchema, operationForKey, type JsonSchema } from '../data/catalog';
import type { VipDocument } from '../schema/document';
import { operationHover } from './hover';
import { descriptionOf, propertiesOf, requiredOf, resolve, schemaAt, typeLabel } from '../schema/schemaWalk';
import { escapeSnippet, fieldSnippet, operationSnippet, TabStops, valueSnippet } from './skeleton';
import type { EngineContext, JsonPath, Span } from './types';
import { valueChoices } from './values';

/** `variable`: a flow's `${name}` (core/flows). */
export type CompletionKind = 'operation' | 'field' | 'value' | 'reasonCode' | 'variable';

export interface CompletionProposal {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  snippet: boolean;
  /** The text the proposal replaces (the partly typed word or string). */
  replace: Span;
  filterText?: string;
  sortText: string;
  preselect?: boolean;
  deprecated?: boolean;
  /** E.g. the comma a missing separator needs, placed after the previous value. */
  additionalEdits?: Edit[];
}

/** Characters of a bare word being typed outside quotes (e.g. `Reas` or `tru`). */
const WORD = /[A-Za-z0-9_.-]/;
/** The last character of a value after which a new property needs a comma. */
const VALUE_END = /["}\]0-9el]/;
/** The `Id` alias of `RequestId` is accepted but never proposed. */
const NOT_PROPOSED = new Set(['Id']);

export function completionsAt(doc: VipDocument, offset: number, ctx: EngineContext): CompletionProposal[] {
  const text = doc.text;
  const at = Math.max(0, Math.min(offset, text.length));
  // Strict JSON has no comments: no need to scan for one.
  if (!doc.strictJson && inComment(text, at)) return [];
  let location: Location;
  try {
    location = locationAt(doc, at);
  } catch {
    return []; // absurd nesting
  }
  const prev = location.previousNode;
  const prevEnd = prev ? prev.offset + prev.length : -1;
  const prevIsString = prev?.type === 'string' || prev?.type === 'property';
  const terminated = !!prev && prevIsString && isTerminatedString(text, prev.offset, prevEnd);
  const inPrev =
    !!prev && at > prev.offset && (at < prevEnd || (at === prevEnd && (!terminated || location.isAtPropertyKey)));

  if (location.isAtPropertyKey || (prev && !inPrev && at >= prevEnd)) {
    // A property name: either at a key, or after a complete value (a comma is then missing).
    const objectPath = location.path.slice(0, -1);
    const replace = inPrev
      ? { offset: prev.offset, length: (terminated ? prevEnd : at) - prev.offset }
      : wordBefore(text, at);
    return propertyProposals(doc, objectPath, replace, ctx);
  }
  if (location.path.length === 0) {
    return propertyProposals(doc, [], wordBefore(text, at), ctx, true);
  }
  const replace = inPrev
    ? { offset: prev.offset, length: (prevIsString && !terminated ? at : prevEnd) - prev.offset }
    : wordBefore(text, at);
  return valueProposals(doc, location.path, replace, ctx);
}

/** Documents up to this size are scanned from the start; larger ones only around the position. */
const LOCAL_SCAN_THRESHOLD = 8 * 1024;

/**
 * getLocation scans from the start of the text to the offset. In a large document that is parsed
 * already (the tree is cached per version), scan only the innermost object or array around the
 * offset and prefix its path: completion stays fast wherever the cursor is.
 */
function locationAt(doc: VipDocument, at: number): Location {
  const tree = doc.text.length > LOCAL_SCAN_THRESHOLD && doc.strictJson ? doc.tree : undefined;
  let node = tree ? findNodeAtOffset(tree, at, true) : undefined;
  while (node && !(node.type === 'object' || node.type === 'array')) node = node.parent;
  if (!node || node === tree) return getLocation(doc.text, at);
  const base = node.offset;
  const inner = getLocation(doc.text.slice(base, base + node.length), at - base);
  const prefix = getNodePath(node);
  const prev = inner.previousNode;
  return {
    ...inner,
    path: [...prefix, ...inner.path],
    previousNode: prev ? { ...prev, offset: prev.offset + base } : undefined,
    matches: (patterns) => inner.matches(patterns.slice(prefix.length)),
  };
}

/** How a property name is inserted at the position, shared by operation keys and fields. */
interface KeyInsertion {
  /** A colon follows already: insert the quoted key only, not a snippet with its value. */
  keyOnly: boolean;
  /** The comma a following property needs, if one follows. */
  comma: string;
  /** The replaced text starts with a quote, so proposals filter on the quoted name. */
  quoted: boolean;
  common: Pick<CompletionProposal, 'replace' | 'additionalEdits' | 'snippet'>;
}

function propertyProposals(
  doc: VipDocument,
  objectPath: JsonPath,
  replace: Span,
  ctx: EngineContext,
  wholeDocument = false,
): CompletionProposal[] {
  const text = doc.text;
  const end = replace.offset + replace.length;
  const keyOnly = nextSignificant(text, end) === ':';
  const comma = !keyOnly && nextSignificant(text, end) === '"' ? ',' : '';
  const additionalEdits = leadingComma(text, replace.offset);
  const quoted = text[replace.offset] === '"';
  const insertion: KeyInsertion = { keyOnly, comma, quoted, common: { replace, additionalEdits, snippet: !keyOnly } };
  if (objectPath.length === 0) return operationKeyProposals(doc, replace, ctx, insertion, wholeDocument);
  return fieldProposals(doc, objectPath, replace, ctx, insertion);
}

/** At the root: every operation key, with its skeleton, unless the document has its one key already. */
function operationKeyProposals(
  doc: VipDocument,
  replace: Span,
  ctx: EngineContext,
  { keyOnly, comma, quoted, common }: KeyInsertion,
  wholeDocument: boolean,
): CompletionProposal[] {
  // A VIP document has one key: once it has one, a second would only be an error.
  if (presentKeys(doc, [], replace).size > 0) return [];
  const ctxValues: EngineContext = { now: ctx.now, supportedVersions: ctx.supportedVersions };
  return allDocumentKeys().map((key, i) => {
    const { operation, kind } = operationForKey(key)!;
    const insert = keyOnly ? `"${key}"` : operationSnippet(operation.name, kind, ctxValues, { wholeDocument }) + comma;
    return {
      ...common,
      label: key,
      kind: 'operation' as const,
      detail: operation.summary,
      documentation: operationHover(operation, kind),
      insertText: insert,
      filterText: quoted ? `"${key}"` : key,
      // Requests before responses, common operations first, then catalog order.
      sortText: `${kind === 'request' ? 0 : 1}${operation.common ? 0 : 1}${String(i).padStart(3, '0')}`,
    };
  });
}

/** Inside an operation's object: the fields its schema allows that are not there yet, required first. */
function fieldProposals(
  doc: VipDocument,
  objectPath: JsonPath,
  replace: Span,
  ctx: EngineContext,
  { keyOnly, comma, quoted, common }: KeyInsertion,
): CompletionProposal[] {
  const found = typeof objectPath[0] === 'string' ? operationForKey(objectPath[0]) : undefined;
  if (!found) return [];
  const objectSchema = schemaAt(getSchema(found.operation.name, found.kind), objectPath);
  if (resolve(objectSchema)?.type === 'array') return [];
  const properties = propertiesOf(objectSchema);
  const required = requiredOf(objectSchema);
  const present = presentKeys(doc, objectPath, replace);
  const ctxValues: EngineContext = { ...ctx, operation: found.operation };
  return Object.entries(properties)
    .filter(([name]) => !present.has(name) && !NOT_PROPOSED.has(name))
    .map(([name, schema], i) => {
      const isRequired = required.includes(name);
      const s = resolve(schema);
      return {
        ...common,
        label: name,
        kind: 'field' as const,
        detail: `${typeLabel(schema)}${isRequired ? ' · required' : ''}`,
        documentation: descriptionOf(schema),
        insertText: keyOnly
          ? `"${escapeSnippet(name)}"`
          : fieldSnippet(name, schema, ctxValues, new TabStops()) + comma,
        filterText: quoted ? `"${name}"` : name,
        sortText: `${isRequired ? 0 : 1}${String(i).padStart(3, '0')}`,
        deprecated: typeof s?.deprecationMessage === 'string',
      };
    });
}

function valueProposals(doc: VipDocument, path: JsonPath, replace: Span, ctx: EngineContext): CompletionProposal[] {
  const found = typeof path[0] === 'string' ? operationForKey(path[0]) : undefined;
  if (!found) return [];
  const schema = schemaAt(getSchema(found.operation.name, found.kind), path);
  if (!schema) return [];
  const name = [...path].reverse().find((s) => typeof s === 'string');
  const ctxValues: EngineContext = { ...ctx, operation: found.operation };
  const comma = nextSignificant(doc.text, replace.offset + replace.length) === '"' ? ',' : '';
  const quoted = doc.text[replace.offset] === '"';
  // Right after the colon (the trigger character), keep the usual `"Key": value` spacing.
  const space = replace.length === 0 && doc.text[replace.offset - 1] === ':' ? ' ' : '';
  const choices = valueChoices(typeof path[path.length - 1] === 'number' ? undefined : name, schema, ctxValues);
  const proposals: CompletionProposal[] = choices.map((choice, i) => {
    const json = JSON.stringify(choice.value);
    return {
      label: json,
      kind: name === 'ReasonCode' ? ('reasonCode' as const) : ('value' as const),
      detail: choice.detail,
      documentation: choice.description,
      insertText: space + json + comma,
      snippet: false,
      replace,
      filterText: quoted || typeof choice.value !== 'string' ? json : String(choice.value),
      sortText: String(i).padStart(3, '0'),
      preselect: choice.preferred,
    };
  });
  const s = resolve(schema);
  const types = (Array.isArray(s?.type) ? s.type : [s?.type]) as unknown[];
  if (!proposals.length && (types.includes('object') || types.includes('array')) && replace.length === 0) {
    const isObject = types[0] === 'object' || !types.includes('array');
    proposals.push({
      label: isObject ? '{…}' : '[…]',
      kind: 'value',
      detail: typeLabel(schema),
      documentation: descriptionOf(schema),
      insertText:
        space +
        valueSnippet(name, isObject ? objectForm(s) : { ...s, type: 'array' }, ctxValues, new TabStops()) +
        comma,
      snippet: true,
      replace,
      sortText: '000',
    });
  }
  return proposals;
}

/** The object alternative of a `string | object` schema (TokenId keeps it under `else`). */
function objectForm(schema: JsonSchema | undefined): JsonSchema {
  const alt = schema?.else as JsonSchema | undefined;
  return { ...(alt && typeof alt === 'object' ? alt : schema), type: 'object' };
}

/** Keys already in the object at `objectPath`, except the one being typed. */
function presentKeys(doc: VipDocument, objectPath: JsonPath, replace: Span): Set<string> {
  const node = doc.nodeAt(objectPath);
  const keys = new Set<string>();
  if (node?.type !== 'object') return keys;
  for (const property of node.children ?? []) {
    const key = property.children?.[0];
    if (key && key.offset !== replace.offset && typeof key.value === 'string') keys.add(key.value);
  }
  return keys;
}

/** True inside a `//` or block comment (where nothing is proposed). */
function inComment(text: string, offset: number): boolean {
  const scanner = createScanner(text, false);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    const start = scanner.getTokenOffset();
    if (start >= offset) return false;
    if (
      (token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia) &&
      offset <= start + scanner.getTokenLength()
    ) {
      // The end of a closed block comment is outside it.
      return !(
        token === SyntaxKind.BlockCommentTrivia &&
        offset === start + scanner.getTokenLength() &&
        text.startsWith('*/', offset - 2)
      );
    }
  }
  return false;
}

function isTerminatedString(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text[end - 1] !== '"') return false;
  let backslashes = 0;
  for (let i = end - 2; i > start && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

function wordBefore(text: string, offset: number): Span {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  return { offset: start, length: offset - start };
}

function nextSignificant(text: string, offset: number): string | undefined {
  const m = /\S/.exec(text.slice(offset, offset + 2000));
  return m?.[0];
}

/** A comma after the previous value when a property is inserted right after it without one. */
function leadingComma(text: string, offset: number): Edit[] | undefined {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (i < 0 || !VALUE_END.test(text[i])) return undefined;
  return [{ offset: i + 1, length: 0, content: ',' }];
}
