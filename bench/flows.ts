// Section 9: the flow runner's overhead — a 20-step flow on a fresh simulator against the same 20
// requests sent directly (a fresh simulator and one keep-alive agent pool too), alternated in one
// run; and 200 flows through `vip-api test --jobs 2` (with --jobs 1 beside it).
// Alone: `npx tsx bench/flows.ts`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runTest } from '../cli/test';
import { parseFlow } from '../core/flows/parse';
import { LOCAL_SIMULATOR } from '../core/flows/localSimulator';
import { runCase } from '../core/flows/runner';
import { startSimulator } from '../core/simulator';
import { AgentPool, sendText } from '../core/transport';
import { fmtMs, fmtRatio, median, paired, percentile } from './stats';

const CLOCK = '2026-06-01T12:00:00Z';
const STEPS = 20;
const FLOWS = 200;
const request = (i: number) => ({
  GetTokenInformationRequest: { Version: '3.1', RequestId: `bench-${i}`, TokenId: 'SYMC10000001' },
});

export interface FlowBench {
  flow: number;
  direct: number;
  runs: number;
  /** Flow ÷ direct within each alternated pair: median, 25th and 75th percentile (the machine is noisy). */
  pairRatio: { median: number; p25: number; p75: number };
  /** Wall time of FLOWS flows with --jobs 2 and --jobs 1. */
  jobs2: number;
  jobs1: number;
  flows: number;
}

function flowText(steps: number): string {
  return JSON.stringify({
    name: 'bench',
    clock: CLOCK,
    steps: Array.from({ length: steps }, (_, i) => ({
      name: `step ${i + 1}`,
      send: request(i),
      expect: { reasonCode: '0000', fields: { 'TokenInformation.TokenStatus': 'ENABLED' } },
    })),
  });
}

/** The same requests without the runner: a fresh simulator, one agent pool, 20 sends. */
async function direct(): Promise<void> {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, now: CLOCK });
  const agents = new AgentPool();
  const env = { name: 'Simulator', url: `${sim.url}/{operation}` };
  try {
    for (let i = 0; i < STEPS; i++) {
      const r = await sendText(JSON.stringify(request(i)), env, { agents });
      if (r.reasonCode !== '0000') throw new Error(`direct send answered ${r.reasonCode}`);
    }
  } finally {
    agents.destroy();
    await sim.close();
  }
}

async function manyFlows(jobs: number, dir: string): Promise<number> {
  const t = performance.now();
  const code = await runTest(['test', dir, '--jobs', String(jobs)], { stdout: () => {}, stderr: () => {} });
  if (code !== 0) throw new Error(`vip-api test --jobs ${jobs} exited ${code}`);
  return performance.now() - t;
}

export async function measureFlows(log: (s: string) => void): Promise<FlowBench> {
  const spec = parseFlow('/bench/bench.vipflow.json', flowText(STEPS)).flow!;
  const viaFlow = async () => {
    const r = await runCase(spec, undefined, { target: LOCAL_SIMULATOR });
    if (r.status !== 'passed')
      throw new Error(`the bench flow did not pass: ${JSON.stringify(r.steps.find((s) => s.problem)?.problem)}`);
  };
  log('flows: 20-step flow vs 20 direct sends…');
  const times = await paired(viaFlow, direct, { minRuns: 10, maxRuns: 60, budgetMs: 8000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-bench-flows-'));
  try {
    for (let i = 0; i < FLOWS; i++)
      fs.writeFileSync(path.join(dir, `f${String(i).padStart(3, '0')}.vipflow.json`), flowText(5));
    log(`flows: ${FLOWS} flows with --jobs 2 and --jobs 1…`);
    const jobs2 = await manyFlows(2, dir);
    const jobs1 = await manyFlows(1, dir);
    const ratios = times.a.map((a, i) => a / times.b[i]);
    const pairRatio = { median: median(ratios), p25: percentile(ratios, 25), p75: percentile(ratios, 75) };
    return {
      flow: median(times.a),
      direct: median(times.b),
      runs: times.a.length,
      pairRatio,
      jobs2,
      jobs1,
      flows: FLOWS,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows of section 9. */
export function flowsSection(b: FlowBench): string {
  return [
    '## 9. Flows',
    '',
    '| Measure | Ours | Reference | Ratio (median of pair ratios) | Spread of pairs |',
    '|---|---|---|---|---|',
    `| A 20-step flow on a fresh simulator (median of ${b.runs}) vs the same 20 requests sent directly to a fresh simulator | ${fmtMs(b.flow)} | ${fmtMs(b.direct)} | ${fmtRatio(b.pairRatio.median)} | ${fmtRatio(b.pairRatio.p25)}–${fmtRatio(b.pairRatio.p75)} |`,
    `| ${b.flows} flows of 5 steps, \`vip-api test --jobs 2\` vs \`--jobs 1\` (one run each, in-process) | ${fmtMs(b.jobs2)} | ${fmtMs(b.jobs1)} | ${fmtRatio(b.jobs2 / b.jobs1)} | — |`,
  ].join('\n');
}

if (require.main === module) {
  measureFlows((s) => process.stderr.write(s + '\n')).then(
    (b) => process.stdout.write(flowsSection(b) + '\n'),
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
