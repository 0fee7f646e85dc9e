// Runs a parsed flow: once per case, each on its own fresh simulator (clock frozen at the flow's
// `clock`, or at the start) or against an environment. Steps run in order; the first failed
// expectation or error stops the case and skips the steps after it.
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { secretFields } from '../data/catalog';
import { AgentPool, TransportError, type Environment } from '../transport';
import { FlowError } from './errors';
import { checkExpect, type StepOutcome } from './expect';
import { getPath, lastSegment } from './paths';
import { requestDocument, sendRequest } from './requestStep';
import { runSimulatorStep } from './simulatorStep';
import type { CaseSpec, FlowResult, FlowSpec, StepProblem, StepResult, StepSpec } from './types';
import { Scope } from './vars';

/**
 * A fresh simulator on 127.0.0.1 with its clock frozen at `now` (ISO), closed after the flow: in
 * this process (./localSimulator, the CLI) or a child process (the extension keeps the simulator's
 * code out of its host).
 */
export type SimulatorStarter = (now: string) => Promise<{ url: string; close(): Promise<void> }>;

/** Where a flow runs: its own simulator, or an environment (already resolved). */
export type FlowTarget =
  { kind: 'simulator'; start: SimulatorStarter } | { kind: 'environment'; env: Environment; passphrase?: string };

/** A step starting, then its result (also for the steps skipped after a failure), as the run goes. */
export type StepEvent = { kind: 'started'; step: StepSpec } | { kind: 'finished'; result: StepResult };

export interface RunOptions {
  target: FlowTarget;
  /** Variables from the command line (`--var k=v`): over the flow's and the case's. */
  vars?: Record<string, string>;
  /** For `${env:NAME}`. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Told of each step as it starts and ends (the Test Explorer reports steps as they run). */
  onStep?: (event: StepEvent) => void;
}

/** Captured values of these names are secrets (codes in simulator deliveries are `code`). */
const SECRET_CAPTURES = new Set([...secretFields, 'code']);

/** The first simulator step, when the flow has one: such a flow runs only on the simulator. */
export function firstSimulatorStep(flow: FlowSpec): StepSpec | undefined {
  return flow.steps.find((s) => s.simulator !== undefined);
}

/** One result per case (one for a flow without cases). */
export async function runFlow(flow: FlowSpec, options: RunOptions): Promise<FlowResult[]> {
  const cases: (CaseSpec | undefined)[] = flow.cases ?? [undefined];
  const results: FlowResult[] = [];
  for (const c of cases) results.push(await runCase(flow, c, options));
  return results;
}

/** A result for a flow (or case) that did not run, each step skipped with the reason. */
export function skippedFlow(flow: FlowSpec, c: CaseSpec | undefined, reason: string): FlowResult {
  return {
    ...identity(flow, c),
    status: 'skipped',
    skipReason: reason,
    durationMs: 0,
    steps: flow.steps.map((s) => ({
      index: s.index,
      name: s.name,
      at: s.at,
      status: 'skipped',
      skipReason: reason,
      durationMs: 0,
      transcript: [],
    })),
  };
}

function identity(
  flow: FlowSpec,
  c: CaseSpec | undefined,
): Pick<FlowResult, 'file' | 'name' | 'caseIndex' | 'caseLabel' | 'at'> {
  if (!c) return { file: flow.file, name: flow.name, at: flow.at };
  return { file: flow.file, name: flow.name, caseIndex: c.index, caseLabel: caseLabel(c), at: c.at };
}

/** `case 2 (token=SYMC10000001, pin=«secret»)`: secret variables are never shown. */
export function caseLabel(c: CaseSpec): string {
  const label = Object.entries(c.vars)
    .map(([k, v]) => `${k}=${v.secret ? '«secret»' : typeof v.value === 'string' ? v.value : JSON.stringify(v.value)}`)
    .join(', ');
  return `case ${c.index + 1}${label ? ` (${label})` : ''}`;
}

