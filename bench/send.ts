// Sections 5 and 6: sending to the simulator (in its own process) over mutual TLS on loopback,
// against curl and a raw Node keep-alive client; and the simulator's own throughput with 16
// concurrent clients.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startSimulator } from '../core/simulator';
import { AgentPool, sendText, type Environment } from '../core/transport';
import { makePki, type Pki } from '../test/helpers/pki';
import { median, pairedValues, percentile } from './stats';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const TOKEN = 'SYMC10000001';
const REQUEST = JSON.stringify({ GetTokenInformationRequest: { Version: '3.1', RequestId: 'BENCH1', TokenId: TOKEN } });

/** Medians of alternated runs, and the spread of the per-pair ratios (ours ÷ reference of the same pair). */
export interface PairedTimes {
  ours: number;
  runs: number;
  /** Ours ÷ reference within each pair: median, 25th and 75th percentile. */
  pairRatio: { median: number; p25: number; p75: number };
}

export interface SendBench {
  single: PairedTimes & { curl: number; oursResumed: boolean };
  ten: PairedTimes & { raw: number; oursReused: boolean };
  simulator: {
    requestsPerSecond: number;
    p50: number;
    p99: number;
    errors: number;
    requests: number;
    concurrency: number;
  };
}

interface SimulatorProcess {
  url: string;
  close(): Promise<void>;
}

/**
 * The simulator in its own process (`node dist/server.js simulator --tls …`, as the extension
 * starts it), as a real server would be: the client's work and the server's do not share one event
 * loop, and curl and the raw client talk to the same server process as ours.
 */
async function startSimulatorProcess(pki: Pki): Promise<SimulatorProcess> {
  const server = path.join(ROOT, 'dist', 'server.js');
  if (!fs.existsSync(server))
    throw new Error(`${server} is missing: build first (node esbuild.mjs; npm run bench does)`);
  // The child exits when our end of its stdin closes: a killed benchmark leaves no simulator behind.
  const watchdog = path.join(pki.dir, 'watchdog.cjs');
  fs.writeFileSync(
    watchdog,
    "const s = process.stdin; s.on('close', () => process.kill(process.pid, 'SIGTERM')).resume(); s.unref();\n",
  );
  const child = spawn(
    process.execPath,
    [
      '-r',
      watchdog,
      server,
      'simulator',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--tls',
      '--cert',
      pki.server.cert,
      '--key',
      pki.server.key,
      '--client-ca',
      pki.ca.cert,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail('did not print "listening on" within 10 s'), 10_000);
    let ready = false;
    function fail(why: string) {
      if (ready) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`simulator: ${why}\n${stderr}`));
    }
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^VIP simulator listening on (\S+)/.exec(line);
      if (m && !ready) {
        ready = true;
        clearTimeout(timer);
        // The request lines that follow are drained unread (a full pipe would stall the simulator).
        lines.close();
        child.stdout.resume();
        resolve(m[1].replace(/\/+$/, ''));
      }
    });
    void exited.then(() => fail(`exited before listening`));
  });
  return {
    url,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function withSimulator<T>(fn: (url: string, pki: Pki) => Promise<T>): Promise<T> {
  const pki = makePki();
  const sim = await startSimulatorProcess(pki);
  try {
    return await fn(sim.url, pki);
  } finally {
    await sim.close();
  }
}

function env(base: string, pki: Pki): Environment {
  return { name: 'bench', url: `${base}/{operation}`, cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert };
}

function summary(p: { a: number[]; b: number[] }): PairedTimes & { ref: number } {
  const ratios = p.a.map((x, i) => x / p.b[i]);
  return {
    ours: median(p.a),
    ref: median(p.b),
    runs: p.a.length,
    pairRatio: { median: median(ratios), p25: percentile(ratios, 25), p75: percentile(ratios, 75) },
  };
}

/**
 * One request on a new connection (TCP and a full TLS handshake, no session resumed) each time:
 * ours (`sendText` with a fresh agent pool, like a first send) vs curl's own time_total.
 */
async function single(base: string, pki: Pki, runs = 41): Promise<SendBench['single']> {
  const e = env(base, pki);
  const url = `${base}/get-token-information`;
  let resumed = false;
  const curl = async () => {
    const { stdout } = await run('curl', [
      '--silent',
      '--show-error',
      '--tlsv1.2',
      '--cert',
      pki.client.cert,
      '--key',
      pki.client.key,
      '--cacert',
      pki.ca.cert,
      '-H',
      'Content-Type: application/json',
      '--data-binary',
      REQUEST,
      '-o',
      '/dev/null',
      '-w',
      '%{time_total}',
      url,
    ]);
    return Number(stdout) * 1000;
  };
  const ours = async () => {
    const agents = new AgentPool();
    const t = performance.now();
    const r = await sendText(REQUEST, e, { agents });
    const elapsed = performance.now() - t;
    if (r.reasonCode !== '0000' || r.reusedConnection)
      throw new Error(`unexpected ${r.reasonCode}${r.reusedConnection ? ', reused connection' : ''}`);
    resumed ||= r.tls?.sessionReused === true;
    agents.destroy();
    return elapsed;
  };
  const s = summary(await pairedValues(ours, curl, runs));
  return { ours: s.ours, curl: s.ref, runs: s.runs, pairRatio: s.pairRatio, oursResumed: resumed };
}

/** Ten sequential requests on one environment (keep-alive, one new agent per round) vs a raw node:https keep-alive client. */
async function ten(base: string, pki: Pki, rounds = 31): Promise<SendBench['ten']> {
  const e = env(base, pki);
  const url = new URL(`${base}/get-token-information`);
  const tlsOptions = {
    cert: fs.readFileSync(pki.client.cert),
    key: fs.readFileSync(pki.client.key),
    ca: fs.readFileSync(pki.ca.cert),
    minVersion: 'TLSv1.2' as const,
  };
  let reused = true;
  const ours = async () => {
    const agents = new AgentPool();
    const t = performance.now();
    for (let i = 0; i < 10; i++) {
      const r = await sendText(REQUEST, e, { agents });
      if (r.reasonCode !== '0000') throw new Error(`unexpected ${r.reasonCode}`);
      if (i > 0) reused &&= r.reusedConnection;
    }
    const elapsed = performance.now() - t;
    agents.destroy();
    return elapsed;
  };
  const raw = async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ...tlsOptions });
    const t = performance.now();
    for (let i = 0; i < 10; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = https.request(
          url,
          {
            method: 'POST',
            agent,
            ...tlsOptions,
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(REQUEST) },
          },
          (res) => {
            res.on('data', () => undefined);
            res.on('end', () => resolve());
          },
        );
        req.on('error', reject);
        req.end(REQUEST);
      });
    }
    const elapsed = performance.now() - t;
    agent.destroy();
    return elapsed;
  };
  const s = summary(await pairedValues(ours, raw, rounds));
  return { ours: s.ours, raw: s.ref, runs: s.runs, pairRatio: s.pairRatio, oursReused: reused };
}

