// Sending over real sockets and real (mutual) TLS to a loopback HTTPS server, on 127.0.0.1,
// 127.0.0.2 and localhost.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { soap } from '../../core/data/catalog';
import { AgentPool, sendText, type Environment, type SendOptions } from '../../core/transport';
import { makePki, type Pki } from '../helpers/pki';
import { startTestServer, vipOk, type TestServer } from './testServer';
import { expectTransportError as rejects } from '../helpers/transportErrors';

const REQ = '{ // comment\n "GetServerTimeRequest": { "Version": "3.1" } }';
let pki: Pki;
let mtls: TestServer; // 127.0.0.1, requires a client certificate from the test CA
let mtls2: TestServer; // the same on 127.0.0.2
const servers: TestServer[] = [];

before(async () => {
  pki = makePki();
  mtls = await startTestServer({ cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca.cert });
  mtls2 = await startTestServer({
    cert: pki.server.cert,
    key: pki.server.key,
    clientCa: pki.ca.cert,
    host: '127.0.0.2',
  });
  servers.push(mtls, mtls2);
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const pem = (url: string, extra: Partial<Environment> = {}): Environment => ({
  name: 'pem',
  url,
  cert: pki.client.cert,
  key: pki.client.key,
  ca: pki.ca.cert,
  ...extra,
});

describe('send: success', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost']) {
    test(`PEM client certificate, CA set, on ${host}`, async () => {
      const server = host === '127.0.0.2' ? mtls2 : mtls;
      let body = '';
      server.events.once('request', (r: { body: string; url: string; headers: Record<string, string> }) => {
        body = r.body;
        assert.equal(r.url, '/get-server-time');
        assert.equal(r.headers['content-type'], 'application/json');
      });
      const r = await sendText(REQ, pem(server.url(host)));
      assert.equal(r.status, 200);
      assert.equal(r.reasonCode, '0000');
      assert.equal(r.success, true);
      assert.equal(r.reason?.message, 'Success');
      assert.equal(r.responseKey, 'GetServerTimeResponse');
      assert.match(r.tls!.protocol!, /^TLSv1\.[23]$/);
      assert.ok(r.tls!.cipher.length > 0);
      assert.equal(r.tls!.peerSubject, 'CN=localhost');
      assert.equal(r.tls!.authorized, true);
      assert.match(r.clientCertificate!.subject, /VIP Test Client/);
      assert.ok(r.timings.total >= r.timings.firstByte && r.timings.firstByte > 0);
      assert.ok(r.timings.tls! > 0 && r.timings.connect! >= 0);
      const sent = JSON.parse(body);
      assert.equal(
        sent.GetServerTimeRequest.RequestId,
        (r.json as { GetServerTimeResponse: { RequestId: string } }).GetServerTimeResponse.RequestId,
      );
    });
  }

  test('PKCS#12 with passphrase, and encrypted PEM key with passphrase (127.0.0.2)', async () => {
    const p12 = await sendText(
      REQ,
      { name: 'p12', url: mtls2.url(), pfx: pki.client.p12, ca: pki.ca.cert },
      { passphrase: pki.passphrase },
    );
    assert.equal(p12.reasonCode, '0000');
    const enc = await sendText(REQ, pem(mtls.url(), { key: pki.client.encryptedKey }), { passphrase: pki.passphrase });
    assert.equal(enc.reasonCode, '0000');
  });

  test('a non-0000 VIP reason code is a result, with its catalog entry', async () => {
    const r = await sendText(
      '{"GetServerTimeRequest":{"Version":"3.1"}}',
      pem(mtls.url().replace('{operation}', 'nope/{operation}')),
    );
    assert.equal(r.reasonCode, '4e10');
    assert.equal(r.success, false);
    assert.match(r.reason!.solution, /URL/);
  });

  test('keep-alive: the second send reuses the connection (no new TLS handshake)', async () => {
    const agents = new AgentPool();
    try {
      const before = mtls2.handshakes;
      const a = await sendText(REQ, pem(mtls2.url()), { agents });
      const b = await sendText(REQ, pem(mtls2.url()), { agents });
      assert.equal(a.reusedConnection, false);
      assert.equal(b.reusedConnection, true);
      assert.equal(b.timings.tls, undefined);
      assert.equal(mtls2.handshakes - before, 1);
    } finally {
      agents.destroy();
    }
  });
});

