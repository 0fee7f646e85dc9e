// Flow file text → FlowSpec with positions (jsonc-parser: comments and trailing commas allowed), or
// diagnostics at the offending node: syntax, then the flow schema (schemas/flow.schema.json).
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import {
  createScanner,
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  SyntaxKind,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { lineAt, lineStarts } from '../engine/lines';
import { MAX_NESTING } from '../engine/limits';
import { flowSchemaErrors } from './schema';
import type { CaseSpec, ExpectSpec, FlowDiagnostic, FlowSpec, Position, StepSpec, VarSpec } from './types';

export interface ParsedFlow {
  flow?: FlowSpec;
  diagnostics: FlowDiagnostic[];
  /** Offset → 1-based position, and the tree, for further checks (./check). */
  positionAt: (offset: number) => Position;
  root?: Node;
}

type Segment = string | number;

export function parseFlow(file: string, text: string): ParsedFlow {
  const starts = lineStarts(text);
  const positionAt = (offset: number): Position => {
    const line = lineAt(starts, offset);
    return { line: line + 1, column: offset - starts[line] + 1 };
  };
  const diag = (offset: number, message: string, rule: string): FlowDiagnostic => ({
    file,
    ...positionAt(offset),
    severity: 'error',
    message,
    rule,
  });
  // The parser recurses: a file nested deeper than any flow is refused before it is parsed.
  const tooDeep = nestedBeyond(text, MAX_NESTING);
  if (tooDeep !== undefined)
    return {
      positionAt,
      diagnostics: [
        diag(tooDeep, `The file is nested more than ${MAX_NESTING} levels deep: not a flow.`, 'syntax.depth'),
      ],
    };
  const errors: ParseError[] = [];
  const root = parseTree(text.replace(/^\uFEFF/, ' '), errors, { allowTrailingComma: true });
  if (errors.length)
    return {
      positionAt,
      diagnostics: errors
        .slice(0, 20)
        .map((e) => diag(e.offset, `Not valid JSON: ${printParseErrorCode(e.error)}.`, 'syntax')),
      root,
    };
  if (!root)
    return {
      positionAt,
      diagnostics: [diag(0, 'The file is empty: a flow is a JSON object with "name" and "steps".', 'syntax')],
    };
  const value = getNodeValue(root) as unknown;
  // A name's pattern error repeats its propertyNames error.
  const schemaDiagnostics = flowSchemaErrors(value)
    .filter((e) => !e.schemaPath.includes('/propertyNames/'))
    .flatMap((e) => {
      const where = nodeFor(root, e);
      return where ? [diag(where.offset, schemaMessage(e), `schema.${e.keyword}`)] : [];
    });
  const diagnostics = dedupe(schemaDiagnostics);
  if (diagnostics.length) return { positionAt, diagnostics, root };
  return { positionAt, diagnostics, root, flow: toSpec(file, value as RawFlow, root, positionAt) };
}

/** The offset where `text` first nests deeper than `limit` brackets and braces, if it does. */
export function nestedBeyond(text: string, limit: number): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > limit) return scanner.getTokenOffset();
    } else if ((token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) && depth > 0) depth--;
  }
  return undefined;
}

/** The node an ajv error is about: the extra property's key, else the value at the instance path. */
function nodeFor(root: Node, e: ErrorObject): Node | undefined {
  const segments = pointerSegments(root, e.instancePath);
  const node = findNodeAtLocation(root, segments) ?? root;
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    const prop = node.children?.find((p) => p.children?.[0]?.value === extra);
    if (prop) return prop.children![0];
  }
  // A property's value: point at its key, where the reader looks.
  return node.parent?.type === 'property' ? node.parent.children![0] : node;
}

function pointerSegments(root: Node, pointer: string): Segment[] {
  if (!pointer) return [];
  const out: Segment[] = [];
  let node: Node | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const s: Segment = node?.type === 'array' ? Number(seg) : seg;
    out.push(s);
    node = node ? findNodeAtLocation(node, [s]) : undefined;
  }
  return out;
}