export async function runCase(flow: FlowSpec, c: CaseSpec | undefined, options: RunOptions): Promise<FlowResult> {
  const simStep = firstSimulatorStep(flow);
  if (options.target.kind === 'environment' && simStep) {
    return skippedFlow(
      flow,
      c,
      `step "${simStep.name}" is a simulator step: this flow runs only on the simulator, not on environment "${options.target.env.name}"`,
    );
  }
  const started = performance.now();
  let clock = new Date(flow.clock ?? Date.now());
  const onSimulator = options.target.kind === 'simulator';
  const scope = new Scope(options.env ?? process.env, () => (onSimulator ? clock : new Date()));
  const agents = new AgentPool();
  let simulator: Awaited<ReturnType<SimulatorStarter>> | undefined;
  try {
    scope.defineAll(flow.vars);
    if (c) scope.defineAll(c.vars);
    for (const [k, v] of Object.entries(options.vars ?? {})) scope.define(k, v);
    let env: Environment;
    let passphrase: string | undefined;
    if (options.target.kind === 'simulator') {
      simulator = await options.target.start(clock.toISOString());
      env = { name: 'Simulator', url: `${simulator.url}/{operation}` };
    } else {
      env = options.target.env;
      passphrase = options.target.passphrase;
    }
    const steps = await runSteps(flow, {
      scope,
      env,
      agents,
      passphrase,
      signal: options.signal,
      onStep: options.onStep,
      simulatorUrl: simulator?.url,
      setClock: (now) => (clock = now),
    });
    const status = steps.some((s) => s.status === 'error')
      ? 'error'
      : steps.some((s) => s.status === 'failed')
        ? 'failed'
        : 'passed';
    return { ...identity(flow, c), status, durationMs: performance.now() - started, steps };
  } catch (e) {
    if (!(e instanceof FlowError)) throw e;
    const result = skippedFlow(flow, c, 'the flow could not start');
    const problem: StepProblem = { kind: 'flow', message: scope.redact(e.message), at: c?.at ?? flow.at };
    return {
      ...result,
      status: 'error',
      durationMs: performance.now() - started,
      steps: [{ ...result.steps[0], status: 'error', skipReason: undefined, problem }, ...result.steps.slice(1)],
    };
  } finally {
    agents.destroy();
    await simulator?.close();
  }
}

interface StepsContext {
  scope: Scope;
  env: Environment;
  agents: AgentPool;
  passphrase?: string;
  signal?: AbortSignal;
  onStep?: (event: StepEvent) => void;
  simulatorUrl?: string;
  setClock: (now: Date) => void;
}

async function runSteps(flow: FlowSpec, ctx: StepsContext): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let stoppedBy: string | undefined;
  for (const step of flow.steps) {
    let result: StepResult;
    if (stoppedBy !== undefined) {
      result = {
        index: step.index,
        name: step.name,
        at: step.at,
        status: 'skipped',
        skipReason: `step "${stoppedBy}" did not pass`,
        durationMs: 0,
        transcript: [],
      };
    } else {
      ctx.onStep?.({ kind: 'started', step });
      result = await runStep(step, ctx);
      if (result.status !== 'passed') stoppedBy = step.name;
    }
    results.push(result);
    ctx.onStep?.({ kind: 'finished', result });
  }
  return results;
}

async function runStep(step: StepSpec, ctx: StepsContext): Promise<StepResult> {
  const started = performance.now();
  const transcript: string[] = [];
  const base = { index: step.index, name: step.name, at: step.at, transcript };
  let outcome: StepOutcome | undefined;
  let attempts: number;
  try {
    const request = step.simulator ? undefined : requestDocument(step);
    const once = () =>
      step.simulator
        ? runSimulatorStep(step.simulator, {
            scope: ctx.scope,
            url: ctx.simulatorUrl!,
            setClock: ctx.setClock,
            transcript,
            signal: ctx.signal,
          })
        : sendRequest(request!, { ...ctx, transcript });
    const maxAttempts = step.retry?.attempts ?? 1;
    let pending: StepProblem | undefined;
    for (attempts = 1; ; attempts++) {
      outcome = await once();
      pending = step.retry ? checkExpect(step.retry.until, outcome, ctx.scope) : undefined;
      if (!pending || attempts >= maxAttempts) break;
      await delay(step.retry!.intervalMs, undefined, { signal: ctx.signal });
    }
    const problem = pending
      ? {
          ...pending,
          message: `retry: "until" not met after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${pending.message}`,
        }
      : ((step.expect ? checkExpect(step.expect, outcome, ctx.scope) : undefined) ?? capture(step, outcome, ctx.scope));
    const done = {
      ...base,
      reasonCode: outcome.reasonCode,
      durationMs: performance.now() - started,
      attempts: step.retry ? attempts : undefined,
    };
    return problem ? { ...done, status: 'failed', problem } : { ...done, status: 'passed' };
  } catch (e) {
    const kind = e instanceof TransportError ? 'transport' : e instanceof FlowError ? 'flow' : undefined;
    if (!kind) throw e;
    const message = ctx.scope.redact((e as Error).message);
    const problem: StepProblem = {
      kind,
      message,
      at: e instanceof FlowError && e.node === 'retry' && step.retry ? step.retry.at : step.at,
    };
    return {
      ...base,
      status: 'error',
      reasonCode: outcome?.reasonCode,
      durationMs: performance.now() - started,
      problem,
    };
  }
}

/** Defines the captured variables; a path the result does not have is a failure of the step. */
function capture(step: StepSpec, outcome: StepOutcome, scope: Scope): StepProblem | undefined {
  for (const [name, dotPath] of Object.entries(step.capture ?? {})) {
    const value = getPath(outcome.body, dotPath);
    if (value === undefined) {
      return {
        kind: 'expectation',
        message: `capture ${name}: the result has no ${dotPath}`,
        expected: `a value at ${dotPath}`,
        actual: 'absent',
        at: step.at,
      };
    }
    scope.define(name, value, SECRET_CAPTURES.has(lastSegment(dotPath)) || scope.isSecret(value));
  }
  return undefined;
}