describe('send: stale kept-alive connection', () => {
  test('a reused connection the server drops before answering is retried once on a new one', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key, host: '127.0.0.2' });
    servers.push(s);
    const seen = new WeakSet<object>();
    s.handler = (req, res) => {
      if (seen.has(req.socket)) {
        req.socket.destroy(); // as if the server had closed the idle connection
        return;
      }
      seen.add(req.socket);
      vipOk(req, res);
    };
    const agents = new AgentPool();
    const lines: string[] = [];
    try {
      const before = s.handshakes;
      await sendText(REQ, pem(s.url()), { agents });
      const second = await sendText(REQ, pem(s.url()), { agents, log: (l) => lines.push(l) });
      assert.equal(second.reasonCode, '0000');
      assert.equal(second.reusedConnection, false);
      assert.equal(s.handshakes - before, 2);
      assert.ok(
        lines.some((l) => /sending again on a new connection/.test(l)),
        lines.join('\n'),
      );
    } finally {
      agents.destroy();
    }
  });
});

describe('send: server certificate', () => {
  test('untrusted without the CA; trusted with it', async () => {
    await rejects(
      sendText(REQ, pem(mtls.url(), { ca: undefined })),
      'server-certificate',
      /is not trusted.*set the CA file \(ca\)/,
    );
    assert.equal((await sendText(REQ, pem(mtls.url()))).reasonCode, '0000');
  });

  test('server certificate from another CA, with our CA set', async () => {
    const rogue = await startTestServer({
      cert: pki.untrusted.serverCert,
      key: pki.untrusted.serverKey,
      host: '127.0.0.2',
    });
    servers.push(rogue);
    await rejects(sendText(REQ, pem(rogue.url())), 'server-certificate', /not trusted.*Check that the CA file/);
    // Explicitly turned off: it works, and says so.
    const lines: string[] = [];
    const r = await sendText(REQ, pem(rogue.url(), { rejectUnauthorized: false }), { log: (l) => lines.push(l) });
    assert.equal(r.insecure, true);
    assert.equal(r.tls!.authorized, false);
    assert.ok(lines.some((l) => /verification is OFF/.test(l)));
  });

  test('self-signed and expired server certificates', async () => {
    const dir = fs.mkdtempSync(path.join(pki.dir, 'srv-'));
    const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    o(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 's.key']);
    o([
      'req',
      '-x509',
      '-new',
      '-key',
      's.key',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-out',
      'self.crt',
    ]);
    // Expired: signed by the trusted CA with dates in the past (openssl ca can set them).
    o(['req', '-new', '-key', 's.key', '-subj', '/CN=localhost', '-out', 's.csr']);
    fs.mkdirSync(path.join(dir, 'db'));
    fs.writeFileSync(path.join(dir, 'db/index.txt'), '');
    fs.writeFileSync(path.join(dir, 'db/serial'), '5005\n');
    fs.writeFileSync(
      path.join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = t',
        '[t]',
        `dir = ${path.join(dir, 'db')}`,
        'database = $dir/index.txt',
        'serial = $dir/serial',
        'new_certs_dir = $dir',
        'default_md = sha256',
        'policy = any',
        'x509_extensions = ext',
        '[any]',
        'commonName = supplied',
        '[ext]',
        'subjectAltName = IP:127.0.0.1',
        'extendedKeyUsage = serverAuth',
        '',
      ].join('\n'),
    );
    o([
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      pki.ca.cert,
      '-keyfile',
      path.join(pki.dir, 'ca.key'),
      '-in',
      's.csr',
      '-out',
      'expired.crt',
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200201000000Z',
      '-notext',
    ]);
    const self = await startTestServer({ cert: path.join(dir, 'self.crt'), key: path.join(dir, 's.key') });
    const old = await startTestServer({ cert: path.join(dir, 'expired.crt'), key: path.join(dir, 's.key') });
    servers.push(self, old);
    await rejects(
      sendText(REQ, pem(self.url())),
      'server-certificate',
      /is self-signed and not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    await rejects(sendText(REQ, pem(old.url())), 'server-certificate', /has expired \(CERT_HAS_EXPIRED\)/);
  });

  test('name mismatch', async () => {
    const dir = fs.mkdtempSync(path.join(pki.dir, 'other-'));
    const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    o(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'o.key']);
    o(['req', '-new', '-key', 'o.key', '-subj', '/CN=other.test', '-out', 'o.csr']);
    fs.writeFileSync(path.join(dir, 'o.ext'), 'subjectAltName=DNS:other.test\nextendedKeyUsage=serverAuth\n');
    o([
      'x509',
      '-req',
      '-in',
      'o.csr',
      '-CA',
      pki.ca.cert,
      '-CAkey',
      path.join(pki.dir, 'ca.key'),
      '-set_serial',
      '77',
      '-days',
      '1',
      '-extfile',
      'o.ext',
      '-out',
      'o.crt',
    ]);
    const s = await startTestServer({ cert: path.join(dir, 'o.crt'), key: path.join(dir, 'o.key') });
    servers.push(s);
    await rejects(sendText(REQ, pem(s.url())), 'server-certificate', /does not name "127\.0\.0\.1".*Use the host name/);
  });
});

