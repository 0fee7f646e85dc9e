// Checks of what a flow refers to, made on its tree so that each finding has a span: variables used
// before they are defined or captured, and dot paths (expect.fields, capture) that the step's
// result cannot have (the response schema of its operation, or a simulator step's answer).
import * as path from 'node:path';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { documentKey, getSchema, operationForKey, type OperationInfo } from '../data/catalog';
import type { Span } from '../engine';
import { propertiesOf, schemaAt } from '../schema/schemaWalk';
import { jsonPathOf } from './paths';
import { readRequestValue, stepNodes } from './checkInline';

export interface RefFinding extends Span {
  severity: 'warning';
  rule: 'variable.undefined' | 'path.unknown';
  message: string;
}

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
/** The parts of a step whose strings are substituted. */
const SUBSTITUTED = ['send', 'with', 'expect', 'retry', 'simulator'];
/** What each simulator step answers (docs/flows.md). */
const SIMULATOR_RESULTS: Record<string, string[]> = {
  otp: ['TokenId', 'OTP', 'time'],
  advanceClock: ['now', 'frozen'],
  deliveries: ['count', 'deliveries', 'last'],
};

/** Names a `${name}` may use before the first step: the flow's vars, and those every case defines. */
export function initialNames(root: Node): Set<string> {
  const keys = (node: Node | undefined): string[] =>
    node?.type === 'object' ? (node.children ?? []).map((p) => String(p.children?.[0]?.value)) : [];
  const names = new Set(keys(findNodeAtLocation(root, ['vars'])));
  const cases = findNodeAtLocation(root, ['cases'])?.children ?? [];
  if (cases.length) {
    const [first, ...rest] = cases.map((c) => new Set(keys(c)));
    for (const name of first) if (rest.every((c) => c.has(name))) names.add(name);
  }
  return names;
}

/** `${name}` used where it is not defined yet (captured by a later step, or never). */
export function checkVariables(root: Node | undefined): RefFinding[] {
  if (root?.type !== 'object') return [];
  const steps = stepNodes(root);
  const captures = steps.map((s) => captureNames(s));
  const known = initialNames(root);
  const out: RefFinding[] = [];
  steps.forEach((step, index) => {
    for (const node of SUBSTITUTED.flatMap((k) => stringNodes(findNodeAtLocation(step, [k])))) {
      for (const name of placeholderNames(String(node.value))) {
        if (known.has(name)) continue;
        const later = captures.findIndex((c, i) => i >= index && c.includes(name));
        const where =
          later >= 0
            ? `it is captured by step ${later + 1}, ${later === index ? 'after this step runs' : 'later'}`
            : 'define it in "vars" or a case, or capture it in an earlier step';
        out.push({
          ...spanOf(node),
          severity: 'warning',
          rule: 'variable.undefined',
          message: `\${${name}} is used before it is defined: ${where} (or pass --var ${name}=…).`,
        });
      }
    }
    for (const name of captures[index]) known.add(name);
  });
  return out;
}

export function captureNames(step: Node): string[] {
  const capture = findNodeAtLocation(step, ['capture']);
  return capture?.type === 'object' ? (capture.children ?? []).map((p) => String(p.children?.[0]?.value)) : [];
}

/** Variable names of the `${…}` in a string; built-ins (`$…`) and `env:` are always there. */
export function placeholderNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const expr = m[1]?.trim();
    if (expr && !expr.startsWith('$') && !expr.startsWith('env:')) names.push(expr);
  }
  return names;
}

function stringNodes(node: Node | undefined): Node[] {
  if (!node) return [];
  if (node.type === 'string')
    return node.parent?.type === 'property' && node.parent.children?.[0] === node ? [] : [node];
  return (node.children ?? []).flatMap((c) => stringNodes(c));
}

function spanOf(node: Node): Span {
  return { offset: node.offset, length: node.length };
}

/** What a step's result has at a path: a response schema, or a simulator step's known answer. */
export type ResultShape = { kind: 'response'; operation: OperationInfo } | { kind: 'simulator'; keys: string[] };

/** The result shape of a step, when it can be known without running it. */
export function resultShape(step: Node, flowFile: string | undefined): ResultShape | undefined {
  const simulator = findNodeAtLocation(step, ['simulator']);
  if (simulator?.type === 'object') {
    const kind = Object.keys(SIMULATOR_RESULTS).find((k) => findNodeAtLocation(simulator, [k]));
    return kind ? { kind: 'simulator', keys: SIMULATOR_RESULTS[kind] } : undefined;
  }
  const send = findNodeAtLocation(step, ['send']);
  let key = send?.type === 'object' ? (send.children?.[0]?.children?.[0]?.value as unknown) : undefined;
  const request = findNodeAtLocation(step, ['request']);
  if (key === undefined && flowFile && request?.type === 'string') {
    const value = readRequestValue(path.resolve(path.dirname(flowFile), String(request.value)));
    key = value ? Object.keys(value)[0] : undefined;
  }
  const found = typeof key === 'string' ? operationForKey(key) : undefined;
  return found?.kind === 'request' ? { kind: 'response', operation: found.operation } : undefined;
}

/** The names the result offers at a dot path's parent, or undefined when the path is there. */
export function missingPath(shape: ResultShape, dotPath: string): string[] | undefined {
  const at = jsonPathOf(dotPath);
  if (shape.kind === 'simulator') return shape.keys.includes(String(at[0])) ? undefined : shape.keys;
  const schema = getSchema(shape.operation.name, 'response');
  const base = [documentKey(shape.operation.name, 'response')];
  for (let i = 1; i <= at.length; i++) {
    if (!schemaAt(schema, [...base, ...at.slice(0, i)]))
      return Object.keys(propertiesOf(schemaAt(schema, [...base, ...at.slice(0, i - 1)])));
  }
  return undefined;
}

/** Dot paths in expect.fields, retry.until.fields and capture that the step's result cannot have. */
export function checkResultPaths(root: Node | undefined, flowFile: string | undefined): RefFinding[] {
  const out: RefFinding[] = [];
  for (const step of stepNodes(root)) {
    const shape = resultShape(step, flowFile);
    if (!shape) continue;
    const where = shape.kind === 'simulator' ? 'the simulator step' : `${shape.operation.name}Response`;
    const entries = [
      ...keyNodes(findNodeAtLocation(step, ['expect', 'fields'])),
      ...keyNodes(findNodeAtLocation(step, ['retry', 'until', 'fields'])),
      ...valueNodes(findNodeAtLocation(step, ['capture'])),
    ];
    for (const node of entries) {
      const offered = missingPath(shape, String(node.value));
      if (offered)
        out.push({
          ...spanOf(node),
          severity: 'warning',
          rule: 'path.unknown',
          message: `${where} has no ${String(node.value)}${offered.length ? ` (there: ${offered.join(', ')})` : ''}.`,
        });
    }
  }
  return out;
}

function keyNodes(node: Node | undefined): Node[] {
  return node?.type === 'object' ? (node.children ?? []).flatMap((p) => (p.children?.[0] ? [p.children[0]] : [])) : [];
}

function valueNodes(node: Node | undefined): Node[] {
  return node?.type === 'object'
    ? (node.children ?? []).flatMap((p) => (p.children?.[1]?.type === 'string' ? [p.children[1]] : []))
    : [];
}
