// Running flows from the Test Explorer with the core runner (the one `vip-api test` uses): each
// selected flow (or case) runs whole, since a step needs the captures of the steps before it; steps
// report as they run, failures carry the expected/actual diff at their `expect`, and the output is
// the runner's redacted transcript.
import * as vscode from 'vscode';
import { readFlowText } from '../../../core/flows/check';
import { runCase, type FlowTarget, type StepEvent } from '../../../core/flows/runner';
import type { CaseSpec, FlowResult, FlowSpec, Position, StepResult } from '../../../core/flows/types';
import { caseItem, itemData, showFlow, stepItem } from './discover';

/** The flows (by their item) and which of their cases to run (undefined: all). */
export type RunUnits = Map<vscode.TestItem, Set<number> | undefined>;

/** The flow items and cases a request asks for: a step or case runs its case, a flow all of it. */
export function unitsOf(request: vscode.TestRunRequest, controller: vscode.TestController): RunUnits {
  const units: RunUnits = new Map();
  const included: vscode.TestItem[] = [];
  if (request.include) included.push(...request.include);
  else controller.items.forEach((item) => included.push(item));
  const excluded = new Set(request.exclude ?? []);
  for (const item of included) {
    const d = itemData(item);
    if (!d || excluded.has(item)) continue;
    const flow = controller.items.get(d.uri.toString());
    if (!flow) continue;
    const cases = units.get(flow);
    if (d.kind === 'flow' || d.caseIndex === undefined) units.set(flow, undefined);
    else if (!units.has(flow) || cases) units.set(flow, new Set([...(cases ?? []), d.caseIndex]));
  }
  // An excluded flow or case is not run. A step cannot be left out: later steps use its captures.
  for (const item of excluded) {
    const d = itemData(item);
    const flow = d && controller.items.get(d.uri.toString());
    if (!flow || !units.has(flow)) continue;
    if (d.kind === 'flow') units.delete(flow);
    else if (d.kind === 'case' && d.caseIndex !== undefined) {
      const cases = units.get(flow) ?? caseIndexes(flow);
      cases.delete(d.caseIndex);
      if (cases.size) units.set(flow, cases);
      else units.delete(flow);
    }
  }
  return units;
}

function caseIndexes(flow: vscode.TestItem): Set<number> {
  const indexes = new Set<number>();
  flow.children.forEach((child) => {
    const d = itemData(child);
    if (d?.kind === 'case' && d.caseIndex !== undefined) indexes.add(d.caseIndex);
  });
  return indexes;
}

/** What a run needs besides the request: where the flows run, and the variables `${env:…}` sees. */
export interface FlowRunSetup {
  target: FlowTarget;
  env: NodeJS.ProcessEnv;
}

export async function runUnits(
  controller: vscode.TestController,
  run: vscode.TestRun,
  units: RunUnits,
  setup: FlowRunSetup,
  token: vscode.CancellationToken,
): Promise<void> {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  try {
    for (const [flowItem, cases] of units) {
      if (token.isCancellationRequested) {
        skipAll(run, flowItem);
        continue;
      }
      const text = readFlowText(itemData(flowItem)!.uri.fsPath);
      // Read once, as it is run: the tree follows the file too.
      const shown = typeof text === 'string' ? showFlow(controller, flowItem.uri!, text) : { errors: [text] };
      const flow = 'runnable' in shown ? shown.runnable : undefined;
      if (!flow) {
        run.errored(flowItem, new vscode.TestMessage(shown.errors.map((d) => d.message).join('\n')));
        continue;
      }
      const selected = flow.cases ? flow.cases.filter((c) => !cases || cases.has(c.index)) : [undefined];
      for (const c of selected) {
        const parent = c ? caseItem(flowItem, c.index) : flowItem;
        if (parent) await runOne(run, flow, c, parent, setup, abort.signal);
      }
    }
  } finally {
    sub.dispose();
    run.end();
  }
}

