// Redaction end to end: requests carrying OTP, OTP1, OTP2 and TemporaryPassword go through
// `vip-api send` (mutual TLS, PKCS#12 and encrypted PEM key, passphrase via --passphrase-env,
// --verbose) to `vip-api simulator` processes (mTLS, --persist), and through the transport with
// its log callback into the client's history store. Then every byte the project wrote is scanned.
//
// What may contain what:
// - CLI stdout is the response document: it may hold secrets the *service generated and returned*
//   (GenerateTemporaryPassword's TemporaryPassword), never a secret we *sent*, never the passphrase.
// - CLI stderr (summary, --verbose log, errors), the simulator's stdout/stderr, the transport log
//   lines, error messages, the history file, the simulator's state file and every other file the
//   processes wrote (their TMPDIR and HOME point into the test folder): no secret at all, neither
//   sent nor returned, and no passphrase (right or wrong).
// - The request files themselves hold the sent secrets (the user wrote them): not scanned.
import { strict as assert } from 'node:assert';
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { HistoryStore } from '../../client/src/send/history';
import { secretFields } from '../../core/data/catalog';
import { codeFor, demoState } from '../../core/simulator';
import { TransportError, sendText, type Environment } from '../../core/transport';
import { makePki, type Pki } from '../helpers/pki';
import { filesUnder, runCli, startSimulatorProcess, type CliRun, type SimulatorProcess } from './helpers';

const NOW = '2026-06-01T12:00:00Z';
let pki: Pki;
let work: string;
let sim: SimulatorProcess;
const childDirs = () => ({ TMPDIR: path.join(work, 'tmp'), HOME: path.join(work, 'home') });

/** Secrets we send (never allowed anywhere but the request files). */
const sent = new Set<string>();
/** Secrets the service returned (allowed only in CLI stdout and SendResult.json). */
const returned = new Set<string>();
/** stdoutVerbatim: the response came from a server that itself repeats secrets; stdout shows it as sent. */
const runs: { name: string; run: CliRun; stdoutVerbatim?: boolean }[] = [];
const logLines: string[] = [];
const errors: string[] = [];

/** 6 letters/digits with an upper-case letter beyond F, so it cannot occur inside hex or digits. */
const tempPassword = () =>
  `Q${randomBytes(8)
    .toString('base64')
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 4)}${randomInt(10)}`;
/** An 8-digit code no credential accepts, starting with 9 (token IDs here start with 1). */
const wrongOtp = () => `9${String(randomInt(1e6, 1e7))}`;

function collectReturned(value: unknown): void {
  if (Array.isArray(value)) value.forEach(collectReturned);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (secretFields.includes(k) && typeof v === 'string' && v !== '' && !v.includes('redacted')) returned.add(v);
      else collectReturned(v);
    }
  }
}

