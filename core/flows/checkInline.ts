// A flow's requests checked like *.vip.json files: every inline `send` document, and every `with`
// merged into its request file's body, analysed by the engine, with the findings placed in the flow
// file (for `with`, at the `with` value). `${…}` placeholders are not values yet: a finding about a
// value that holds one is dropped, every other finding stays.
import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import { analyze, VipDocument, type EngineContext, type Finding, type JsonPath } from '../engine';
import { readRequestFile } from './checkRequest';
import { FlowError } from './errors';
import { segments, setPath } from './paths';

/** An inline `send` document of a step: its own VipDocument, at `base` in the flow text. */
export interface InlineRequest {
  step: number;
  base: number;
  doc: VipDocument;
}

/** A finding in the flow text; `inline` says where it came from (quick fixes exist for `send` only). */
export type InlineFinding = Finding & { inline: 'send' | 'with' };

export interface InlineCheck {
  findings: InlineFinding[];
  requests: InlineRequest[];
}

/** The steps of a flow tree (tolerant of a flow that breaks its schema). */
export function stepNodes(root: Node | undefined): Node[] {
  const steps = root?.type === 'object' ? findNodeAtLocation(root, ['steps']) : undefined;
  return steps?.type === 'array' ? (steps.children ?? []).filter((s) => s.type === 'object') : [];
}

/** The inline requests of a flow file's tree and their findings. `flowFile` is absent for an unsaved flow. */
export function checkInlineRequests(
  text: string,
  root: Node | undefined,
  flowFile: string | undefined,
  ctx: Partial<EngineContext> = {},
): InlineCheck {
  const out: InlineCheck = { findings: [], requests: [] };
  stepNodes(root).forEach((step, index) => {
    const expected = expectedCodes(step);
    const send = findNodeAtLocation(step, ['send']);
    if (send?.type === 'object') {
      const doc = new VipDocument(text.slice(send.offset, send.offset + send.length));
      out.requests.push({ step: index, base: send.offset, doc });
      for (const f of usable(analyze(doc, ctx), doc.value, expected))
        out.findings.push({ ...f, offset: f.offset + send.offset, inline: 'send' });
    }
    const request = findNodeAtLocation(step, ['request']);
    const withNode = findNodeAtLocation(step, ['with']);
    if (flowFile && request?.type === 'string' && withNode?.type === 'object')
      out.findings.push(
        ...withFindings(path.resolve(path.dirname(flowFile), String(request.value)), withNode, expected, ctx),
      );
  });
  return out;
}

/** The codes the step expects (lower case): a finding that predicts one of them is what the step tests. */
function expectedCodes(step: Node): string[] {
  const node = findNodeAtLocation(step, ['expect', 'reasonCode']);
  const value = node ? (getNodeValue(node) as unknown) : undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((c): c is string => typeof c === 'string').map((c) => c.toLowerCase());
}

/**
 * Findings that stand: not about a placeholder, not syntax (the flow's own parse reports that). A
 * predicted code the step expects is information, not an error: the step is there to see it.
 */
function usable(findings: Finding[], value: unknown, expected: string[]): Finding[] {
  return findings
    .filter((f) => f.rule !== 'syntax' && !(f.path && holdsPlaceholder(valueAt(value, f.path))))
    .map((f) =>
      f.code && expected.includes(f.code) && f.severity === 'error'
        ? { ...f, severity: 'information', message: `${f.message} The step expects ${f.code}.` }
        : f,
    );
}

/** A string with a `${…}` (not only the literal `$${`). */
export function holdsPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && /\$\{/.test(v.replace(/\$\$\{/g, ''));
}

function valueAt(value: unknown, at: JsonPath): unknown {
  let current = value;
  for (const seg of at) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[seg];
  }
  return current;
}

/** The `with` entries merged into the request file's body, analysed; findings at the `with` values. */
function withFindings(file: string, withNode: Node, expected: string[], ctx: Partial<EngineContext>): InlineFinding[] {
  const value = readRequestValue(file);
  const key = value && Object.keys(value).length === 1 ? Object.keys(value)[0] : undefined;
  const body = key !== undefined ? value![key] : undefined;
  if (key === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const entries = (withNode.children ?? []).flatMap((p) => {
    const [k, v] = p.children ?? [];
    return k && v ? [{ segments: segments(String(k.value)), node: v }] : [];
  });
  for (const e of entries) setPath(body as Record<string, unknown>, e.segments.join('.'), getNodeValue(e.node));
  const withKey = withNode.parent?.children?.[0] ?? withNode;
  return usable(analyze(JSON.stringify(value), ctx), value, expected).flatMap((f): InlineFinding[] => {
    const inside = f.path?.[0] === key ? f.path.slice(1).map(String) : undefined;
    if (!inside) return [];
    // The body itself (a required field that neither the file nor `with` gives): at the `with` key.
    if (inside.length === 0) return [{ ...f, offset: withKey.offset, length: withKey.length, inline: 'with' }];
    const entry = entries.find((e) => e.segments.every((s, i) => inside[i] === s));
    if (!entry) return []; // the request file's own finding: reported when that file is checked
    const rest = f.path!.slice(1 + entry.segments.length);
    const node = (rest.length ? findNodeAtLocation(entry.node, rest) : undefined) ?? entry.node;
    return [{ ...f, offset: node.offset, length: node.length, inline: 'with' }];
  });
}

/** The request file as a JSON object, or undefined when it is missing, too large or not JSON (checkFlow says why). */
export function readRequestValue(file: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = readRequestFile(file);
  } catch (e) {
    if (e instanceof FlowError) return undefined;
    throw e;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
