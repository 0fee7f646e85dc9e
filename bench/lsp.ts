// Sections 2–4: the bundled language server over a real stdio connection — keystroke latency,
// hover and completion latency, cold start against bare `node`, and memory with 100 open files.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CompletionRequest,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  type Position,
} from 'vscode-languageserver-protocol/node';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BUNDLED_SERVER, TestLspClient } from '../test/helpers/lspClient';
import { tokenInformationResponse, typicalResponse } from './docs';
import { median, percentile } from './stats';

export interface LatencyRow {
  what: string;
  runs: number;
  p50: number;
  p95: number;
  p99: number;
}

const latency = (what: string, xs: number[]): LatencyRow => ({
  what,
  runs: xs.length,
  p50: median(xs),
  p95: percentile(xs, 95),
  p99: percentile(xs, 99),
});

async function startClient(server = BUNDLED_SERVER): Promise<{ client: TestLspClient; completion: boolean }> {
  const client = new TestLspClient({ serverModule: server, settings: { validation: { debounceMs: 0 } } });
  const init = await client.initialize({ workspace: { configuration: true } });
  return { client, completion: !!init.capabilities.completionProvider };
}

/** The documents of the latency measures: the size users edit, then larger ones. */
function latencyDocuments(sizes: readonly (readonly [string, number])[]): { label: string; text: string }[] {
  const typical = typicalResponse();
  return [
    {
      label: `${(Buffer.byteLength(typical.text) / 1024).toFixed(1)} KB, valid, every field known`,
      text: typical.text,
    },
    ...sizes.map(([label, size]) => ({
      label: `${label}, valid; bulk in an unknown field`,
      text: tokenInformationResponse(size, false).text,
    })),
  ];
}

/** didChange → publishDiagnostics for that version, on a 1–3 KB and a 10 KB document (debounce set to 0). */
export async function keystrokeLatency(edits = 200): Promise<LatencyRow[]> {
  const { client } = await startClient();
  const rows: LatencyRow[] = [];
  try {
    for (const { label, text } of latencyDocuments([['10 KB', 10_240]])) {
      const uri = `file:///bench/keystroke-${rows.length}.vip.json`;
      const at = TextDocument.create(uri, 'vip-json', 1, text).positionAt(text.indexOf('"0000"') + 1);
      await client.open(uri, text);
      await client.diagnosticsForVersion(uri, 1);
      const times: number[] = [];
      for (let v = 2; v < edits + 2; v++) {
        // Alternate a valid and an unknown reason code so every edit changes the result.
        const code = v % 2 ? '0000' : '4abc';
        const t = performance.now();
        await client.change(uri, v, [
          { range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: code },
        ]);
        await client.diagnosticsForVersion(uri, v);
        times.push(performance.now() - t);
      }
      rows.push(latency(`didChange → publishDiagnostics, ${label}, debounce 0`, times));
    }
    return rows;
  } finally {
    await client.shutdown();
  }
}

/** Hover and completion on 1–3 KB, 10 KB and 1 MB documents, at positions spread over the document. */
export async function requestLatency(requests = 200): Promise<LatencyRow[]> {
  const { client, completion } = await startClient();
  const rows: LatencyRow[] = [];
  try {
    for (const [n, { label, text }] of latencyDocuments([
      ['10 KB', 10_240],
      ['1 MB', 1 << 20],
    ]).entries()) {
      const uri = `file:///bench/latency-${n}.vip.json`;
      const doc = TextDocument.create(uri, 'vip-json', 1, text);
      await client.open(uri, text);
      await client.diagnosticsForVersion(uri, 1);
      // Positions on keys and values all over the document.
      const offsets: number[] = [];
      for (let i = 0; i < requests; i++) offsets.push(Math.floor((((i * 7919) % requests) / requests) * text.length));
      const keyPositions: Position[] = offsets.map((o) => doc.positionAt(text.indexOf('"', o) + 2));
      const hoverTimes: number[] = [];
      for (const position of keyPositions) {
        const t = performance.now();
        await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
        hoverTimes.push(performance.now() - t);
      }
      rows.push(latency(`hover, ${label}`, hoverTimes));
      if (completion) {
        const completionTimes: number[] = [];
        const inBody = doc.positionAt(text.indexOf('"RequestId"'));
        for (let i = 0; i < requests; i++) {
          const t = performance.now();
          await client.connection.sendRequest(CompletionRequest.type, {
            textDocument: { uri },
            position: i % 2 ? inBody : keyPositions[i],
          });
          completionTimes.push(performance.now() - t);
        }
        rows.push(latency(`completion, ${label}`, completionTimes));
      }
    }
    return rows;
  } finally {
    await client.shutdown();
  }
}

