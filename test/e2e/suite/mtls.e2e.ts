// An mTLS environment from workspace settings, its passphrase in SecretStorage, against a TLS
// simulator started here (certificates made by openssl at test time), and the failing-TLS cases.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { LATENCY_HEADER, startSimulator, type RunningSimulator } from '../../../core/simulator';
import { makePki, type Pki } from '../../helpers/pki';
import {
  activateExtension,
  assertSent,
  assertTimesOutAfter300ms,
  closeAllEditors,
  extensionLogFile,
  fixtureUri,
  openRequest,
  readHistoryText,
  sendRequest,
  setWorkspaceSetting,
  storageDirOf,
  waitForFileText,
} from './helpers';

const DEACTIVATE = 'requests/deactivate-lost-phone.vip.json';
const MTLS = 'E2E mTLS (PKCS#12)';
const UNTRUSTED = 'E2E server not trusted (no ca)';
const WRONG_PASSPHRASE = 'E2E wrong passphrase';
const WRONG = 'not-the-Passphrase-7';
const PEM_127_0_0_2 = 'E2E encrypted PEM key on 127.0.0.2';
const NO_CLIENT_CERT = 'E2E no client certificate';
const SLOW = 'E2E slow answer (timeoutMs 300)';
const SLOWER = 'E2E slow answer (to cancel)';

const select = (name: string): Thenable<unknown> => vscode.commands.executeCommand('vipApi.selectEnvironment', name);
const setPassphrase = (name: string, value: string): Thenable<unknown> =>
  vscode.commands.executeCommand('vipApi.setPassphrase', name, value);

