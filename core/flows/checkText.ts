// Everything `vip-api check` and the language server say about a flow file's text, with spans: the
// flow's syntax and schema and the checks `vip-api test` makes before a run (./parse, ./check), the
// references (./checkRefs), and the requests checked like *.vip.json files (./checkInline). This is
// the one way in for the CLI and the server.
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import { lineStarts, type EngineContext, type Finding, type Severity, type Span } from '../engine';
import { checkFlow } from './check';
import { checkInlineRequests, type InlineRequest } from './checkInline';
import { checkResultPaths, checkVariables } from './checkRefs';
import { parseFlow } from './parse';
import type { FlowDiagnostic, FlowSpec } from './types';

/** A finding in a flow file. `inline` findings are the engine's, about a `send` or a merged `with`. */
export interface FlowFinding extends Span {
  severity: Severity;
  rule: string;
  message: string;
  /** The VIP reason code an inline finding predicts. */
  code?: string;
  inline?: 'send' | 'with';
  /** The engine finding of an inline `send`, for its quick fixes (its offsets are the flow's). */
  finding?: Finding;
}

export interface FlowCheck {
  findings: FlowFinding[];
  /** The inline `send` documents, for hover, completion and quick fixes inside them. */
  requests: InlineRequest[];
  root?: Node;
  flow?: FlowSpec;
  /** The flow file's path, when it has one on disk. */
  file?: string;
}

/** Flow files larger than this are not checked (a flow is a few kilobytes; the editor stays answered). */
export const MAX_FLOW_LENGTH = 2_000_000;

/**
 * Checks a flow's text. `flowFile` is its path on disk (request paths are relative to it); absent for
 * an unsaved flow, whose request files cannot be found and are then not reported.
 */
export function checkFlowText(text: string, flowFile: string | undefined, ctx: Partial<EngineContext> = {}): FlowCheck {
  if (text.length > MAX_FLOW_LENGTH) return { findings: [tooLarge(text)], requests: [], file: flowFile };
  const parsed = parseFlow(flowFile ?? 'untitled.vipflow.json', text);
  const toSpan = spanFinder(text, parsed.root);
  const fromDiagnostic = (d: FlowDiagnostic): FlowFinding => ({
    ...toSpan(d.line, d.column),
    severity: d.severity,
    rule: d.rule,
    message: d.message,
  });
  const findings = parsed.diagnostics.map(fromDiagnostic);
  if (parsed.flow) {
    const own = checkFlow(parsed.flow, { readRequestFiles: flowFile !== undefined });
    findings.push(...own.map(fromDiagnostic));
  }
  if (!parsed.root)
    return {
      findings: findings.sort((a, b) => a.offset - b.offset),
      requests: [],
      root: parsed.root,
      flow: parsed.flow,
      file: flowFile,
    };
  findings.push(...checkVariables(parsed.root), ...checkResultPaths(parsed.root, flowFile));
  const inline = checkInlineRequests(text, parsed.root, flowFile, ctx);
  for (const f of inline.findings)
    findings.push({
      offset: f.offset,
      length: f.length,
      severity: f.severity,
      rule: f.rule,
      message: f.message,
      code: f.code,
      inline: f.inline,
      finding: f.inline === 'send' ? f : undefined,
    });
  findings.sort((a, b) => a.offset - b.offset);
  return { findings, requests: inline.requests, root: parsed.root, flow: parsed.flow, file: flowFile };
}

/** 1-based line and column → the span of the node that starts there (one character if none does). */
function spanFinder(text: string, root: Node | undefined): (line: number, column: number) => Span {
  const starts = lineStarts(text);
  return (line, column) => {
    const offset = Math.min((starts[line - 1] ?? 0) + column - 1, text.length);
    const node = root ? findNodeAtOffset(root, offset, true) : undefined;
    if (node && node.offset === offset && node.type !== 'object' && node.type !== 'array')
      return { offset, length: node.length };
    return { offset, length: Math.min(1, text.length - offset) };
  };
}

function tooLarge(text: string): FlowFinding {
  return {
    offset: 0,
    length: Math.min(1, text.length),
    severity: 'information',
    rule: 'flow.tooLarge',
    message: `The file is larger than ${MAX_FLOW_LENGTH} characters: it was not checked as a flow.`,
  };
}
