// Against the real built-in simulator over real mutual TLS (certificates from openssl at test time),
// on 127.0.0.1 and 127.0.0.2; the Simulator environment's host; the CLI's default endpoint.
import { strict as assert } from 'node:assert';
import { execFile, fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { HistoryStore } from '../../client/src/send/history';
import { tokenInformationRequest } from '../../client/src/send/present';
import { SimulatorHost, startOnFirstFreePort } from '../../client/src/send/simulatorHost';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { AgentPool, TransportError, sendText, type Environment } from '../../core/transport';
import { makePki, type Pki } from '../helpers/pki';

let pki: Pki;
const sims: Record<string, RunningSimulator> = {};

before(async () => {
  pki = makePki();
  const tls = {
    cert: pki.read(pki.server.cert),
    key: pki.read(pki.server.key),
    clientCa: pki.read(pki.ca.cert),
    revokedSerials: [pki.revokedClient.serial],
  };
  sims['127.0.0.1'] = await startSimulator({ host: '127.0.0.1', tls });
  sims['127.0.0.2'] = await startSimulator({ host: '127.0.0.2', tls });
});
after(async () => {
  await Promise.all(Object.values(sims).map((s) => s.close()));
});

const info = (id: string) => `{"GetTokenInformationRequest": {"Version": "3.1", "TokenId": "${id}"}}`;
const env = (host: string, extra: Partial<Environment> = {}): Environment => ({
  name: `sim ${host}`,
  url: `${sims[host].url}/{operation}`,
  ca: pki.ca.cert,
  ...extra,
});

for (const host of ['127.0.0.1', '127.0.0.2']) {
  describe(`simulator over mutual TLS on ${host}`, () => {
    test('PEM and PKCS#12 client certificates succeed', async () => {
      const a = await sendText(info('SYMC10000001'), env(host, { cert: pki.client.cert, key: pki.client.key }));
      assert.equal(a.reasonCode, '0000', a.text);
      assert.equal(a.tls?.authorized, true);
      const b = await sendText(info('SYMC10000001'), env(host, { pfx: pki.client.p12 }), {
        passphrase: pki.passphrase,
      });
      assert.equal(b.reasonCode, '0000');
    });

    test('no client certificate: 4e02; revoked: 4e0b; untrusted issuer: 4e02', async () => {
      const none = await sendText(info('SYMC10000001'), env(host));
      assert.equal(none.reasonCode, '4e02');
      assert.equal(none.success, false);
      assert.ok(none.reason?.transport);
      const revoked = await sendText(
        info('SYMC10000001'),
        env(host, { cert: pki.revokedClient.cert, key: pki.revokedClient.key }),
      );
      assert.equal(revoked.reasonCode, '4e0b');
      const rogue = await sendText(
        info('SYMC10000001'),
        env(host, { cert: pki.untrusted.clientCert, key: pki.untrusted.clientKey }),
      );
      assert.equal(rogue.reasonCode, '4e02');
    });

    test('server not trusted without the CA', async () => {
      await assert.rejects(
        sendText(info('SYMC10000001'), env(host, { ca: undefined, cert: pki.client.cert, key: pki.client.key })),
        (e: unknown) => e instanceof TransportError && e.kind === 'server-certificate',
      );
    });
  });
}

describe('simulator: flows', () => {
  test('keep-alive against the simulator reuses the TLS connection', async () => {
    const agents = new AgentPool();
    try {
      const e = env('127.0.0.2', { pfx: pki.client.p12 });
      const first = await sendText(info('SYMC10000001'), e, { agents, passphrase: pki.passphrase });
      const second = await sendText(info('SYMC10000001'), e, { agents, passphrase: pki.passphrase });
      assert.equal(first.reusedConnection, false);
      assert.ok(first.timings.tls! > 0);
      assert.equal(second.reusedConnection, true);
      assert.equal(second.timings.tls, undefined);
    } finally {
      agents.destroy();
    }
  });

  test('a real OTP validates; logs and history never contain it', async () => {
    const sim = sims['127.0.0.1'];
    const otp = sim.otp('SYMC10000001')!;
    assert.match(otp, /^\d{6}$/);
    const lines: string[] = [];
    const e = env('127.0.0.1', { cert: pki.client.cert, key: pki.client.encryptedKey });
    const req = `{"ValidateRequest": {"Version": "3.1", "TokenId": "SYMC10000001", "OTP": "${otp}"}}`;
    const r = await sendText(req, e, { passphrase: pki.passphrase, log: (l) => lines.push(l) });
    assert.equal(r.reasonCode, '0000', r.text);
    const file = path.join(pki.dir, 'history.json');
    new HistoryStore(file, () => 50).add({
      time: new Date().toISOString(),
      environment: e.name,
      operation: 'Validate',
      url: r.url,
      request: r.request.value,
      response: r.json,
      reasonCode: r.reasonCode,
    });
    const stored = fs.readFileSync(file, 'utf8') + lines.join('\n');
    assert.ok(lines.length >= 2);
    assert.ok(!stored.includes(otp), stored);
    assert.ok(!stored.includes(pki.passphrase));
  });

  test('a token-state error, then the ready GetTokenInformation request shows the state', async () => {
    const e = env('127.0.0.2', { cert: pki.client.cert, key: pki.client.key });
    const r = await sendText('{"ValidateRequest": {"Version": "3.1", "TokenId": "SYMC10000004", "OTP": "123456"}}', e);
    assert.equal(r.reason?.state, 'LOCKED', `${r.reasonCode}: ${r.text}`);
    const next = await sendText(tokenInformationRequest(r.request.value)!, e);
    assert.equal(next.reasonCode, '0000');
    assert.match(next.text, /LOCKED/);
  });
});

describe('the Simulator environment and the CLI default', () => {
  test('SimulatorHost starts the bundled vip-api simulator once on 127.0.0.1 and closes it', async () => {
    const lines: string[] = [];
    const host = new SimulatorHost(path.resolve(__dirname, '../../dist/server.js'), (l) => lines.push(l));
    const [a, b] = await Promise.all([host.url(), host.url()]);
    assert.equal(a, b);
    assert.match(a, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await sendText(info('SYMC10000001'), { name: 'Simulator', url: `${a}/{operation}` });
    assert.equal(r.reasonCode, '0000');
    await host.close();
    assert.equal(host.currentUrl, undefined);
    await assert.rejects(
      sendText(info('SYMC10000001'), { name: 'Simulator', url: `${a}/{operation}` }),
      (e: unknown) => e instanceof TransportError && e.kind === 'refused',
    );
    assert.ok(
      lines.some((l) => /GetTokenInformation/.test(l)),
      `the simulator's request lines reach the log: ${lines.join(' | ')}`,
    );
    assert.match(await host.url(), /^http:\/\/127\.0\.0\.1:\d+$/, 'it starts again on the next use');
    await host.close();
  });

  test('the bundled simulator checks a state file with the precompiled validator: a custom state starts, a bad one is one sentence and exit 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-bundled-state-'));
    try {
      const server = path.resolve(__dirname, '../../dist/server.js');
      const demo = JSON.parse(
        fs.readFileSync(path.resolve(__dirname, '../../schemas/simulator-demo-state.json'), 'utf8'),
      ) as { tokens: { id: string; adapter: string }[] };
      const good = path.join(dir, 'good.json');
      fs.writeFileSync(good, JSON.stringify({ ...demo, tokens: demo.tokens.slice(0, 2) }));
      const child = spawn(process.execPath, [server, 'simulator', '--port', '0', '--state', good], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const url = await new Promise<string>((resolve, reject) => {
          readline.createInterface({ input: child.stdout }).on('line', (line) => {
            const m = /^VIP simulator listening on (\S+)/.exec(line);
            if (m) resolve(m[1].replace(/\/+$/, ''));
          });
          child.once('exit', (code) => reject(new Error(`the simulator exited (${code}): ${stderr}`)));
        });
        assert.equal(
          (await sendText(info('SYMC10000001'), { name: 'Simulator', url: `${url}/{operation}` })).reasonCode,
          '0000',
        );
        assert.equal(
          (await sendText(info('SYMC10000003'), { name: 'Simulator', url: `${url}/{operation}` })).reasonCode,
          '49f2',
          'only the two tokens of the custom state exist',
        );
      } finally {
        child.kill();
      }

      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ ...demo, tokens: [{ ...demo.tokens[0], adapter: 'NOT_AN_ADAPTER' }] }));
      const r = spawnSync(process.execPath, [server, 'simulator', '--state', bad], {
        encoding: 'utf8',
        timeout: 15_000,
      });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(
        r.stderr.trim(),
        `vip-api simulator: state file ${bad}: not a valid simulator state: /tokens/0/adapter must be equal to one of the allowed values`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the bundled simulator forked with an IPC channel stops when its parent goes away (the channel closes), freeing its port', async () => {
    const child = fork(path.resolve(__dirname, '../../dist/server.js'), ['simulator', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exited = once(child, 'exit', { signal: AbortSignal.timeout(15_000) });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).on('line', (line) => {
          const m = /^VIP simulator listening on (\S+)/.exec(line);
          if (m) resolve(m[1].replace(/\/+$/, ''));
        });
        child.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
      });
      child.disconnect(); // what the extension host's death does to the channel
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, 'a clean stop');
      await assert.rejects(
        sendText(info('SYMC10000001'), { name: 'Simulator', url: `${url}/{operation}` }),
        (e: unknown) => e instanceof TransportError && e.kind === 'refused',
      );
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test('SimulatorHost: a simulator that cannot start is a clear error, and the next use tries again', async () => {
    const host = new SimulatorHost(path.resolve(__dirname, '../../no-such-cli.js'), () => {});
    await assert.rejects(host.url(), /simulator (exited before it was ready|could not be started)/);
    await assert.rejects(host.url(), /simulator/);
  });

  test('SimulatorHost on a fixed port: a port in use is the next free one above it (startOnFirstFreePort); other failures stop at once', async () => {
    const server = path.resolve(__dirname, '../../dist/server.js');
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const taken = (busy.address() as net.AddressInfo).port;
    try {
      const alone = new SimulatorHost(server, () => {}, { port: taken });
      await assert.rejects(alone.url(), /port is in use/);
      await assert.rejects(
        startOnFirstFreePort(taken, 1, (port) => new SimulatorHost(server, () => {}, { port })),
        new RegExp(`ports ${taken} to ${taken} are all in use`),
      );

      const started = await startOnFirstFreePort(taken, 5, (port) => new SimulatorHost(server, () => {}, { port }));
      try {
        assert.ok(started.port > taken && started.port < taken + 5, `${started.port} follows ${taken}`);
        assert.equal(started.url, `http://127.0.0.1:${started.port}`);
        assert.equal(
          (await sendText(info('SYMC10000001'), { name: 'Simulator', url: `${started.url}/{operation}` })).reasonCode,
          '0000',
        );
      } finally {
        await started.host.close();
      }
      await assert.rejects(
        startOnFirstFreePort(
          taken,
          5,
          () => new SimulatorHost(path.resolve(__dirname, '../../no-such-cli.js'), () => {}),
        ),
        /exited before it was ready|could not be started/,
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  test('vip-api send without an endpoint uses the built-in simulator and says so; exit 2 for a state error', async () => {
    const root = path.resolve(__dirname, '../..');
    const file = path.join(pki.dir, 'locked.vip.json');
    fs.writeFileSync(file, '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "SYMC10000006"}}');
    const run = (f: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', path.join(root, 'cli/main.ts'), 'send', f],
          { cwd: root },
          (e, stdout, stderr) => resolve({ code: e ? Number(e.code) : 0, stdout, stderr }),
        ),
      );
    const r = await run(file);
    assert.match(
      r.stderr,
      /sending to the built-in simulator at http:\/\/127\.0\.0\.1:\d+ \(started for this request\)/,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^4996 /m);
    assert.ok(JSON.parse(r.stdout).EnableTokenResponse);
  });
});