describe('send: our certificate refused by the server', () => {
  test('no client certificate', async () => {
    await rejects(
      sendText(REQ, { name: 'none', url: mtls2.url(), ca: pki.ca.cert }),
      'handshake',
      /requires a client certificate .*this environment has none\. Set "pfx"/,
    );
  });
  test('client certificate from an untrusted CA', async () => {
    await rejects(
      sendText(REQ, pem(mtls.url(), { cert: pki.untrusted.clientCert, key: pki.untrusted.clientKey })),
      'handshake',
      /rejected our client certificate|closed by the server/,
    );
  });
  test('preflight stops an expired certificate before connecting', async () => {
    const before = mtls.handshakes;
    await rejects(
      sendText(REQ, pem(mtls.url(), { cert: pki.expiredClient.cert, key: pki.expiredClient.key })),
      'tls-material',
      /expired on 2020-02-01/,
    );
    assert.equal(mtls.handshakes, before);
  });
});

describe('send: network failures, timeout, cancel, size, content', () => {
  test('connection refused', async () => {
    const probe = net.createServer().listen(0, '127.0.0.2');
    await once(probe, 'listening');
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await rejects(
      sendText(REQ, pem(`https://127.0.0.2:${port}/{operation}`)),
      'refused',
      /Connection refused by 127\.0\.0\.2:\d+.*Check the host and port/,
    );
  });

  test('timeout when the server never answers', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(s);
    s.handler = () => {}; // never answers
    await rejects(sendText(REQ, pem(s.url()), { timeoutMs: 300 }), 'timeout', /within 0\.3 s.*raise the timeout/);
  });

  test('cancel mid-request closes the socket', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key, host: '127.0.0.2' });
    servers.push(s);
    s.handler = () => {};
    const ac = new AbortController();
    s.events.once('request', () => ac.abort());
    const closed = once(s.events, 'close-socket');
    await rejects(
      sendText(REQ, pem(s.url()), { signal: ac.signal }),
      'cancelled',
      /cancelled; the connection was closed/,
    );
    await closed;
  });

  test('cancel while the response streams in', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(s);
    const ac = new AbortController();
    s.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"GetServerTimeResponse": {', () => ac.abort());
    };
    await rejects(sendText(REQ, pem(s.url()), { signal: ac.signal }), 'cancelled', /cancelled/);
  });

  test('the server closes the connection in the middle of the response', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key, host: '127.0.0.2' });
    servers.push(s);
    s.handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
      res.write('{"GetServerTimeResponse": {', () => req.socket.destroy());
    };
    await rejects(sendText(REQ, pem(s.url())), 'network', /closed before the whole response arrived \(HTTP 200; /);
  });

  test('oversize response: refused, or saved to a file', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key, host: '127.0.0.2' });
    servers.push(s);
    const big = JSON.stringify({ GetServerTimeResponse: { Pad: 'x'.repeat(300_000), Status: { ReasonCode: '0000' } } });
    s.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }); // chunked: no Content-Length
      res.end(big);
    };
    await rejects(sendText(REQ, pem(s.url()), { maxResponseBytes: 100_000 }), 'too-large', /larger than the 98 KB cap/);
    s.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(big) });
      res.end(big);
    };
    await rejects(
      sendText(REQ, pem(s.url()), { maxResponseBytes: 100_000 }),
      'too-large',
      new RegExp(`\\(${big.length} bytes announced\\)`),
    );
    const spillDir = path.join(pki.dir, 'spill');
    const e = await rejects(
      sendText(REQ, pem(s.url()), { maxResponseBytes: 100_000, spillDir }),
      'too-large',
      /saved to/,
    );
    assert.equal(fs.readFileSync(e.details.savedTo!, 'utf8'), big);
  });

  test('non-JSON and non-VIP responses show status, content type and first bytes', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(s);
    s.handler = (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    };
    await rejects(
      sendText(REQ, pem(s.url())),
      'not-vip',
      /HTTP 404 Not Found with text\/html that is not JSON, first bytes: "<html><body>Not Found/,
    );
    s.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"error":"nope"}');
    };
    await rejects(
      sendText(REQ, pem(s.url())),
      'not-vip',
      /HTTP 200 with JSON that is not a VIP response.*\{"error":"nope"\}/,
    );
  });

  test('a VIP response with an HTTP error status is still a result', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(s);
    s.handler = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        '{"GetServerTimeResponse": {"Status": {"ReasonCode": "4E01", "StatusMessage": "Service Internal Error"}}}',
      );
    };
    const r = await sendText(REQ, pem(s.url()));
    assert.equal(r.status, 500);
    assert.equal(r.reasonCode, '4e01');
    assert.equal(r.reason?.code, '4e01');
  });

  test('plain http to loopback works (no TLS info)', async () => {
    const { createServer } = await import('node:http');
    const srv = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c)).on('end', () => vipOk(Object.assign(req, { body: b }), res));
    }).listen(0, '127.0.0.1');
    await once(srv, 'listening');
    try {
      const r = await sendText(REQ, {
        name: 'h',
        url: `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}/{operation}`,
      });
      assert.equal(r.reasonCode, '0000');
      assert.equal(r.tls, undefined);
    } finally {
      srv.close();
    }
  });
});