/** Validate with a (reusable) temporary password, from 16 concurrent keep-alive clients, for a few seconds. */
async function throughput(seconds = 5, concurrency = 16): Promise<SendBench['simulator']> {
  const sim = await startSimulator({ host: '127.0.0.1' });
  try {
    const base = sim.url.replace(/\/+$/, '');
    const post = (path: string, body: unknown, agent: import('node:http').Agent) =>
      fetchJson(`${base}/${path}`, body, agent);
    const agent0 = new (await import('node:http')).Agent({ keepAlive: true });
    const expiry = new Date(Date.now() + 86_400_000).toISOString();
    const set = await post(
      'set-temporary-password',
      {
        SetTemporaryPasswordRequest: {
          Version: '3.1',
          TokenId: TOKEN,
          TemporaryPassword: '482913',
          ExpirationDate: expiry,
        },
      },
      agent0,
    );
    if (!JSON.stringify(set).includes('"0000"'))
      throw new Error(`could not set a temporary password: ${JSON.stringify(set)}`);
    const body = { ValidateRequest: { Version: '3.1', TokenId: TOKEN, OTP: '482913' } };
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
        while (performance.now() < end) {
          const t = performance.now();
          try {
            const r = await post('validate', body, agent);
            if (!JSON.stringify(r).includes('"0000"')) errors++;
          } catch {
            errors++;
          }
          latencies.push(performance.now() - t);
        }
        agent.destroy();
      }),
    );
    agent0.destroy();
    return {
      requestsPerSecond: latencies.length / seconds,
      p50: median(latencies),
      p99: percentile(latencies, 99),
      errors,
      requests: latencies.length,
      concurrency,
    };
  } finally {
    await sim.close();
  }
}

async function fetchJson(url: string, body: unknown, agent: import('node:http').Agent): Promise<unknown> {
  const http = await import('node:http');
  const text = JSON.stringify(body);
  const reply = await new Promise<string>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
  return JSON.parse(reply);
}

export async function measureSend(
  log: (s: string) => void = () => undefined,
  opts: { throughput?: boolean } = {},
): Promise<SendBench> {
  const { s, t } = await withSimulator(async (base, pki) => ({ s: await single(base, pki), t: await ten(base, pki) }));
  const spread = (p: PairedTimes) => `pairs ${p.pairRatio.p25.toFixed(2)}–${p.pairRatio.p75.toFixed(2)}×`;
  log(
    `  one request: ours ${s.ours.toFixed(1)} ms, curl ${s.curl.toFixed(1)} ms (${spread(s)}); ten: ours ${t.ours.toFixed(1)} ms, raw ${t.raw.toFixed(1)} ms (${spread(t)})`,
  );
  if (opts.throughput === false)
    return {
      single: s,
      ten: t,
      simulator: { requestsPerSecond: NaN, p50: NaN, p99: NaN, errors: 0, requests: 0, concurrency: 0 },
    };
  const simulator = await throughput();
  log(
    `  simulator: ${simulator.requestsPerSecond.toFixed(0)} req/s, p99 ${simulator.p99.toFixed(1)} ms, ${simulator.errors} errors`,
  );
  return { single: s, ten: t, simulator };
}

if (require.main === module) void measureSend(console.log);