function requestFile(name: string, op: string, fields: Record<string, unknown>): string {
  for (const k of secretFields) if (typeof fields[k] === 'string' && fields[k] !== '') sent.add(fields[k]);
  const file = path.join(work, 'req', `${name}.vip.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ [`${op}Request`]: { Version: '3.1', RequestId: `red-${name}`, ...fields } }, null, 2),
  );
  return file;
}

before(async () => {
  pki = makePki();
  sent.add(pki.passphrase);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-redaction-'));
  for (const d of ['req', 'tmp', 'home', 'storage']) fs.mkdirSync(path.join(work, d));
  fs.writeFileSync(path.join(work, 'state.json'), JSON.stringify(demoState(), null, 2));
  sim = await startSimulatorProcess(
    [
      '--tls',
      '--cert',
      pki.server.cert,
      '--key',
      pki.server.key,
      '--client-ca',
      pki.ca.cert,
      '--state',
      path.join(work, 'state.json'),
      '--persist',
      '--now',
      NOW,
    ],
    { env: childDirs() },
  );
});
after(async () => {
  await sim?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const p12 = () => [
  '--pfx',
  pki.client.p12,
  '--ca',
  pki.ca.cert,
  '--passphrase-env',
  'VIP_TEST_PASSPHRASE',
  '--verbose',
];
const pemEnc = () => [
  '--cert',
  pki.client.cert,
  '--key',
  pki.client.encryptedKey,
  '--ca',
  pki.ca.cert,
  '--passphrase-env',
  'VIP_TEST_PASSPHRASE',
  '--verbose',
];

async function cli(name: string, args: string[], passphrase = pki.passphrase): Promise<CliRun> {
  const run = await runCli(args, { env: { ...childDirs(), VIP_TEST_PASSPHRASE: passphrase }, cwd: work });
  assert.equal(run.timedOut, false, `${name} hung`);
  runs.push({ name, run });
  if (run.stdout.trim().startsWith('{')) collectReturned(JSON.parse(run.stdout));
  return run;
}
const reason = (r: CliRun) =>
  (Object.values(JSON.parse(r.stdout))[0] as { Status: { ReasonCode: string } }).Status.ReasonCode;

test('vip-api send with OTP, OTP1, OTP2, TemporaryPassword over mTLS (PKCS#12 and encrypted PEM, --passphrase-env)', async () => {
  const now = new Date(NOW);
  const state = demoState();
  const url = `${sim.url}/{operation}`;
  const send = (name: string, file: string, auth: string[], pass?: string) =>
    cli(name, ['send', file, '--url', url, ...auth], pass);

  const otp = codeFor(state, 'SYMC10000001', now, 0)!;
  const ok = await send('validate', requestFile('validate', 'Validate', { TokenId: 'SYMC10000001', OTP: otp }), p12());
  assert.equal(ok.code, 0, ok.stderr);
  const bad = await send(
    'validate-wrong',
    requestFile('validate-wrong', 'Validate', { TokenId: 'SYMC10000001', OTP: wrongOtp() }),
    pemEnc(),
  );
  assert.equal(bad.code, 2, bad.stderr);
  assert.equal(reason(bad), '49b5');

  const sync = await send(
    'sync',
    requestFile('sync', 'Synchronize', {
      TokenId: 'VSMT10000002',
      OTP1: codeFor(state, 'VSMT10000002', now, 30)!,
      OTP2: codeFor(state, 'VSMT10000002', now, 31)!,
    }),
    p12(),
  );
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);
  const act = await send(
    'activate',
    requestFile('activate', 'ActivateToken', {
      TokenId: 'SYMC10000005',
      OTP1: codeFor(state, 'SYMC10000005', now, 1)!,
    }),
    pemEnc(),
  );
  assert.equal(act.code, 0, act.stdout + act.stderr);

  const temp = tempPassword();
  const set = await send(
    'set-temp',
    requestFile('set-temp', 'SetTemporaryPassword', { TokenId: 'SYMC10000003', TemporaryPassword: temp }),
    p12(),
  );
  assert.equal(set.code, 0, set.stdout + set.stderr);
  const useTemp = await send(
    'validate-temp',
    requestFile('validate-temp', 'Validate', { TokenId: 'SYMC10000003', OTP: temp }),
    pemEnc(),
  );
  assert.equal(useTemp.code, 0, useTemp.stdout + useTemp.stderr);

  const gen = await send(
    'generate-temp',
    requestFile('generate-temp', 'GenerateTemporaryPassword', { TokenId: 'SYMC10000003' }),
    p12(),
  );
  assert.equal(gen.code, 0, gen.stdout + gen.stderr);
  assert.equal(returned.size, 1, 'the generated TemporaryPassword is the one returned secret');

  // SOAP: the same service at /val/soap and /mgmt/soap, the envelope carrying the secrets.
  const soapSync = await cli('soap-sync', [
    'send',
    requestFile('soap-sync', 'Synchronize', { TokenId: 'VSMT10000002', OTP1: wrongOtp(), OTP2: wrongOtp() }),
    '--url',
    sim.url,
    '--transport',
    'soap',
    ...p12(),
  ]);
  assert.equal(soapSync.code, 2, soapSync.stdout + soapSync.stderr);
  const soapTemp = await cli('soap-temp', [
    'send',
    requestFile('soap-temp', 'SetTemporaryPassword', { TokenId: 'SYMC10000003', TemporaryPassword: tempPassword() }),
    '--url',
    sim.url,
    '--transport',
    'soap',
    ...pemEnc(),
  ]);
  assert.equal(soapTemp.code, 0, soapTemp.stdout + soapTemp.stderr);
  assert.match(soapSync.stderr, /POST https:\/\/127\.0\.0\.1:\d+\/val\/soap/);

  // The same through --env and a config file (no passphrase in it), and a wrong passphrase.
  const config = path.join(work, 'settings.json');
  fs.writeFileSync(
    config,
    JSON.stringify({ 'vipApi.environments': [{ name: 'sim', url, pfx: pki.client.p12, ca: pki.ca.cert }] }),
  );
  const viaEnv = await cli('env', [
    'send',
    requestFile('env', 'Validate', { TokenId: 'SYMC10000001', OTP: codeFor(state, 'SYMC10000001', now, 2)! }),
    '--env',
    'sim',
    '--config',
    config,
    '--passphrase-env',
    'VIP_TEST_PASSPHRASE',
    '--verbose',
  ]);
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  const wrong = `Wrong-${randomBytes(6).toString('hex')}`;
  sent.add(wrong);
  for (const auth of [p12(), pemEnc()]) {
    const r = await send(
      'wrong-passphrase',
      requestFile('wrong-pass', 'Validate', { TokenId: 'SYMC10000001', OTP: wrongOtp() }),
      auth,
      wrong,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Wrong passphrase/);
  }
});

test('vip-api send to a server that echoes the request as a non-VIP error page', async () => {
  const echo = https.createServer(
    { cert: fs.readFileSync(pki.server.cert), key: fs.readFileSync(pki.server.key) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`rejected: ${Buffer.concat(chunks).toString('utf8')}`);
      });
    },
  );
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  try {
    const url = `https://127.0.0.1:${(echo.address() as net.AddressInfo).port}/{operation}`;
    const file = requestFile('echo', 'Synchronize', { TokenId: 'VSMT10000002', OTP1: wrongOtp(), OTP2: wrongOtp() });
    const r = await cli('echo', ['send', file, '--url', url, '--ca', pki.ca.cert, '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HTTP 500.*«redacted»/);
    // The transport and the history store, as the extension uses them (log callback, history.add).
    const history = new HistoryStore(path.join(work, 'storage', 'history.json'), () => 50);
    const text = fs.readFileSync(file, 'utf8');
    try {
      await sendText(text, { name: 'echo', url, ca: pki.ca.cert }, { log: (l) => logLines.push(l) });
      assert.fail('expected a not-vip error');
    } catch (e) {
      assert.ok(e instanceof TransportError && e.kind === 'not-vip', String(e));
      errors.push(e.message);
      history.add({
        time: new Date().toISOString(),
        environment: 'echo',
        operation: 'Synchronize',
        url,
        request: text,
        error: e.message,
      });
    }
  } finally {
    echo.closeAllConnections();
    echo.close();
  }
});

test('transport log callback and history store with secrets in requests and responses', async () => {
  const history = new HistoryStore(path.join(work, 'storage', 'history.json'), () => 50);
  const env: Environment = { name: 'sim', url: `${sim.url}/{operation}`, pfx: pki.client.p12, ca: pki.ca.cert };
  const now = new Date(NOW);
  const state = demoState();
  const docs: Record<string, Record<string, string>>[] = [
    { Validate: { TokenId: 'SYMC10000001', OTP: codeFor(state, 'SYMC10000001', now, 3)! } },
    { Validate: { TokenId: 'SYMC10000001', OTP: wrongOtp() } },
    {
      Synchronize: {
        TokenId: 'VSMT10000002',
        OTP1: codeFor(state, 'VSMT10000002', now, 60)!,
        OTP2: codeFor(state, 'VSMT10000002', now, 61)!,
      },
    },
    { SetTemporaryPassword: { TokenId: 'SYMC10000003', TemporaryPassword: tempPassword() } },
    { GenerateTemporaryPassword: { TokenId: 'SYMC10000003' } },
  ];
  for (const d of docs) {
    const [op, fields] = Object.entries(d)[0];
    for (const v of Object.values(fields)) if (v !== fields.TokenId) sent.add(v);
    const text = JSON.stringify({ [`${op}Request`]: { Version: '3.1', ...fields } });
    const r = await sendText(text, env, { passphrase: pki.passphrase, log: (l) => logLines.push(l) });
    collectReturned(r.json);
    history.add({
      time: new Date().toISOString(),
      environment: env.name,
      operation: op,
      url: r.url,
      request: r.request.value,
      response: r.json,
      reasonCode: r.reasonCode,
      statusMessage: r.statusMessage,
      totalMs: r.timings.total,
    });
  }
  const soapEnv: Environment = { ...env, url: sim.url, transport: 'soap' };
  for (const fields of [
    { TokenId: 'VSMT10000002', OTP1: wrongOtp(), OTP2: wrongOtp() },
    { TokenId: 'SYMC10000003', TemporaryPassword: tempPassword() },
  ]) {
    const op = 'OTP1' in fields ? 'Synchronize' : 'SetTemporaryPassword';
    for (const [k, v] of Object.entries(fields)) if (k !== 'TokenId') sent.add(v);
    const r = await sendText(JSON.stringify({ [`${op}Request`]: { Version: '3.1', ...fields } }), soapEnv, {
      passphrase: pki.passphrase,
      log: (l) => logLines.push(l),
    });
    assert.equal(r.request.transport, 'soap');
    history.add({
      time: new Date().toISOString(),
      environment: 'soap',
      operation: op,
      url: r.url,
      request: r.request.value,
      response: r.json,
      reasonCode: r.reasonCode,
    });
  }
  // A failing send: wrong passphrase (the error and the history entry must not show it).
  const wrong = `Bad-${randomBytes(6).toString('hex')}`;
  sent.add(wrong);
  const text = JSON.stringify({ ValidateRequest: { Version: '3.1', TokenId: 'SYMC10000001', OTP: wrongOtp() } });
  sent.add(JSON.parse(text).ValidateRequest.OTP);
  try {
    await sendText(text, env, { passphrase: wrong, log: (l) => logLines.push(l) });
    assert.fail('expected a wrong-passphrase error');
  } catch (e) {
    assert.ok(e instanceof TransportError && e.kind === 'tls-material', String(e));
    errors.push(e.message);
    history.add({
      time: new Date().toISOString(),
      environment: env.name,
      operation: 'Validate',
      url: env.url,
      request: text,
      error: e.message,
    });
  }
  assert.ok(history.list().length >= docs.length + 1);
  assert.ok(returned.size >= 2, 'two generated temporary passwords came back');
});

test('regression: a sent secret that the server quotes in plain text (StatusMessage, ErrorDetail, SOAP Fault string) is kept out of logs, errors, stderr and history', async () => {
  // Real services do this: schema faults of SOAP stacks quote the offending value.
  const parrot = https.createServer(
    { cert: fs.readFileSync(pki.server.cert), key: fs.readFileSync(pki.server.key) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const otp = /"OTP"\s*:\s*"([^"]*)"|<OTP>([^<]*)<\/OTP>/.exec(body)?.slice(1).find(Boolean) ?? '?';
        if (req.url?.endsWith('/soap')) {
          res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' });
          res.end(
            `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>cvc-pattern-valid: Value '${otp}' is not facet-valid with respect to pattern '[0-9]{6}'</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
          );
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              ValidateResponse: {
                Status: {
                  ReasonCode: '4e00',
                  StatusMessage: `Malformed request (OTP ${otp})`,
                  ErrorDetail: `OTP ${otp} does not match the pattern`,
                },
              },
            }),
          );
        }
      });
    },
  );
  parrot.listen(0, '127.0.0.1');
  await once(parrot, 'listening');
  const base = `https://127.0.0.1:${(parrot.address() as net.AddressInfo).port}`;
  const history = new HistoryStore(path.join(work, 'storage', 'history.json'), () => 50);
  try {
    for (const transport of ['rest', 'soap'] as const) {
      const otp = wrongOtp();
      const file = requestFile(`parrot-${transport}`, 'Validate', { TokenId: 'SYMC10000001', OTP: otp });
      const r = await cli(`parrot-${transport}`, [
        'send',
        file,
        '--url',
        transport === 'rest' ? `${base}/{operation}` : base,
        '--transport',
        transport,
        '--ca',
        pki.ca.cert,
        '--verbose',
      ]);
      runs[runs.length - 1].stdoutVerbatim = true;
      assert.equal(r.code, transport === 'rest' ? 2 : 1, r.stderr);
      const env: Environment = {
        name: 'parrot',
        url: transport === 'rest' ? `${base}/{operation}` : base,
        ca: pki.ca.cert,
        transport,
      };
      const text = fs.readFileSync(file, 'utf8');
      try {
        const res = await sendText(text, env, { log: (l) => logLines.push(l) });
        assert.equal(transport, 'rest');
        history.add({
          time: new Date().toISOString(),
          environment: env.name,
          operation: 'Validate',
          url: res.url,
          request: res.request.value,
          response: res.json,
          reasonCode: res.reasonCode,
        });
      } catch (e) {
        assert.ok(e instanceof TransportError && e.kind === 'soap-fault', String(e));
        errors.push(e.message);
        history.add({
          time: new Date().toISOString(),
          environment: env.name,
          operation: 'Validate',
          url: env.url,
          request: text,
          error: e.message,
        });
      }
    }
  } finally {
    parrot.closeAllConnections();
    parrot.close();
  }
});

test('scan: no secret and no passphrase in anything the project wrote', async () => {
  assert.ok(sent.size >= 12 && returned.size >= 2, `sent ${sent.size}, returned ${returned.size}`);
  // Stop the simulator first so that everything it writes is in.
  assert.equal(await sim.stop(), 0);
  const simOut = sim.output();
  assert.match(simOut.stdout, /POST \/validate Validate token=SYMC10000001 49b5/, 'the simulator logged the requests');
  const places: { where: string; text: string; allowReturned?: boolean }[] = [
    { where: 'simulator stdout', text: simOut.stdout },
    { where: 'simulator stderr', text: simOut.stderr },
    { where: 'transport log lines', text: logLines.join('\n') },
    { where: 'error messages', text: errors.join('\n') },
  ];
  for (const { name, run, stdoutVerbatim } of runs) {
    places.push({ where: `CLI ${name} stderr`, text: run.stderr });
    if (!stdoutVerbatim) places.push({ where: `CLI ${name} stdout`, text: run.stdout, allowReturned: true });
  }
  const written = filesUnder(work).filter((f) => !f.file.startsWith(path.join(work, 'req') + path.sep));
  const names = written.map((f) => path.relative(work, f.file));
  assert.ok(names.includes('state.json') && names.includes(path.join('storage', 'history.json')), names.join(', '));
  for (const f of written) places.push({ where: `file ${path.relative(work, f.file)}`, text: f.text });
  const leaks: string[] = [];
  for (const p of places) {
    for (const s of sent) if (p.text.includes(s)) leaks.push(`${p.where}: sent secret ${s}`);
    if (!p.allowReturned)
      for (const s of returned) if (p.text.includes(s)) leaks.push(`${p.where}: returned secret ${s}`);
  }
  assert.deepEqual(leaks, []);
  // The scan would see a leak: the request files do hold the sent secrets.
  const reqText = filesUnder(path.join(work, 'req'))
    .map((f) => f.text)
    .join('\n');
  assert.ok(reqText.includes(pki.passphrase) === false && [...sent].filter((s) => reqText.includes(s)).length >= 8);
  // And the history did keep the entries, with the secret fields replaced.
  const historyText = fs.readFileSync(path.join(work, 'storage', 'history.json'), 'utf8');
  assert.match(historyText, /«redacted»/);
  assert.ok((historyText.match(/"time"/g) ?? []).length >= 7);
});