/** One flow or case: its item and its steps' items reported from the runner's step events. */
async function runOne(
  run: vscode.TestRun,
  flow: FlowSpec,
  c: CaseSpec | undefined,
  parent: vscode.TestItem,
  setup: FlowRunSetup,
  signal: AbortSignal,
): Promise<void> {
  const uri = parent.uri!;
  const reported = new Set<number>();
  const report = (e: StepEvent): void => {
    const index = e.kind === 'started' ? e.step.index : e.result.index;
    const item = stepItem(parent, index);
    if (!item) return;
    if (e.kind === 'started') return run.started(item);
    reported.add(index);
    reportStep(run, item, e.result, uri, signal.aborted);
  };
  parent.children.forEach((item) => run.enqueued(item));
  run.started(parent);
  run.appendOutput(`▶ ${flow.name}${c ? ` · ${parent.label}` : ''}\r\n`, undefined, parent);
  let result: FlowResult;
  try {
    result = await runCase(flow, c, { target: setup.target, env: setup.env, signal, onStep: report });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    run.errored(parent, new vscode.TestMessage(vscode.l10n.t('The flow could not run: {0}', message)));
    parent.children.forEach((item) => run.skipped(item));
    return;
  }
  // Steps the runner did not run (a flow skipped on an environment, a flow that could not start).
  for (const s of result.steps) if (!reported.has(s.index)) report({ kind: 'finished', result: s });
  if (result.skipReason) run.appendOutput(`  ${result.skipReason}\r\n`, undefined, parent);
  finish(run, parent, result.status, result.durationMs, signal.aborted);
}

function finish(
  run: vscode.TestRun,
  item: vscode.TestItem,
  status: StepResult['status'],
  durationMs: number,
  cancelled: boolean,
): void {
  if (status === 'passed') run.passed(item, durationMs);
  else if (status === 'skipped' || cancelled) run.skipped(item);
  else if (status === 'failed') run.failed(item, [], durationMs);
  else run.errored(item, [], durationMs);
}

function reportStep(
  run: vscode.TestRun,
  item: vscode.TestItem,
  r: StepResult,
  uri: vscode.Uri,
  cancelled: boolean,
): void {
  const where = location(uri, r.at);
  const lines = [`${statusMark(r.status)} ${r.name}${r.reasonCode ? ` (${r.reasonCode})` : ''}`, ...r.transcript];
  if (r.skipReason) lines.push(`  ${r.skipReason}`);
  if (r.problem) lines.push(`  ${r.problem.message}`);
  run.appendOutput(lines.join('\r\n') + '\r\n', where, item);
  const p = r.problem;
  if (r.status === 'passed') run.passed(item, r.durationMs);
  else if (r.status === 'skipped' || cancelled) run.skipped(item);
  else if (r.status === 'failed' && p) {
    const text = [p.message, ...(p.details ?? [])].join('\n');
    const message =
      p.expected !== undefined && p.actual !== undefined
        ? vscode.TestMessage.diff(text, p.expected, p.actual)
        : new vscode.TestMessage(text);
    message.location = location(uri, p.at);
    run.failed(item, message, r.durationMs);
  } else {
    const message = new vscode.TestMessage(p?.message ?? r.status);
    message.location = p ? location(uri, p.at) : where;
    run.errored(item, message, r.durationMs);
  }
}

function statusMark(status: StepResult['status']): string {
  return status === 'passed' ? '✔' : status === 'skipped' ? '○' : '✖';
}

function location(uri: vscode.Uri, at: Position): vscode.Location {
  return new vscode.Location(uri, new vscode.Position(at.line - 1, at.column - 1));
}

/** Every item under `flowItem` skipped (a cancelled run, a declined confirmation). */
export function skipAll(run: vscode.TestRun, item: vscode.TestItem): void {
  run.skipped(item);
  item.children.forEach((child) => skipAll(run, child));
}
