// Sections 5 and 6: sending to the simulator over mutual TLS on loopback, against curl and a raw
// Node keep-alive client; and the simulator's own throughput with 16 concurrent clients.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startSimulator, type RunningSimulator } from '../core/simulator';
import { AgentPool, sendText, type Environment } from '../core/transport';
import { makePki, type Pki } from '../test/helpers/pki';
import { median, percentile } from './stats';

const run = promisify(execFile);
const TOKEN = 'SYMC10000001';
const REQUEST = JSON.stringify({ GetTokenInformationRequest: { Version: '3.1', RequestId: 'BENCH1', TokenId: TOKEN } });

export interface SendBench {
  single: { ours: number; curl: number };
  ten: { ours: number; raw: number; oursReused: boolean };
  simulator: { requestsPerSecond: number; p50: number; p99: number; errors: number; requests: number; concurrency: number };
}

async function withSimulator<T>(fn: (sim: RunningSimulator, pki: Pki) => Promise<T>): Promise<T> {
  const pki = makePki();
  const sim = await startSimulator({ host: '127.0.0.1', tls: { cert: fs.readFileSync(pki.server.cert), key: fs.readFileSync(pki.server.key), clientCa: fs.readFileSync(pki.ca.cert) } });
  try {
    return await fn(sim, pki);
  } finally {
    await sim.close();
  }
}

function env(sim: RunningSimulator, pki: Pki): Environment {
  return { name: 'bench', url: `${sim.url.replace(/\/+$/, '')}/{operation}`, cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert };
}

/** One request on a new connection (TLS handshake included): ours in-process vs curl's own time_total. */
async function single(sim: RunningSimulator, pki: Pki, runs = 15): Promise<{ ours: number; curl: number }> {
  const e = env(sim, pki);
  const url = `${sim.url.replace(/\/+$/, '')}/get-token-information`;
  const curl = async () => {
    const { stdout } = await run('curl', ['--silent', '--show-error', '--tlsv1.2', '--cert', pki.client.cert, '--key', pki.client.key, '--cacert', pki.ca.cert,
      '-H', 'Content-Type: application/json', '--data-binary', REQUEST, '-o', '/dev/null', '-w', '%{time_total}', url]);
    return Number(stdout) * 1000;
  };
  const ours = async () => {
    const t = performance.now();
    const r = await sendText(REQUEST, e, { agents: new AgentPool() });
    if (r.reasonCode !== '0000') throw new Error(`unexpected ${r.reasonCode}`);
    return performance.now() - t;
  };
  await ours();
  await curl();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(await ours());
    b.push(await curl());
  }
  return { ours: median(a), curl: median(b) };
}

/** Ten sequential requests on one environment (keep-alive) vs a raw node:https keep-alive client. */
async function ten(sim: RunningSimulator, pki: Pki, rounds = 10): Promise<{ ours: number; raw: number; oursReused: boolean }> {
  const e = env(sim, pki);
  const url = new URL(`${sim.url.replace(/\/+$/, '')}/get-token-information`);
  const tlsOptions = { cert: fs.readFileSync(pki.client.cert), key: fs.readFileSync(pki.client.key), ca: fs.readFileSync(pki.ca.cert), minVersion: 'TLSv1.2' as const };
  let reused = true;
  const ours = async () => {
    const agents = new AgentPool();
    const t = performance.now();
    for (let i = 0; i < 10; i++) {
      const r = await sendText(REQUEST, e, { agents });
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
        const req = https.request(url, { method: 'POST', agent, ...tlsOptions, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(REQUEST) } }, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end(REQUEST);
      });
    }
    const elapsed = performance.now() - t;
    agent.destroy();
    return elapsed;
  };
  await ours();
  await raw();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await ours());
    b.push(await raw());
  }
  return { ours: median(a), raw: median(b), oursReused: reused };
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
    const set = await post('set-temporary-password', { SetTemporaryPasswordRequest: { Version: '3.1', TokenId: TOKEN, TemporaryPassword: '482913', ExpirationDate: expiry } }, agent0);
    if (!JSON.stringify(set).includes('"0000"')) throw new Error(`could not set a temporary password: ${JSON.stringify(set)}`);
    const body = { ValidateRequest: { Version: '3.1', TokenId: TOKEN, OTP: '482913' } };
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
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
    }));
    agent0.destroy();
    return { requestsPerSecond: latencies.length / seconds, p50: median(latencies), p99: percentile(latencies, 99), errors, requests: latencies.length, concurrency };
  } finally {
    await sim.close();
  }
}

async function fetchJson(url: string, body: unknown, agent: import('node:http').Agent): Promise<unknown> {
  const http = await import('node:http');
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

export async function measureSend(log: (s: string) => void = () => undefined): Promise<SendBench> {
  const { s, t } = await withSimulator(async (sim, pki) => ({ s: await single(sim, pki), t: await ten(sim, pki) }));
  log(`  one request: ours ${s.ours.toFixed(1)} ms, curl ${s.curl.toFixed(1)} ms; ten: ours ${t.ours.toFixed(1)} ms, raw ${t.raw.toFixed(1)} ms`);
  const simulator = await throughput();
  log(`  simulator: ${simulator.requestsPerSecond.toFixed(0)} req/s, p99 ${simulator.p99.toFixed(1)} ms, ${simulator.errors} errors`);
  return { single: s, ten: t, simulator };
}

if (require.main === module) void measureSend(console.log);