describe('send: a failure in any step of a send settles it with a TransportError (none escapes as an uncaught exception)', () => {
  // Each case would otherwise throw inside a socket listener: an uncaught exception, and the send
  // settling only at its timeout (which is long here, so a timeout fails the test by its kind).
  const timeoutMs = 20_000;

  test('a SOAP answer that makes the parser throw something other than a SoapError', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(s);
    const depth = 20_000; // the mapping recurses per element: RangeError, not a SoapError
    s.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(
        `<soapenv:Envelope xmlns:soapenv="${soap.envelopeNamespace}"><soapenv:Body><GetServerTimeResponse xmlns="${soap.namespace}">` +
          '<a>'.repeat(depth) +
          '</a>'.repeat(depth) +
          '</GetServerTimeResponse></soapenv:Body></soapenv:Envelope>',
      );
    };
    const env: Environment = {
      name: 'soap',
      url: `https://127.0.0.1:${s.port}`,
      transport: 'soap',
      cert: pki.client.cert,
      key: pki.client.key,
      ca: pki.ca.cert,
    };
    await rejects(
      sendText(REQ, env, { timeoutMs }),
      'not-vip',
      /HTTP 200 with text\/xml that could not be read as a VIP SOAP response \(RangeError: Maximum call stack size exceeded\), first bytes: "<soapenv:Envelope/,
    );
  });

  const oversize = async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(s);
    s.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ GetServerTimeResponse: { Pad: 'x'.repeat(300_000), Status: { ReasonCode: '0000' } } }));
    };
    return s;
  };

  test('an oversize response whose spill folder cannot be made', async () => {
    const s = await oversize();
    const notAFolder = path.join(pki.dir, 'plain-file');
    fs.writeFileSync(notAFolder, '');
    await rejects(
      sendText(REQ, pem(s.url()), { timeoutMs, maxResponseBytes: 100_000, spillDir: path.join(notAFolder, 'spill') }),
      'too-large',
      /larger than the 98 KB cap .*It could not be kept: saving it to .*plain-file\/spill failed \(Error: ENOTDIR /,
    );
  });

  test(
    'an oversize response whose spill file cannot be written',
    { skip: process.platform !== 'linux' && 'needs /proc' },
    async () => {
      const s = await oversize();
      // /proc/self exists, yet no file can be created in it (even as root): the write stream fails.
      await rejects(
        sendText(REQ, pem(s.url()), { timeoutMs, maxResponseBytes: 100_000, spillDir: '/proc/self' }),
        'too-large',
        /It could not be kept: saving it to \/proc\/self failed \(Error: ENOENT /,
      );
    },
  );

  test('a header Node refuses (an environment\'s "headers" with a line break) fails the send as a usage error, before any timer', async () => {
    // Before: a raw TypeError, and the timeout timer left running to throw when it fired.
    await rejects(
      sendText(REQ, pem(mtls.url(), { headers: { 'X-Note': 'one\ntwo' } }), { timeoutMs }),
      'usage',
      /could not be sent: TypeError: ERR_INVALID_CHAR Invalid character in header content \["X-Note"\].*Check the environment's "headers"/,
    );
  });

  test('a log receiver that throws on the response line', async () => {
    const log = (line: string) => {
      if (line.startsWith('←')) throw new Error('log receiver broke');
    };
    await rejects(
      sendText(REQ, pem(mtls.url()), { timeoutMs, log }),
      'internal',
      /failed unexpectedly while reading the response body \(Error: log receiver broke\)\. The service may have processed the request/,
    );
  });
});

