// TLS defaults of the transport and of `vip-api send`: the server certificate is verified unless
// the environment says `rejectUnauthorized: false` or the CLI gets --insecure (and then it is
// said), and TLS 1.0/1.1 servers are refused even when the host process allows them.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, mock, test } from 'node:test';
import { sendText, type Environment } from '../../core/transport';
import { makePki, type Pki } from '../helpers/pki';
import { vipOk } from '../transport/testServer';
import { cliBundle, runCli, runNode, startSimulatorProcess } from './helpers';
import { expectTransportError as refused } from '../helpers/transportErrors';

const REQ = '{"GetServerTimeRequest":{"Version":"3.1"}}';
let pki: Pki;
let reqFile: string;
let selfSigned: { cert: string; key: string };
const closers: (() => Promise<void>)[] = [];

interface Server {
  port: number;
  url: string;
  /** HTTP requests that reached the handler (none may arrive when the handshake must fail). */
  requests: number;
}

/** A loopback HTTPS server answering VIP JSON, with any TLS options (e.g. maxVersion TLSv1). */
async function server(options: https.ServerOptions): Promise<Server> {
  const s = https.createServer(options);
  const state: Server = { port: 0, url: '', requests: 0 };
  s.on('request', (req, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => vipOk(Object.assign(req, { body: Buffer.concat(chunks).toString('utf8') }), res));
  });
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  state.port = (s.address() as net.AddressInfo).port;
  state.url = `https://127.0.0.1:${state.port}/{operation}`;
  closers.push(
    () =>
      new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  );
  return state;
}

const trusted = () => ({ cert: fs.readFileSync(pki.server.cert), key: fs.readFileSync(pki.server.key) });
// OpenSSL 3 offers TLS 1.0/1.1 only at security level 0.
const legacy = (v: 'TLSv1' | 'TLSv1.1'): https.ServerOptions => ({
  ...trusted(),
  minVersion: 'TLSv1',
  maxVersion: v,
  ciphers: 'DEFAULT@SECLEVEL=0',
});

before(async () => {
  pki = makePki();
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  o(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'self.key']);
  o([
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-subj',
    '/CN=localhost',
    '-days',
    '1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-out',
    'self.crt',
  ]);
  selfSigned = { cert: path.join(pki.dir, 'self.crt'), key: path.join(pki.dir, 'self.key') };
  reqFile = path.join(pki.dir, 'time.vip.json');
  fs.writeFileSync(reqFile, REQ);
  await cliBundle();
});
after(async () => {
  await Promise.all(closers.map((c) => c()));
});

