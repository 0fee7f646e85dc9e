// `vip-api test [files or folders…]`: runs *.vipflow.json flows (core/flows) on fresh simulators or
// against an environment, prints one line per step, writes JUnit/JSON/TAP reports, and exits
// 0 all passed, 1 an expectation failed, 2 usage error or invalid flow file, 3 a transport error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFlowFile, type LoadedFlow } from '../core/flows/check';
import { formatDiagnostic, formatFlow, formatSummary, summarize } from '../core/flows/reporters/console';
import { toJson } from '../core/flows/reporters/json';
import { toJUnit } from '../core/flows/reporters/junit';
import { toTap } from '../core/flows/reporters/tap';
import { LOCAL_SIMULATOR } from '../core/flows/localSimulator';
import { runCase, skippedFlow, type FlowTarget } from '../core/flows/runner';
import type { CaseSpec, FlowDiagnostic, FlowResult, FlowSpec } from '../core/flows/types';
import { TransportError } from '../core/transport';
import { helpText, parseCommandArgs, usageText, UsageError } from './args';
import { collectFiles } from './check';
import { loadNamedEnvironment } from './send';

export const TEST_HELP = `  vip-api test [files or folders…] [--env NAME [--config FILE] [--passphrase-env VAR]] [--jobs N]
               [--bail] [--var k=v]… [--reporter junit=FILE|json=FILE|tap[=FILE]]…
      Run flows (*.vipflow.json; folders are searched, default: the current folder), each on a fresh
      built-in simulator, or against environment NAME from --config (default .vscode/settings.json).
      Flows with simulator steps are skipped on an environment. One line per step; reports as
      JUnit XML, JSON or TAP (a report without =FILE goes to stdout, the step lines then to stderr).
      Exit 0 all passed, 1 an expectation failed, 2 usage error or invalid flow file, 3 a transport
      error stopped a flow.
`;

export interface TestDeps {
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  cwd?: string;
  vars?: NodeJS.ProcessEnv;
}

interface TestOptions {
  targets: string[];
  env?: string;
  config?: string;
  passphraseEnv?: string;
  jobs: number;
  bail: boolean;
  vars: Record<string, string>;
  reporters: { kind: 'junit' | 'json' | 'tap'; file?: string }[];
}

function testOptions(args: string[]): TestOptions | undefined {
  const parsed = parseCommandArgs(args, {
    env: { type: 'string' },
    config: { type: 'string' },
    'passphrase-env': { type: 'string' },
    jobs: { type: 'string' },
    bail: { type: 'boolean' },
    var: { type: 'string', multiple: true },
    reporter: { type: 'string', multiple: true },
  });
  const o = parsed.values;
  if (o.help) return undefined;
  if (o.config && !o.env) throw new UsageError('--config needs --env NAME.');
  const jobs = o.jobs === undefined ? 1 : Number(o.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
    throw new UsageError(`--jobs takes a whole number from 1 to 64, not "${o.jobs}".`);
  const vars: Record<string, string> = {};
  for (const v of o.var ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
    if (!m) throw new UsageError(`--var takes name=value (a name of letters, digits and _), not "${v}".`);
    vars[m[1]] = m[2];
  }
  const reporters = (o.reporter ?? []).map((r) => {
    const m = /^(junit|json|tap)(?:=(.+))?$/.exec(r);
    if (!m) throw new UsageError(`--reporter takes junit=FILE, json=FILE or tap (tap=FILE), not "${r}".`);
    return { kind: m[1] as 'junit' | 'json' | 'tap', file: m[2] };
  });
  if (reporters.filter((r) => !r.file).length > 1)
    throw new UsageError('only one --reporter can write to stdout: give the others =FILE.');
  if (reporters.some((r) => r.kind === 'junit' && !r.file))
    throw new UsageError('--reporter junit needs a file: --reporter junit=FILE.');
  return {
    targets: parsed.positionals.length ? parsed.positionals : ['.'],
    env: o.env,
    config: o.config,
    passphraseEnv: o['passphrase-env'],
    jobs,
    bail: o.bail ?? false,
    vars,
    reporters,
  };
}

export async function runTest(args: string[], deps: TestDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? ((s: string) => void process.stdout.write(s));
  const stderr = deps.stderr ?? ((s: string) => void process.stderr.write(s));
  const cwd = deps.cwd ?? process.cwd();
  const relative = (f: string) => (path.relative(cwd, f).startsWith('..') ? f : path.relative(cwd, f));
  try {
    const opts = testOptions(args);
    if (!opts) {
      stdout(helpText(TEST_HELP));
      return 0;
    }
    const loaded = loadFlows(opts.targets, cwd);
    const diagnostics = loaded.flatMap((l) => l.diagnostics);
    for (const d of diagnostics) stderr(formatDiagnostic(d, relative));
    if (diagnostics.some((d) => d.severity === 'error')) {
      stderr(`vip-api test: ${loaded.filter((l) => !l.flow).length} invalid flow file(s): nothing was run.\n`);
      return 2;
    }
    const flows = loaded.map((l) => l.flow!);
    const targetOf = targetResolver(opts, cwd, deps.vars ?? process.env);
    const targets = new Map(flows.map((f) => [f, targetOf(f)]));
    const lines = opts.reporters.some((r) => !r.file) ? stderr : stdout;
    const results = await runAll(flows, targets, opts, deps.vars ?? process.env, (r) => lines(formatFlow(r, relative)));
    lines(formatSummary(summarize(results)));
    writeReports(opts, results, diagnostics, relative, cwd, stdout);
    return exitCode(results);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TransportError && e.kind === 'usage')) {
      stderr(usageText('test', e.message, TEST_HELP));
      return 2;
    }
    throw e;
  }
}

