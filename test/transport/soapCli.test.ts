// `vip-api soap` (print the envelope) and `vip-api send --transport soap|rest` against a loopback
// mutual-TLS server that speaks both wires: exit codes, stdout/stderr, and that the printed
// envelope is byte for byte what send posts.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSend } from '../../cli/send';
import { runSoap } from '../../cli/soap';
import { getOperation, soap } from '../../core/data/catalog';
import { buildFaultEnvelope, buildRequestEnvelope, buildResponseEnvelope, parseRequestEnvelope } from '../../core/soap';
import { makePki, type Pki } from '../helpers/pki';
import { startTestServer, vipOk, type TestServer } from './testServer';

const root = path.resolve(__dirname, '../..');
let pki: Pki;
let server: TestServer;
const seen: { path: string; contentType?: string; soapAction?: string; body: string }[] = [];

/** SOAP on …/soap (0000 on the operation's own path, 4e10 elsewhere, as VIP does); REST otherwise. */
const bothWires: TestServer['handler'] = (req, res) => {
  seen.push({
    path: req.url!,
    contentType: req.headers['content-type'],
    soapAction: req.headers.soapaction as string | undefined,
    body: req.body,
  });
  if (!req.url!.endsWith('/soap')) return vipOk(req, res);
  const { operation, body } = parseRequestEnvelope(req.body);
  const code = req.url!.endsWith(`/${getOperation(operation)!.soapPath}/soap`) ? '0000' : '4E10';
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
  const status = {
    ReasonCode: code,
    StatusMessage: code === '0000' ? 'Success' : 'This URL does not support this operation.',
  };
  res.end(buildResponseEnvelope(operation, { Version: body.Version, RequestId: body.RequestId, Status: status }));
};

const DEACTIVATE = {
  Version: '3.1',
  RequestId: 'CLI-1',
  TokenId: { value: '16505551212', type: 'SMS' },
  Reason: 'Lost & <found> "é"',
};
let files: Record<
  'deactivate' | 'validate' | 'time' | 'noId' | 'response' | 'unmappable' | 'broken' | 'noVersion',
  string
>;
let base: string;
let tls: string[];