describe('server certificate verification is on by default', () => {
  test('transport: self-signed and unknown-CA servers are refused before any request is sent', async () => {
    const self = await server({ cert: fs.readFileSync(selfSigned.cert), key: fs.readFileSync(selfSigned.key) });
    const rogue = await server({
      cert: fs.readFileSync(pki.untrusted.serverCert),
      key: fs.readFileSync(pki.untrusted.serverKey),
    });
    // No "ca": the system roots; no "rejectUnauthorized": the default.
    await refused(
      sendText(REQ, { name: 'self', url: self.url }),
      'server-certificate',
      /self-signed and not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    await refused(sendText(REQ, { name: 'rogue', url: rogue.url }), 'server-certificate', /not trusted/);
    await refused(
      sendText(REQ, { name: 'rogue', url: rogue.url, ca: pki.ca.cert }),
      'server-certificate',
      /not trusted.*CA file/,
    );
    assert.equal(self.requests + rogue.requests, 0, 'no request may reach an unverified server');
  });

  test('transport: NODE_TLS_REJECT_UNAUTHORIZED=0 in the host process does not turn verification off', async () => {
    const self = await server({ cert: fs.readFileSync(selfSigned.cert), key: fs.readFileSync(selfSigned.key) });
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    const quiet = mock.method(process, 'emitWarning', () => {}); // Node warns once about the variable; not this test's subject.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      await refused(sendText(REQ, { name: 'self', url: self.url }), 'server-certificate', /self-signed/);
    } finally {
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
      quiet.mock.restore();
    }
    assert.equal(self.requests, 0);
  });

  test('transport: only rejectUnauthorized false turns it off, and the result and log say so', async () => {
    const self = await server({ cert: fs.readFileSync(selfSigned.cert), key: fs.readFileSync(selfSigned.key) });
    const lines: string[] = [];
    const env: Environment = { name: 'lab', url: self.url, rejectUnauthorized: false };
    const r = await sendText(REQ, env, { log: (l) => lines.push(l) });
    assert.equal(r.reasonCode, '0000');
    assert.equal(r.insecure, true);
    assert.equal(r.tls?.authorized, false);
    assert.match(r.tls?.authorizationError ?? '', /SELF_SIGNED/);
    assert.ok(
      lines.some((l) => /verification is OFF for environment "lab"/.test(l)),
      lines.join('\n'),
    );
    // rejectUnauthorized true (explicit) behaves like the default.
    await refused(sendText(REQ, { ...env, rejectUnauthorized: true }), 'server-certificate', /self-signed/);
  });

  test('vip-api send: untrusted servers refused (exit 1, the sentence on stderr), even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const self = await server({ cert: fs.readFileSync(selfSigned.cert), key: fs.readFileSync(selfSigned.key) });
    const rogue = await server({
      cert: fs.readFileSync(pki.untrusted.serverCert),
      key: fs.readFileSync(pki.untrusted.serverKey),
    });
    for (const [s, re] of [
      [self, /self-signed and not trusted/],
      [rogue, /not trusted/],
    ] as const) {
      for (const env of [{}, { NODE_TLS_REJECT_UNAUTHORIZED: '0' }]) {
        const r = await runCli(['send', reqFile, '--url', s.url], { env });
        assert.equal(r.code, 1, `${JSON.stringify(env)}: ${r.stderr}`);
        assert.match(r.stderr, re);
        assert.equal(r.stdout, '', 'no response on stdout');
      }
    }
    assert.equal(self.requests + rogue.requests, 0);
  });

  test('vip-api send --insecure: sends, and warns on stderr', async () => {
    const self = await server({ cert: fs.readFileSync(selfSigned.cert), key: fs.readFileSync(selfSigned.key) });
    const r = await runCli(['send', reqFile, '--url', self.url, '--insecure']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /--insecure: the server certificate is NOT verified/);
    assert.equal(JSON.parse(r.stdout).GetServerTimeResponse.Status.ReasonCode, '0000');
    assert.equal(self.requests, 1);
  });

  test('regression: vip-api send --env with "rejectUnauthorized": false in the config warns on stderr like --insecure', async () => {
    const self = await server({ cert: fs.readFileSync(selfSigned.cert), key: fs.readFileSync(selfSigned.key) });
    const config = path.join(pki.dir, 'insecure-env.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        'vipApi.environments': [
          { name: 'lab', url: self.url, rejectUnauthorized: false },
          { name: 'strict', url: self.url },
        ],
      }),
    );
    const off = await runCli(['send', reqFile, '--env', 'lab', '--config', config]);
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stderr, /NOT verified/);
    const on = await runCli(['send', reqFile, '--env', 'strict', '--config', config]);
    assert.equal(on.code, 1, on.stderr);
    assert.match(on.stderr, /self-signed/);
    // A string is not an explicit false: the config is refused rather than read as "off".
    fs.writeFileSync(
      config,
      JSON.stringify({ 'vipApi.environments': [{ name: 'lab', url: self.url, rejectUnauthorized: 'false' }] }),
    );
    const str = await runCli(['send', reqFile, '--env', 'lab', '--config', config]);
    assert.equal(str.code, 1);
    assert.match(str.stderr, /"rejectUnauthorized" must be true or false/);
    assert.equal(self.requests, 1);
  });
});

/**
 * Parses the first TLS record a client sends (a ClientHello) and returns the protocol versions it
 * offers: the supported_versions extension (TLS 1.3 clients), else the legacy client_version.
 */
function offeredVersions(hello: Buffer): number[] {
  assert.equal(hello[0], 0x16, 'a TLS handshake record');
  assert.equal(hello[5], 0x01, 'a ClientHello');
  let p = 9;
  const clientVersion = hello.readUInt16BE(p);
  p += 2 + 32;
  p += 1 + hello[p]; // session id
  p += 2 + hello.readUInt16BE(p); // cipher suites
  p += 1 + hello[p]; // compression methods
  const end = p + 2 + hello.readUInt16BE(p);
  p += 2;
  while (p + 4 <= end) {
    const type = hello.readUInt16BE(p);
    const len = hello.readUInt16BE(p + 2);
    if (type === 0x002b) {
      const versions: number[] = [];
      for (let i = p + 5; i < p + 5 + hello[p + 4]; i += 2) versions.push(hello.readUInt16BE(i));
      return versions.filter((v) => (v & 0x0f0f) !== 0x0a0a); // drop GREASE values
    }
    p += 4 + len;
  }
  return [clientVersion];
}