function loadFlows(targets: string[], cwd: string): LoadedFlow[] {
  const problems: string[] = [];
  const files = collectFiles(
    targets.map((t) => path.resolve(cwd, t)),
    problems,
    '.vipflow.json',
  );
  if (problems.length) throw new UsageError(problems.join('; '));
  if (files.length === 0) throw new UsageError(`no *.vipflow.json files in ${targets.join(', ')}.`);
  return files.map(loadFlowFile);
}

/** --env for every flow; else a flow's own target: the simulator, or an environment of --config. */
function targetResolver(opts: TestOptions, cwd: string, vars: NodeJS.ProcessEnv): (flow: FlowSpec) => FlowTarget {
  let passphrase: string | undefined;
  if (opts.passphraseEnv) {
    passphrase = vars[opts.passphraseEnv];
    if (passphrase === undefined)
      throw new UsageError(`--passphrase-env ${opts.passphraseEnv}: that environment variable is not set.`);
  }
  const cache = new Map<string, FlowTarget>();
  return (flow) => {
    const name = opts.env ?? flow.target;
    if (!opts.env && name === 'simulator') return LOCAL_SIMULATOR;
    let target = cache.get(name);
    if (!target)
      cache.set(
        name,
        (target = { kind: 'environment', env: loadNamedEnvironment(name, opts.config, cwd, vars), passphrase }),
      );
    return target;
  };
}

/** Every flow × case, `jobs` at a time; results in file order, each printed as it completes. */
async function runAll(
  flows: FlowSpec[],
  targets: Map<FlowSpec, FlowTarget>,
  opts: TestOptions,
  env: NodeJS.ProcessEnv,
  print: (r: FlowResult) => void,
): Promise<FlowResult[]> {
  const units: { flow: FlowSpec; c?: CaseSpec }[] = flows.flatMap((flow) =>
    (flow.cases ?? [undefined]).map((c) => ({ flow, c })),
  );
  const results: FlowResult[] = new Array<FlowResult>(units.length);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let next = 0;
  let bailed = false;
  const worker = async () => {
    while (next < units.length) {
      const i = next++;
      const { flow, c } = units[i];
      const r = bailed
        ? skippedFlow(flow, c, '--bail: an earlier flow did not pass')
        : await runCase(flow, c, { target: targets.get(flow)!, vars: opts.vars, env, signal: controller.signal });
      if (opts.bail && (r.status === 'failed' || r.status === 'error')) bailed = true;
      results[i] = r;
      print(r);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.jobs, units.length) }, worker));
  } finally {
    process.off('SIGINT', onSigint);
  }
  return results;
}

function writeReports(
  opts: TestOptions,
  results: FlowResult[],
  diagnostics: FlowDiagnostic[],
  relative: (f: string) => string,
  cwd: string,
  stdout: (s: string) => void,
): void {
  for (const r of opts.reporters) {
    const text =
      r.kind === 'junit'
        ? toJUnit(results, relative)
        : r.kind === 'json'
          ? toJson(results, diagnostics, relative)
          : toTap(results, relative);
    if (!r.file) {
      stdout(text);
      continue;
    }
    const file = path.resolve(cwd, r.file);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    } catch (e) {
      throw new UsageError(
        `cannot write the ${r.kind} report to ${r.file} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
      );
    }
  }
}

/** 2 when a flow itself was wrong, 3 when the transport stopped one, 1 when an expectation failed. */
export function exitCode(results: FlowResult[]): number {
  const kinds = new Set(results.flatMap((r) => r.steps.map((s) => s.problem?.kind)));
  if (kinds.has('flow')) return 2;
  if (kinds.has('transport')) return 3;
  if (kinds.has('expectation')) return 1;
  return 0;
}
