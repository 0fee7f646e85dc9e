// `tsx bench/compareBuilds.ts <dist A> <dist B> [rounds]`: the bench's cold-start and memory rows
// (bench/lsp.ts) for two builds of dist/ in one run, alternated round by round, as B ÷ A; and the
// time to require the lazily loaded client bundles (language.js, send.js) in a fresh process, with a
// stand-in `vscode`. Used for build changes such as the packed production bundles (bench/NOTES.md):
// build each variant into a folder of its own (VIP_BUILD_OUTDIR=… node esbuild.mjs [--production]).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { coldStart, memoryAfter100Files } from './lsp';
import { fmtBytes, fmtMs, fmtRatio, median } from './stats';

const [a, b] = process.argv.slice(2, 4).map((d) => path.resolve(d));
const rounds = Number(process.argv[4] ?? 5);
if (!a || !b) throw new Error('usage: tsx bench/compareBuilds.ts <dist A> <dist B> [rounds]');

/** Milliseconds to require `bundle` from `dir` in a fresh Node process (its own clock, not the spawn). */
function requireMs(dir: string, bundle: string): number {
  const script = `
    const Module = require('node:module');
    const stub = () => new Proxy(function () {}, { get: (t, k) => (k === 'prototype' ? {} : stub()), construct: () => stub(), apply: () => stub() });
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === 'vscode' ? stub() : load.call(this, request, ...rest); };
    const t = performance.now();
    require(require('node:path').join(process.argv[1], process.argv[2]));
    process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['-e', script, dir, bundle], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout);
}

/**
 * CPU time (user + system, from /proc; 10 ms ticks, so compared as means over many starts) a server
 * start uses up to its initialize result, without its code cache: wall-clock times on a loaded
 * machine vary more than the difference between two builds.
 */
async function startCpuMs(dir: string): Promise<number> {
  const p = spawn(process.execPath, [path.join(dir, 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, VIP_API_CODE_CACHE: 'off' },
  });
  const c = createProtocolConnection(new StreamMessageReader(p.stdout), new StreamMessageWriter(p.stdin));
  c.listen();
  try {
    await c.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    const fields = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } finally {
    c.dispose();
    p.kill();
    await new Promise((r) => p.once('exit', r));
  }
}
const TICKS_PER_SECOND = 100;

interface Sample {
  cached: number;
  first: number;
  bare: number;
  rss: number;
  language: number;
  send: number;
  cpu: number;
}

const CPU_STARTS = 10;

async function sample(dir: string): Promise<Sample> {
  const start = await coldStart(5, path.join(dir, 'server.js'));
  const rss = await memoryAfter100Files(path.join(dir, 'server.js'));
  let cpu = 0;
  for (let i = 0; i < CPU_STARTS; i++) cpu += await startCpuMs(dir);
  return {
    cached: start.server,
    first: start.firstStart,
    bare: start.bare,
    rss,
    language: requireMs(dir, 'language.js'),
    send: requireMs(dir, 'send.js'),
    cpu: cpu / CPU_STARTS,
  };
}

async function main(): Promise<void> {
  const samples: [Sample, Sample][] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which build goes first, so neither always runs on a warmer machine.
    const pair = i % 2 ? [await sample(b), await sample(a)].reverse() : [await sample(a), await sample(b)];
    samples.push(pair as [Sample, Sample]);
    process.stderr.write(`round ${i + 1} of ${rounds}: ${JSON.stringify(pair)}\n`);
  }
  const col = (k: keyof Sample, side: 0 | 1) => median(samples.map((s) => s[side][k]));
  const ratio = (k: keyof Sample) => median(samples.map(([x, y]) => y[k] / x[k]));
  const rows = [
    ['Cold start with the code cache ÷ node -e 0', 'cachedVsBare'],
    ['Cold start, first (no code cache) ÷ node -e 0', 'firstVsBare'],
  ] as const;
  const out = [`A: ${a}`, `B: ${b}`, `${rounds} rounds, medians`, '| Measure | A | B | B ÷ A |', '|---|---|---|---|'];
  for (const [label, kind] of rows) {
    const k = kind === 'cachedVsBare' ? 'cached' : 'first';
    const rel = (side: 0 | 1) => median(samples.map((s) => s[side][k] / s[side].bare));
    out.push(`| ${label} | ${fmtRatio(rel(0))} | ${fmtRatio(rel(1))} | ${fmtRatio(ratio(k))} |`);
  }
  out.push(
    `| RSS after 100 files | ${fmtBytes(col('rss', 0))} | ${fmtBytes(col('rss', 1))} | ${fmtRatio(ratio('rss'))} |`,
  );
  const mean = (side: 0 | 1) => samples.reduce((n, s) => n + s[side].cpu, 0) / samples.length;
  out.push(
    `| CPU time of a start (no code cache), mean of ${rounds * CPU_STARTS} | ${fmtMs(mean(0))} | ${fmtMs(mean(1))} | ${fmtRatio(mean(1) / mean(0))} |`,
  );
  for (const k of ['language', 'send'] as const)
    out.push(`| require dist/${k}.js | ${fmtMs(col(k, 0))} | ${fmtMs(col(k, 1))} | ${fmtRatio(ratio(k))} |`);
  console.log(out.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