describe('TLS 1.0 and 1.1 servers are refused', () => {
  // Node's own default is TLS 1.2 already, so a test under the defaults could not fail: lower the
  // defaults of this process (as --tls-min-v1.0 or an embedding host would) and check the
  // transport still insists on TLS 1.2 on its own.
  let saved: { min: tls.SecureVersion; ciphers: string };
  before(() => {
    saved = { min: tls.DEFAULT_MIN_VERSION, ciphers: tls.DEFAULT_CIPHERS };
    tls.DEFAULT_MIN_VERSION = 'TLSv1';
    tls.DEFAULT_CIPHERS = 'DEFAULT@SECLEVEL=0';
  });
  after(() => {
    tls.DEFAULT_MIN_VERSION = saved.min;
    tls.DEFAULT_CIPHERS = saved.ciphers;
  });

  /** Whether a client with the lowered defaults completes a handshake with this server. */
  function legacyHandshake(port: number): Promise<string | null> {
    return new Promise((resolve) => {
      const s = tls.connect({ host: '127.0.0.1', port, ca: fs.readFileSync(pki.ca.cert) }, () => {
        const v = s.getProtocol();
        s.end();
        resolve(v);
      });
      s.on('error', () => resolve(null));
    });
  }

  for (const version of ['TLSv1', 'TLSv1.1'] as const) {
    test(`regression: a ${version}-only server is reported as a TLS version problem, not a client-certificate rejection (transport and vip-api send)`, async (t) => {
      const s = await server(legacy(version));
      const control = await legacyHandshake(s.port);
      if (control !== version) {
        // This OpenSSL cannot speak the old version at all: the server can never be reached by
        // anyone, so the refusal is shown by the ClientHello test below instead.
        t.skip(`this machine's OpenSSL cannot negotiate ${version} (control handshake: ${control})`);
        return;
      }
      await refused(
        sendText(REQ, { name: 'old', url: s.url, ca: pki.ca.cert }),
        'handshake',
        /does not support TLS 1\.2 or later.*VIP requires TLS 1\.2\+/,
      );
      // The CLI under a Node started with the same lowered defaults.
      const lowered = { NODE_OPTIONS: '--tls-min-v1.0 --tls-cipher-list=DEFAULT@SECLEVEL=0' };
      const probe = await runNode(
        [
          '-e',
          `require('tls').connect({host:'127.0.0.1',port:${s.port},rejectUnauthorized:false},function(){console.log(this.getProtocol());this.end()}).on('error',e=>console.log(e.code))`,
        ],
        { env: lowered },
      );
      assert.equal(probe.stdout.trim(), version, 'a child Node with these options does speak the old version');
      const r = await runCli(['send', reqFile, '--url', s.url, '--ca', pki.ca.cert], { env: lowered });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /does not support TLS 1\.2 or later/);
      assert.equal(s.requests, 0);
    });
  }

  test('vip-api simulator --tls refuses TLS 1.0/1.1 clients (a TLS 1.2 client gets through)', async () => {
    // Its Node is started with lowered defaults too: only the simulator's own minVersion can refuse.
    const sim = await startSimulatorProcess(['--tls', '--cert', pki.server.cert, '--key', pki.server.key], {
      env: { NODE_OPTIONS: '--tls-min-v1.0 --tls-cipher-list=DEFAULT@SECLEVEL=0' },
    });
    try {
      const port = Number(new URL(sim.url).port);
      const hello = (maxVersion: tls.SecureVersion) =>
        new Promise<string>((resolve) => {
          const s = tls.connect(
            { host: '127.0.0.1', port, ca: fs.readFileSync(pki.ca.cert), minVersion: 'TLSv1', maxVersion },
            () => {
              resolve(String(s.getProtocol()));
              s.end();
            },
          );
          s.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
        });
      assert.equal(await hello('TLSv1.2'), 'TLSv1.2');
      for (const v of ['TLSv1', 'TLSv1.1'] as const) assert.match(await hello(v), /^error /, v);
    } finally {
      assert.equal(await sim.stop(), 0);
    }
  });

  test('the transport offers nothing below TLS 1.2 in its ClientHello (even with lowered defaults)', async () => {
    const hello = new Promise<Buffer>((resolve) => {
      const raw = net.createServer((socket) => {
        let buf = Buffer.alloc(0);
        socket.on('data', (c: Buffer) => {
          buf = Buffer.concat([buf, c]);
          if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
            resolve(buf);
            socket.destroy();
          }
        });
        socket.on('error', () => {});
      });
      raw.listen(0, '127.0.0.1', () => {
        const port = (raw.address() as net.AddressInfo).port;
        sendText(REQ, { name: 'raw', url: `https://127.0.0.1:${port}/{operation}`, timeoutMs: 5000 }).catch(() => {});
      });
      closers.push(() => new Promise<void>((r) => raw.close(() => r())));
    });
    const versions = offeredVersions(await hello);
    assert.ok(versions.length > 0);
    assert.ok(
      versions.every((v) => v >= 0x0303),
      `offered ${versions.map((v) => v.toString(16)).join(', ')}`,
    );
    // A client left to the lowered defaults does offer 1.0 here: the parser sees what it must.
    const lowered = await new Promise<Buffer>((resolve) => {
      const raw = net.createServer((socket) => {
        socket.once('data', (c: Buffer) => {
          resolve(c);
          socket.destroy();
        });
      });
      raw.listen(0, '127.0.0.1', () => {
        tls.connect({ host: '127.0.0.1', port: (raw.address() as net.AddressInfo).port }).on('error', () => {});
      });
      closers.push(() => new Promise<void>((r) => raw.close(() => r())));
    });
    assert.ok(offeredVersions(lowered).includes(0x0301), 'control: the lowered default client offers TLS 1.0');
  });
});