describe('send: redaction', () => {
  test('log lines and error messages carry no OTP and no passphrase', async () => {
    const s = await startTestServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(s);
    const lines: string[] = [];
    const opts: SendOptions = { passphrase: pki.passphrase, log: (l) => lines.push(l) };
    const req = '{"ValidateRequest":{"Version":"3.1","TokenId":"VSMT11112222","OTP":"987654"}}';
    s.handler = (_r, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('echo: {"OTP":"987654","TemporaryPassword":"Zq7Xy2"}');
    };
    const e = await rejects(sendText(req, pem(s.url(), { key: pki.client.encryptedKey }), opts), 'not-vip', /HTTP 500/);
    s.handler = vipOk;
    await sendText(req, pem(s.url(), { key: pki.client.encryptedKey }), opts);
    const all = lines.join('\n') + e.message;
    assert.ok(lines.length >= 3);
    for (const secret of ['987654', 'Zq7Xy2', pki.passphrase])
      assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
    assert.match(e.message, /«redacted»/);
  });
});

describe('toCurl', () => {
  test('the generated command works with real curl (PKCS#12 with the passphrase from the environment)', async () => {
    const { promisify } = await import('node:util');
    const { execFile } = await import('node:child_process');
    const { buildRequest, toCurl } = await import('../../core/transport');
    const env: Environment = { name: 'p12', url: mtls2.url(), pfx: pki.client.p12, ca: pki.ca.cert };
    const cmd = toCurl(buildRequest(REQ, env), env, { needsPassphrase: true });
    assert.ok(!cmd.includes(pki.passphrase));
    const { stdout } = await promisify(execFile)('sh', ['-c', cmd], {
      env: { PATH: process.env.PATH, VIP_CERT_PASSPHRASE: pki.passphrase },
    });
    assert.equal(JSON.parse(stdout).GetServerTimeResponse.Status.ReasonCode, '0000');
  });
});