/** Branch errors of oneOf/anyOf say little; the oneOf/anyOf error itself gets a sentence. */
function schemaMessage(e: ErrorObject): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the flow';
  const p = e.params as Record<string, unknown>;
  // ajv inlines the definitions: the instance path tells which rule it is.
  if (e.keyword === 'oneOf' && /^\/steps\/\d+$/.test(e.instancePath))
    return `Step ${at}: give exactly one of "request", "send" or "simulator" (a simulator step takes no "with" or "retry").`;
  if (e.keyword === 'oneOf' && e.instancePath.endsWith('/simulator'))
    return `${at}: a simulator step does exactly one of "otp", "advanceClock" or "deliveries".`;
  if (e.keyword === 'anyOf' && /\/reasonCode$/.test(e.instancePath))
    return `${at}: a reason code is four hex digits (e.g. "49b5"), or a list of them.`;
  if (e.keyword === 'anyOf')
    return `${at}: a variable is a string, number, boolean or null, or {"value": …, "secret": true}.`;
  if (e.keyword === 'additionalProperties') return `"${String(p.additionalProperty)}" is not allowed in ${at}.`;
  if (e.keyword === 'required') return `${at} needs "${String(p.missingProperty)}".`;
  if (e.keyword === 'propertyNames')
    return `${at}: "${String(p.propertyName)}" is not a valid name here (variables: letters, digits and _; send: "<Operation>Request").`;
  if (e.keyword === 'pattern' && e.instancePath.endsWith('/advanceClock'))
    return `${at} must be an ISO 8601 duration such as PT30S, PT5M or P1D.`;
  if (e.keyword === 'format') return `${at} must be an ISO 8601 date-time with a time zone, e.g. 2026-06-01T12:00:00Z.`;
  return `${at} ${e.message ?? 'is invalid'}.`;
}

/** One diagnostic per place and message; branch errors under a oneOf/anyOf are dropped when it has its own. */
function dedupe(list: FlowDiagnostic[]): FlowDiagnostic[] {
  const combined = new Set(
    list.filter((d) => d.rule === 'schema.oneOf' || d.rule === 'schema.anyOf').map((d) => `${d.line}:${d.column}`),
  );
  const seen = new Set<string>();
  return list.filter((d) => {
    const id = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return !(
      combined.has(`${d.line}:${d.column}`) &&
      !['schema.oneOf', 'schema.anyOf', 'schema.additionalProperties'].includes(d.rule)
    );
  });
}

interface RawFlow {
  name: string;
  target?: string;
  clock?: string;
  vars?: Record<string, unknown>;
  cases?: Record<string, unknown>[];
  steps: RawStep[];
}

interface RawStep {
  name: string;
  request?: string;
  send?: Record<string, unknown>;
  with?: Record<string, unknown>;
  expect?: { reasonCode?: string | string[]; fields?: Record<string, unknown> };
  capture?: Record<string, string>;
  retry?: {
    until: { reasonCode?: string | string[]; fields?: Record<string, unknown> };
    attempts?: number;
    intervalMs?: number;
  };
  simulator?: StepSpec['simulator'];
}

function toSpec(file: string, raw: RawFlow, root: Node, positionAt: (offset: number) => Position): FlowSpec {
  const at = (segments: Segment[]): Position => {
    const node = findNodeAtLocation(root, segments);
    const target = node?.parent?.type === 'property' ? node.parent.children![0] : node;
    return positionAt(target?.offset ?? 0);
  };
  const expectOf = (e: NonNullable<RawStep['expect']>, segments: Segment[]): ExpectSpec => ({
    reasonCodes: e.reasonCode === undefined ? undefined : Array.isArray(e.reasonCode) ? e.reasonCode : [e.reasonCode],
    fields: e.fields,
    at: at(segments),
  });
  const steps: StepSpec[] = raw.steps.map((s, index) => {
    const base: Segment[] = ['steps', index];
    return {
      index,
      name: s.name,
      at: positionAt(findNodeAtLocation(root, base)?.offset ?? 0),
      request: s.request === undefined ? undefined : path.resolve(path.dirname(file), s.request),
      send: s.send,
      with: s.with,
      expect: s.expect ? expectOf(s.expect, [...base, 'expect']) : undefined,
      capture: s.capture,
      retry: s.retry
        ? {
            until: expectOf(s.retry.until, [...base, 'retry', 'until']),
            attempts: s.retry.attempts ?? 5,
            intervalMs: s.retry.intervalMs ?? 1000,
            at: at([...base, 'retry']),
          }
        : undefined,
      simulator: s.simulator,
    };
  });
  const cases: CaseSpec[] | undefined = raw.cases?.map((c, index) => ({
    index,
    vars: varSpecs(c),
    at: positionAt(findNodeAtLocation(root, ['cases', index])?.offset ?? 0),
  }));
  return {
    file,
    name: raw.name,
    target: raw.target ?? 'simulator',
    clock: raw.clock,
    vars: varSpecs(raw.vars ?? {}),
    cases,
    steps,
    at: positionAt(root.offset),
  };
}

/** `"x"` or `{"value": "x", "secret": true}` → VarSpec. */
export function varSpecs(raw: Record<string, unknown>): Record<string, VarSpec> {
  const out: Record<string, VarSpec> = {};
  for (const [name, v] of Object.entries(raw)) {
    out[name] =
      typeof v === 'object' && v !== null
        ? { value: (v as { value: unknown }).value, secret: (v as { secret?: boolean }).secret === true }
        : { value: v, secret: false };
  }
  return out;
}