before(async () => {
  pki = makePki();
  server = await startTestServer({ cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca.cert });
  server.handler = bothWires;
  base = `https://127.0.0.1:${server.port}`;
  tls = ['--cert', pki.client.cert, '--key', pki.client.key, '--ca', pki.ca.cert];
  const write = (name: string, text: string) => {
    const f = path.join(pki.dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  files = {
    deactivate: write(
      'deactivate.vip.json',
      `// lost phone\n${JSON.stringify({ DeactivateTokenRequest: DEACTIVATE }, null, 2)}\n`,
    ),
    validate: write(
      'validate.vip.json',
      '{"ValidateRequest": {"Version": "3.1", "RequestId": "V1", "TokenId": "VSST12345678", "OTP": "918273"}}',
    ),
    time: write('time.vip.json', '{"GetServerTimeRequest": {"Version": "3.1", "RequestId": "T1"}}'),
    noId: write('noid.vip.json', '{"GetServerTimeRequest": {"Version": "3.1"}}'),
    response: write('resp.vip.json', '{"GetServerTimeResponse": {"Version": "3.1"}}'),
    unmappable: write('colour.vip.json', '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "V", "Colour": "red"}}'),
    broken: write('broken.vip.json', '{"GetServerTimeRequest": {"Version": "3.1" "RequestId": "B1"}}'),
    noVersion: write('noversion.vip.json', '{"GetServerTimeRequest": {"RequestId": "N1"}}'),
  };
});
after(() => server.close());

/** The real CLI entry (cli/main.ts) in a child process. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/main.ts'), ...args],
      { cwd: root },
      (e, stdout, stderr) => {
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function soapCmd(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runSoap(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: pki.dir, vars: {} });
  return { code, stdout, stderr };
}

async function sendCmd(args: string[], vars: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runSend(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    vars,
    cwd: pki.dir,
    startSimulator: async () => undefined,
  });
  return { code, stdout, stderr };
}

function config(envs: unknown[]): string {
  const f = path.join(pki.dir, `envs-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify({ 'vipApi.environments': envs }));
  return f;
}

describe('vip-api soap', () => {
  test('prints buildRequestEnvelope for the file; URL and headers of production on stderr; exit 0; usage exit 2 (real entry)', async () => {
    const [r, usage] = await Promise.all([cli(['soap', files.deactivate]), cli(['soap'])]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^vip-api soap: name exactly one request file/);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, buildRequestEnvelope('DeactivateToken', DEACTIVATE) + '\n');
    assert.match(r.stdout, /<TokenId type="SMS">16505551212<\/TokenId><Reason>Lost &amp; &lt;found&gt; "é"<\/Reason>/);
    assert.equal(
      r.stderr,
      `vip-api soap: POST ${soap.endpoints.mgmt} · Content-Type: text/xml; charset=utf-8 · SOAPAction: ""\n`,
    );
  });

  test('each operation goes to its own production path', () => {
    for (const [file, where] of [
      [files.validate, 'val'],
      [files.time, 'prov'],
    ] as const) {
      const r = soapCmd([file]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stderr.startsWith(`vip-api soap: POST ${soap.endpoints[where]} `), r.stderr);
    }
  });

  test('a missing RequestId is generated as send does, and said; --no-request-id leaves it out', () => {
    const r = soapCmd([files.noId]);
    assert.equal(r.code, 0);
    const id = /RequestId (vipwb-[0-9a-z]+) was generated/.exec(r.stderr)?.[1];
    assert.ok(id, r.stderr);
    assert.equal(r.stdout, buildRequestEnvelope('GetServerTime', { Version: '3.1', RequestId: id }) + '\n');
    const bare = soapCmd([files.noId, '--no-request-id']);
    assert.equal(bare.stdout, buildRequestEnvelope('GetServerTime', { Version: '3.1' }) + '\n');
    assert.doesNotMatch(bare.stdout, / Id=/);
    assert.doesNotMatch(bare.stderr, /generated/);
  });

  test('the printed envelope is byte for byte what send --transport soap posts, to the same URL', async () => {
    for (const file of [files.deactivate, files.validate]) {
      const printed = soapCmd([file, '--url', base]);
      assert.equal(printed.code, 0, printed.stderr);
      seen.length = 0;
      const sent = await sendCmd([file, '--transport', 'soap', '--url', base, ...tls]);
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].body + '\n', printed.stdout);
      assert.ok(printed.stderr.startsWith(`vip-api soap: POST ${base}${seen[0].path} `), printed.stderr);
    }
  });

  test('--env: a SOAP environment as configured; a REST environment shows its SOAP form and says so', () => {
    const cfg = config([
      { name: 'Prod', url: `${base}/gw/{soapPath}/soap`, transport: 'soap' },
      { name: 'Rest', url: `${base}/rest/{operation}` },
    ]);
    const prod = soapCmd([files.time, '--env', 'Prod', '--config', cfg]);
    assert.equal(prod.code, 0, prod.stderr);
    assert.match(prod.stderr, new RegExp(`POST ${base}/gw/prov/soap `));
    assert.doesNotMatch(prod.stderr, /REST environment/);
    const restEnv = soapCmd([files.time, '--env', 'Rest', '--config', cfg]);
    assert.equal(restEnv.code, 0, restEnv.stderr);
    assert.match(restEnv.stderr, new RegExp(`POST ${base}/rest/prov/soap `));
    assert.match(restEnv.stderr, /"Rest" is a REST environment; this is what it would send with "transport": "soap"/);
    assert.equal(restEnv.stdout, prod.stdout);
  });

  test('exit 1 when the file cannot be written as SOAP, with the reason; nothing on stdout', () => {
    const cases: [string[], RegExp][] = [
      [[files.unmappable], /EnableTokenRequest\.Colour is not part of the XML schema/],
      [[files.response], /is a response, not a request/],
      [[files.noVersion], /no Version: SOAP requires the Version attribute/],
      [[files.broken], /1 syntax error\(s\); run vip-api check on it, or add --force/],
      [[path.join(pki.dir, 'missing.vip.json')], /cannot read .*missing\.vip\.json \(ENOENT\)/],
    ];
    for (const [args, re] of cases) {
      const r = soapCmd(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, re);
    }
    const forced = soapCmd([files.broken, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, buildRequestEnvelope('GetServerTime', { Version: '3.1', RequestId: 'B1' }) + '\n');
  });

  test('exit 2 on usage errors, with the usage', () => {
    const cfg = config([{ name: 'Prod', url: base, transport: 'soap' }]);
    const cases: [string[], RegExp][] = [
      [[], /name exactly one request file/],
      [[files.time, files.validate], /name exactly one request file/],
      [[files.time, '--bogus'], /Unknown option '--bogus'/],
      [[files.time, '--env', 'Prod', '--url', base], /either --env or --url/],
      [[files.time, '--config', cfg], /--config needs --env/],
      [[files.time, '--env', 'Nope', '--config', cfg], /no environment named "Nope"/],
      [[files.time, '--url', `${base}/{operation}`], /cannot contain \{operation\}/],
      [[files.time, '--url', 'ftp://h'], /must start with https:\/\//],
      [[files.time, '--url', 'http://vip.example.com'], /plain http:\/\/ is allowed only to this machine/],
    ];
    for (const [args, re] of cases) {
      const r = soapCmd(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, re);
      assert.match(r.stderr, /Usage:\n {2}vip-api soap <file>/);
    }
  });
});

describe('vip-api send --transport', () => {
  test('soap with --url: envelope over mTLS to <url>/<path>/soap, JSON response on stdout, exit 0 (real entry)', async () => {
    seen.length = 0;
    const r = await cli(['send', files.deactivate, '--transport', 'soap', '--url', base, ...tls]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      seen.map((s) => [s.path, s.contentType, s.soapAction]),
      [['/mgmt/soap', soap.contentType, '""']],
    );
    assert.deepEqual(JSON.parse(r.stdout), {
      DeactivateTokenResponse: {
        Version: '3.1',
        RequestId: 'CLI-1',
        Status: { ReasonCode: '0000', StatusMessage: 'Success' },
      },
    });
    assert.match(r.stderr, /^0000 Success · \d+ ms \(HTTP 200, TLSv1\.\d, command line\)\n$/);
  });

  test('soap overrides a REST environment (its base URL, said on stderr); rest overrides a SOAP environment', async () => {
    const cfg = config([
      { name: 'Rest', url: `${base}/{operation}`, ...pemFiles() },
      { name: 'Soap', url: base, transport: 'soap', ...pemFiles() },
    ]);
    seen.length = 0;
    const asSoap = await sendCmd([files.time, '--env', 'Rest', '--config', cfg, '--transport', 'soap']);
    assert.equal(asSoap.code, 0, asSoap.stderr);
    assert.match(
      asSoap.stderr,
      new RegExp(`"Rest" is a REST environment; as SOAP the request goes to ${base}/prov/soap\\.`),
    );
    const asRest = await sendCmd([files.time, '--env', 'Soap', '--config', cfg, '--transport', 'rest']);
    assert.equal(asRest.code, 0, asRest.stderr);
    const plain = await sendCmd([files.time, '--env', 'Soap', '--config', cfg]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(
      seen.map((s) => [s.path, s.contentType]),
      [
        ['/prov/soap', soap.contentType],
        ['/get-server-time', 'application/json'],
        ['/prov/soap', soap.contentType],
      ],
    );
    assert.deepEqual(
      JSON.parse(asRest.stdout).GetServerTimeResponse.Status,
      JSON.parse(asSoap.stdout).GetServerTimeResponse.Status,
    );
  });

  test('a VIP reason code over SOAP exits 2 with the explanation (operation on the wrong path: 4E10)', async () => {
    const r = await sendCmd([files.validate, '--transport', 'soap', '--url', `${base}/{soapPath}/x/soap`, ...tls]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^4e10 This URL does not support this operation\. — /i);
    assert.equal(JSON.parse(r.stdout).ValidateResponse.Status.ReasonCode, '4E10');
  });

  test('a SOAP Fault exits 1 with faultcode and faultstring, no invented reason code', async () => {
    server.handler = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/xml' });
      res.end(buildFaultEnvelope('soapenv:Client', 'Unmarshalling Error'));
    };
    try {
      const r = await sendCmd([files.time, '--transport', 'soap', '--url', base, ...tls]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^vip-api send: .*soapenv:Client: Unmarshalling Error/);
      assert.doesNotMatch(r.stderr, /ReasonCode|4e00/i);
    } finally {
      server.handler = bothWires;
    }
  });

  test('--verbose over SOAP never logs the OTP', async () => {
    const r = await sendCmd([files.validate, '--transport', 'soap', '--url', base, '--verbose', ...tls]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /vip-api: /);
    assert.ok(!r.stderr.includes('918273'), r.stderr);
  });

  test('usage errors exit 1 and nothing is sent: an unknown transport, {operation} in a SOAP --url', async () => {
    seen.length = 0;
    const bad = await sendCmd([files.time, '--transport', 'xml', '--url', base]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--transport takes soap or rest, not "xml"/);
    const op = await sendCmd([files.time, '--transport', 'soap', '--url', `${base}/{operation}`]);
    assert.equal(op.code, 1);
    assert.match(op.stderr, /with --transport soap, --url is the base URL .* cannot contain \{operation\}/);
    assert.equal(seen.length, 0);
  });
});

function pemFiles() {
  return { cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert };
}