describe('mTLS environment from settings (TLS simulator, SecretStorage)', () => {
  let pki: Pki;
  let simulator: RunningSimulator;
  let simulator2: RunningSimulator;
  const settingsFile = fixtureUri('.vscode/settings.json').fsPath;
  let settingsBefore: string | undefined;

  before(async () => {
    await activateExtension();
    settingsBefore = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    // Left behind by a run that was killed before its `after`: nothing else writes this (git-ignored) file.
    if (settingsBefore?.includes(MTLS)) settingsBefore = undefined;
    pki = makePki();
    simulator = await startSimulator({
      host: '127.0.0.1',
      tls: { cert: pki.read(pki.server.cert), key: pki.read(pki.server.key), clientCa: pki.read(pki.ca.cert) },
    });
    assert.match(simulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    simulator2 = await startSimulator({
      host: '127.0.0.2',
      tls: { cert: pki.read(pki.server.cert), key: pki.read(pki.server.key), clientCa: pki.read(pki.ca.cert) },
    });
    assert.match(simulator2.url, /^https:\/\/127\.0\.0\.2:\d+$/);
    const url = `${simulator.url}/{operation}`;
    await setWorkspaceSetting('environments', [
      { name: MTLS, url, pfx: pki.client.p12, ca: pki.ca.cert },
      // PEM without a passphrase, so nothing is asked; no ca: the test CA is unknown to Node.
      { name: UNTRUSTED, url, cert: pki.client.cert, key: pki.client.key },
      { name: WRONG_PASSPHRASE, url, pfx: pki.client.p12, ca: pki.ca.cert },
      {
        name: PEM_127_0_0_2,
        url: `${simulator2.url}/{operation}`,
        cert: pki.client.cert,
        key: pki.client.encryptedKey,
        ca: pki.ca.cert,
      },
      { name: NO_CLIENT_CERT, url, ca: pki.ca.cert },
      // The simulator delays its answer by the header's milliseconds.
      {
        name: SLOW,
        url,
        cert: pki.client.cert,
        key: pki.client.key,
        ca: pki.ca.cert,
        timeoutMs: 300,
        headers: { [LATENCY_HEADER]: '5000' },
      },
      {
        name: SLOWER,
        url,
        cert: pki.client.cert,
        key: pki.client.key,
        ca: pki.ca.cert,
        headers: { [LATENCY_HEADER]: '8000' },
      },
    ]);
  });

  afterEach(async () => {
    await select('Simulator');
    await closeAllEditors();
  });

  after(async () => {
    // Secrets first: vipApi.setPassphrase only works while the environments exist.
    for (const name of [MTLS, WRONG_PASSPHRASE, PEM_127_0_0_2]) await setPassphrase(name, '');
    await setWorkspaceSetting('environments', undefined);
    if (settingsBefore === undefined) {
      fs.rmSync(settingsFile, { force: true });
      const dir = path.dirname(settingsFile);
      if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    } else fs.writeFileSync(settingsFile, settingsBefore);
    await simulator?.close();
    await simulator2?.close();
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it('PKCS#12 + CA from settings, passphrase via vipApi.setPassphrase → 0000 over mTLS; the passphrase is nowhere but SecretStorage', async () => {
    await setPassphrase(MTLS, pki.passphrase);
    await select(MTLS);
    const request = await openRequest(DEACTIVATE);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      request.document.uri,
    );
    assert.ok(
      lenses.some((l) => l.command?.title === `Send request ▸ ${MTLS}`),
      `lens titles: ${lenses.map((l) => l.command?.title).join(' | ')}`,
    );

    const outcome = await sendRequest(request.document.uri);
    assertSent(outcome, '0000');
    assert.equal(outcome.environment, MTLS);

    // The settings file holds the environment (it is the right file) but not the passphrase.
    const settings = fs.readFileSync(settingsFile, 'utf8');
    assert.ok(
      settings.includes(MTLS) && settings.includes('client.p12'),
      'the workspace settings file does not hold the environment',
    );
    assert.ok(!settings.includes(pki.passphrase), 'the passphrase is in the workspace settings file');

    // History: this send is there (environment, URL), its passphrase is not.
    const storage = storageDirOf(outcome.responseUri);
    const history = readHistoryText(storage);
    assert.ok(
      history.includes(MTLS) && history.includes(`${simulator.url}/deactivate-token`),
      'the send is not in the history',
    );
    assert.ok(!history.includes(pki.passphrase), 'the passphrase is in the history');

    // Log: wait until it holds the lines of this passphrase and this send (the client certificate
    // subject proves mTLS was used), then check the passphrase is not in it.
    const logFile = extensionLogFile(storage);
    assert.ok(logFile, 'the extension log file was not found');
    const log = await waitForFileText(
      logFile,
      (t) =>
        t.includes(`Passphrase for environment "${MTLS}" stored in SecretStorage`) &&
        t.includes(`→ POST ${simulator.url}/deactivate-token [${MTLS}] client certificate "CN=VIP Test Client"`) &&
        /← HTTP 200 0000/.test(t),
    );
    assert.ok(!log.includes(pki.passphrase), 'the passphrase is in the extension log');
  });

  it('a server certificate from an unknown CA (no ca set) → {ok:false} with the untrusted-certificate sentence', async () => {
    await select(UNTRUSTED);
    const request = await openRequest(DEACTIVATE);
    const outcome = await sendRequest(request.document.uri);
    assert.equal(outcome.ok, false, `expected a failure: ${JSON.stringify(outcome)}`);
    assert.ok(!outcome.ok);
    assert.equal(outcome.kind, 'server-certificate');
    const port = new URL(simulator.url).port;
    assert.match(outcome.message, new RegExp(`^The server certificate of 127\\.0\\.0\\.1:${port} is not trusted`));
    assert.match(outcome.message, /set the CA file \(ca\) of this environment/);
  });

  it('a wrong passphrase for the PKCS#12 → the "mac verify failure" sentence, and the wrong value is not repeated', async () => {
    await setPassphrase(WRONG_PASSPHRASE, WRONG);
    await select(WRONG_PASSPHRASE);
    const request = await openRequest(DEACTIVATE);
    const outcome = await sendRequest(request.document.uri);
    assert.ok(!outcome.ok, `expected a failure: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.kind, 'tls-material');
    assert.match(
      outcome.message,
      /^Wrong passphrase for the PKCS#12 file ".*client\.p12" \(mac verify failure\)\. Set the right one with "VIP: Set certificate passphrase…"/,
    );
    assert.ok(!outcome.message.includes(WRONG));
  });

  it('PEM certificate with an encrypted key, on 127.0.0.2 → 0000', async () => {
    await setPassphrase(PEM_127_0_0_2, pki.passphrase);
    await select(PEM_127_0_0_2);
    const request = await openRequest(DEACTIVATE);
    const outcome = await sendRequest(request.document.uri);
    assertSent(outcome, '0000');
    assert.equal(outcome.environment, PEM_127_0_0_2);
    const history = readHistoryText(storageDirOf(outcome.responseUri));
    assert.ok(history.includes(`${simulator2.url}/deactivate-token`), 'the send to 127.0.0.2 is not in the history');
  });

  it('no client certificate: the simulator (like VIP) answers 4e02, reported with its code', async () => {
    await select(NO_CLIENT_CERT);
    const request = await openRequest(DEACTIVATE);
    const outcome = await sendRequest(request.document.uri);
    assertSent(outcome, '4e02'); // docs/simulator.md, mTLS mode: the handshake is not refused
    assert.match(outcome.statusLine, /^4e02 Authentication failed/);
  });

  it('Copy request as cURL for the PKCS#12 environment: --cert-type P12 with a passphrase variable, and it works', async () => {
    await setPassphrase(MTLS, pki.passphrase);
    await select(MTLS);
    const request = await openRequest(DEACTIVATE);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('vipApi.copyAsCurl', request.document.uri);
    const curl = await vscode.env.clipboard.readText();
    assert.ok(curl.includes(`--cert-type P12 --cert ${pki.client.p12}:"$VIP_CERT_PASSPHRASE"`), curl);
    assert.ok(curl.includes(`--cacert ${pki.ca.cert}`), curl);
    assert.ok(curl.endsWith(` ${simulator.url}/deactivate-token`), curl);
    assert.ok(!curl.includes(pki.passphrase), 'the passphrase is in the cURL command');
    const run = promisify(execFile);
    if (
      await run('sh', ['-c', 'command -v curl']).then(
        () => true,
        () => false,
      )
    ) {
      const { stdout } = await run('sh', ['-c', curl], {
        timeout: 10_000,
        env: { ...process.env, VIP_CERT_PASSPHRASE: pki.passphrase },
      });
      assert.equal(
        (JSON.parse(stdout) as { DeactivateTokenResponse?: { Status?: { ReasonCode?: string } } })
          .DeactivateTokenResponse?.Status?.ReasonCode,
        '0000',
        stdout,
      );
    }
  });

  it('the environment\'s timeoutMs: a slow answer → {ok:false, kind:"timeout"} after 0.3 s, not after the answer', async () => {
    await select(SLOW);
    const request = await openRequest(DEACTIVATE);
    await assertTimesOutAfter300ms(request.document.uri, "the environment's timeoutMs");
  });

  it('VIP: Cancel request aborts a send under way: {ok:false, kind:"cancelled"} long before the answer, and nothing is left running', async () => {
    // The extension's log file, found from any response's storage folder (4e02: harmless).
    await select(NO_CLIENT_CERT);
    const probe = await sendRequest((await openRequest(DEACTIVATE)).document.uri);
    assert.ok(probe.ok, JSON.stringify(probe));
    const logFile = extensionLogFile(storageDirOf(probe.responseUri));
    assert.ok(logFile, 'the extension log file was not found');

    await select(SLOWER);
    const request = await openRequest(DEACTIVATE);
    const started = performance.now();
    const sending = sendRequest(request.document.uri);
    // The transport logs "→ POST …" as the request goes out: cancel then.
    await waitForFileText(logFile, (t) => t.includes(`→ POST ${simulator.url}/deactivate-token [${SLOWER}]`));
    const cancelled = await vscode.commands.executeCommand<number>('vipApi.cancelSend');
    assert.equal(cancelled, 1, 'one send was under way');
    const outcome = await sending;
    const elapsed = performance.now() - started;
    assert.ok(!outcome.ok, `expected a cancelled send: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.kind, 'cancelled', outcome.message);
    assert.ok(
      elapsed < 6000,
      `the send took ${Math.round(elapsed)} ms: it waited for the answer (8 s) instead of stopping`,
    );
    assert.equal(await vscode.commands.executeCommand<number>('vipApi.cancelSend'), 0, 'nothing is left to cancel');
  });
});
