// `vip-api send`: exit codes, stdout/stderr, flags, config files — against a loopback mTLS server.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSend } from '../../cli/send';
import { makePki, type Pki } from '../helpers/pki';
import { startTestServer, type TestServer } from './testServer';

const root = path.resolve(__dirname, '../..');
let pki: Pki;
let server: TestServer;
let reqFile: string;

before(async () => {
  pki = makePki();
  server = await startTestServer({
    cert: pki.server.cert,
    key: pki.server.key,
    clientCa: pki.ca.cert,
    host: '127.0.0.2',
  });
  reqFile = path.join(pki.dir, 'time.vip.json');
  fs.writeFileSync(reqFile, '// get the time\n{"GetServerTimeRequest": {"Version": "3.1"}}\n');
});
after(() => server.close());

/** Runs the real CLI entry (cli/main.ts) in a child process. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/main.ts'), ...args],
      { cwd: root, env: { ...process.env, ...env } },
      (e, stdout, stderr) => {
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs runSend in this process, capturing its output. */
async function inProcess(args: string[], vars: NodeJS.ProcessEnv = {}) {
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

describe('vip-api send', () => {
  test('success: JSON on stdout, summary on stderr, exit 0 (real entry, PEM)', async () => {
    const r = await cli([
      'send',
      reqFile,
      '--url',
      server.url(),
      '--cert',
      pki.client.cert,
      '--key',
      pki.client.key,
      '--ca',
      pki.ca.cert,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).GetServerTimeResponse.Status.ReasonCode, '0000');
    assert.match(r.stderr, /^0000 Success · \d+ ms \(HTTP 200, TLSv1\.\d, command line\)\n$/);
  });

  test('another VIP reason code: exit 2 with the solution', async () => {
    const r = await inProcess(
      [
        'send',
        reqFile,
        '--url',
        server.url().replace('{operation}', 'x/{operation}'),
        '--cert',
        pki.client.cert,
        '--key',
        pki.client.key,
        '--ca',
        pki.ca.cert,
      ].slice(1),
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^4e10 This URL does not support this operation\. — .*URL/);
  });

  test('--env from a config file, PKCS#12 with --passphrase-env, relative paths', async () => {
    const cfg = path.join(pki.dir, 'envs.json');
    fs.writeFileSync(
      cfg,
      JSON.stringify({
        'vipApi.environments': [
          { name: 'Test', url: server.url(), pfx: path.basename(pki.client.p12), ca: './ca.crt' },
        ],
      }),
    );
    const r = await inProcess([reqFile, '--env', 'Test', '--config', cfg, '--passphrase-env', 'MY_PASS'], {
      MY_PASS: pki.passphrase,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\(HTTP 200, TLSv1\.\d, Test\)/);
    const wrong = await inProcess([reqFile, '--env', 'Test', '--config', cfg, '--passphrase-env', 'MY_PASS'], {
      MY_PASS: 'nope',
    });
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stdout, '');
    assert.match(wrong.stderr, /Wrong passphrase .*mac verify failure/);
    assert.ok(!wrong.stderr.includes('nope'));
  });

  test('transport errors: exit 1 with the plain sentence', async () => {
    const r = await inProcess([reqFile, '--url', server.url(), '--ca', pki.ca.cert]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^vip-api send: The server at 127\.0\.0\.2:\d+ requires a client certificate/);
    const legacy = await inProcess(
      [reqFile, '--url', server.url(), '--pfx', pki.client.legacyP12, '--passphrase-env', 'P'],
      { P: pki.passphrase },
    );
    assert.match(legacy.stderr, /openssl pkcs12 -legacy/);
  });

  test('usage errors: exit 1 with what to do', async () => {
    const cases: [string[], RegExp][] = [
      [[], /name exactly one request file/],
      [['missing.vip.json', '--url', server.url()], /cannot read missing\.vip\.json \(ENOENT\)/],
      [[reqFile, '--cert', 'a.pem', '--url', server.url()], /--cert and --key go together/],
      [[reqFile, '--url', server.url(), '--timeout', 'soon'], /--timeout takes a positive number/],
      [
        [reqFile, '--url', server.url(), '--passphrase-env', 'UNSET_VAR_X'],
        /UNSET_VAR_X: that environment variable is not set/,
      ],
      [[reqFile, '--url', 'http://vip.example.com/{operation}'], /plain http:\/\/ is allowed only to this machine/],
      [[reqFile, '--env', 'Nope', '--config', reqFile], /no "vipApi\.environments" list/],
      [[reqFile, '--bogus'], /Unknown option '--bogus'/],
      [[reqFile], /no endpoint: give --url URL or --env NAME/],
    ];
    for (const [args, re] of cases) {
      const r = await inProcess(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, re);
    }
  });

  test('syntax errors stop the send unless --force', async () => {
    const bad = path.join(pki.dir, 'bad.vip.json');
    fs.writeFileSync(bad, '{"GetServerTimeRequest": {"Version": "3.1" "RequestId": "x"}}');
    const args = [bad, '--url', server.url(), '--cert', pki.client.cert, '--key', pki.client.key, '--ca', pki.ca.cert];
    const r = await inProcess(args);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /1 syntax error\(s\); run vip-api check/);
    assert.equal((await inProcess([...args, '--force'])).code, 0);
  });
});