async function spawnToInitialize(env: NodeJS.ProcessEnv, server: string): Promise<number> {
  const t = performance.now();
  const p = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env });
  const c = createProtocolConnection(new StreamMessageReader(p.stdout), new StreamMessageWriter(p.stdin));
  c.listen();
  await c.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
  const elapsed = performance.now() - t;
  c.dispose();
  p.kill();
  await new Promise((r) => p.once('exit', r));
  return elapsed;
}

async function bareNode(): Promise<number> {
  const t = performance.now();
  await new Promise((r) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).once('exit', r));
  return performance.now() - t;
}

/**
 * A first session as a user's: start, initialize, open and validate a request; the server writes
 * its V8 code cache (scripts/codeCache.mjs) ~3 s after such a start. Waits for it (at most 15 s).
 */
async function firstSession(env: NodeJS.ProcessEnv, cacheDir: string, server: string): Promise<boolean> {
  const p = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env });
  const c = createProtocolConnection(new StreamMessageReader(p.stdout), new StreamMessageWriter(p.stdin));
  const published = new Promise((r) => c.onNotification(PublishDiagnosticsNotification.type, r));
  c.listen();
  try {
    await c.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    await c.sendNotification(InitializedNotification.type, {});
    const text = JSON.stringify(
      { DeactivateTokenRequest: { Version: '3.1', RequestId: 'R1', TokenId: 'VSST00000001' } },
      null,
      2,
    );
    await c.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: 'file:///bench/first.vip.json', languageId: 'vip-json', version: 1, text },
    });
    await published;
    for (let waited = 0; waited < 15_000; waited += 100) {
      if (fs.readdirSync(cacheDir).some((f) => f.endsWith('.cache'))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  } finally {
    c.dispose();
    p.kill();
    await new Promise((r) => p.once('exit', r));
  }
}

export interface ColdStart {
  /** Spawn → initialize result with the code cache a previous session wrote: every start after the first. */
  server: number;
  /** `node -e 0`: spawn → exit. */
  bare: number;
  /** The first start after an install or update: no code cache yet. */
  firstStart: number;
  /** Whether the first session wrote the code cache (false: `server` is without it too). */
  codeCache: boolean;
}

/**
 * Spawn → initialize result, against spawn → exit of `node -e 0`, alternated. The server is started
 * as the extension starts it (`node dist/server.js --stdio`, no extra flags); its code cache goes
 * to a directory of its own here (VIP_API_CODE_CACHE_DIR), written by one first session as a
 * user's, so the numbers do not depend on what ~/.cache holds. `server`: another build's (bench/compareBuilds.ts).
 */
export async function coldStart(runs = 15, server = BUNDLED_SERVER): Promise<ColdStart> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-bench-code-cache-'));
  try {
    const cached: NodeJS.ProcessEnv = { ...process.env, VIP_API_CODE_CACHE_DIR: cacheDir };
    delete cached.VIP_API_CODE_CACHE;
    const uncached: NodeJS.ProcessEnv = { ...process.env, VIP_API_CODE_CACHE: 'off' };
    await spawnToInitialize(uncached, server);
    await bareNode();
    const codeCache = await firstSession(cached, cacheDir, server);
    const started: number[] = [];
    const first: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      started.push(await spawnToInitialize(cached, server));
      bare.push(await bareNode());
      first.push(await spawnToInitialize(uncached, server));
    }
    return { server: median(started), bare: median(bare), firstStart: median(first), codeCache };
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** RSS of the server after opening 100 request files and validating each. */
export async function memoryAfter100Files(server = BUNDLED_SERVER): Promise<number> {
  const { client } = await startClient(server);
  try {
    for (let i = 0; i < 100; i++) {
      const uri = `file:///bench/many/${i}.vip.json`;
      const op = ['DeactivateToken', 'EnableToken', 'DisableToken', 'UnlockToken', 'GetTokenInformation'][i % 5];
      await client.open(
        uri,
        JSON.stringify(
          {
            [`${op}Request`]: {
              Version: i % 3 ? '3.1' : '5.0',
              RequestId: `R${i}`,
              TokenId: `VSST${String(i).padStart(8, '0')}`,
            },
          },
          null,
          2,
        ),
      );
      await client.diagnosticsForVersion(uri, 1);
    }
    const status = fs.readFileSync(`/proc/${client.process.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
  } finally {
    await client.shutdown();
  }
}
