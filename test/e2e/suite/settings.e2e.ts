// The vipApi.* settings the extension reads when it sends, each changed here and shown to take
// effect: historySize, response.reuseTab, autoRequestId, timeoutMs, maxResponseBytes; and the
// environment rules SECURITY.md promises (no user name or password in a URL).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { LATENCY_HEADER, startSimulator, type RunningSimulator } from '../../../core/simulator';
import {
  activateExtension,
  assertSent,
  assertTimesOutAfter300ms,
  closeAllEditors,
  extensionLogFile,
  fixtureUri,
  openRequest,
  openTempRequest,
  readHistoryText,
  removeTempFiles,
  sendRequest,
  setWorkspaceSetting,
  storageDirOf,
  waitForDiagnostics,
  waitForFileText,
} from './helpers';

const DEACTIVATE = 'requests/deactivate-lost-phone.vip.json';
const SLOW = 'E2E settings: slow answer';
const BIG = 'E2E settings: 8 KB answer';
const WITH_PASSWORD = 'E2E settings: password in URL';
const select = (name: string): Thenable<unknown> => vscode.commands.executeCommand('vipApi.selectEnvironment', name);

/** A server that answers every POST with a valid DeactivateToken response of about 8 KB (a long RequestId). */
async function startBigAnswerServer(): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({
    DeactivateTokenResponse: { RequestId: 'x'.repeat(8000), Status: { ReasonCode: '0000', StatusMessage: 'Success' } },
  });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('settings read by the extension when it sends', () => {
  let simulator: RunningSimulator;
  let big: { url: string; close(): Promise<void> };
  const settingsFile = fixtureUri('.vscode/settings.json').fsPath;
  let settingsBefore: string | undefined;

  before(async () => {
    await activateExtension();
    settingsBefore = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    if (settingsBefore?.includes(SLOW)) settingsBefore = undefined; // left by a killed run
    simulator = await startSimulator({ host: '127.0.0.1' });
    big = await startBigAnswerServer();
    await setWorkspaceSetting('environments', [
      // No timeoutMs of its own: vipApi.timeoutMs applies. The simulator delays its answer by the header's ms.
      { name: SLOW, url: `${simulator.url}/{operation}`, headers: { [LATENCY_HEADER]: '5000' } },
      { name: BIG, url: `${big.url}/{operation}` },
      { name: WITH_PASSWORD, url: `http://user:secret@127.0.0.1:${new URL(simulator.url).port}/{operation}` },
    ]);
  });

  afterEach(async () => {
    for (const key of ['historySize', 'response.reuseTab', 'autoRequestId', 'timeoutMs', 'maxResponseBytes'])
      await setWorkspaceSetting(key, undefined);
    await select('Simulator');
    await closeAllEditors();
  });

  after(async () => {
    await setWorkspaceSetting('environments', undefined);
    if (settingsBefore === undefined) {
      fs.rmSync(settingsFile, { force: true });
      const dir = path.dirname(settingsFile);
      if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    } else fs.writeFileSync(settingsFile, settingsBefore);
    await simulator?.close();
    await big?.close();
    removeTempFiles();
  });

  it('vipApi.historySize: 2 keeps the last two sends; the history file has mode 0600', async () => {
    await setWorkspaceSetting('historySize', 2);
    const request = await openRequest(DEACTIVATE);
    await vscode.commands.executeCommand('vipApi.clearHistory');
    let last: Awaited<ReturnType<typeof sendRequest>> | undefined;
    for (let i = 0; i < 3; i++) {
      last = await sendRequest(request.document.uri);
      assertSent(last, '0000');
    }
    assert.ok(last?.ok);
    const storage = storageDirOf(last.responseUri);
    assert.equal(
      (JSON.parse(readHistoryText(storage)) as unknown[]).length,
      2,
      'vipApi.historySize 2: two entries after three sends',
    );
    assert.equal(
      fs.statSync(path.join(storage, 'history.json')).mode & 0o777,
      0o600,
      'history.json must be readable by its owner only',
    );
  });

  it('vipApi.response.reuseTab: true → one response file per request; false → a new file named after the time', async () => {
    const request = await openRequest(DEACTIVATE);
    const reused = await sendRequest(request.document.uri);
    assertSent(reused, '0000');
    assert.equal(path.basename(vscode.Uri.parse(reused.responseUri).fsPath), 'deactivate-lost-phone.response.vip.json');
    await setWorkspaceSetting('response.reuseTab', false);
    const fresh = await sendRequest(request.document.uri);
    assertSent(fresh, '0000');
    assert.match(
      path.basename(vscode.Uri.parse(fresh.responseUri).fsPath),
      /^deactivate-lost-phone\.\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.response\.vip\.json$/,
    );
  });

  it('vipApi.autoRequestId: a request without RequestId gets one when on, and none when off', async () => {
    const text =
      JSON.stringify({ DeactivateTokenRequest: { Version: '3.1', TokenId: 'SYMC10000001' } }, null, 2) + '\n';
    const { document: doc } = await openTempRequest('no-request-id', text);
    await waitForDiagnostics(doc.uri, (ds) => ds.length === 0);
    const requestIdOf = async (outcome: Awaited<ReturnType<typeof sendRequest>>): Promise<unknown> => {
      assertSent(outcome, '0000');
      const response = await vscode.workspace.openTextDocument(vscode.Uri.parse(outcome.responseUri));
      return (JSON.parse(response.getText()) as { DeactivateTokenResponse: { RequestId?: unknown } })
        .DeactivateTokenResponse.RequestId;
    };
    assert.equal(
      typeof (await requestIdOf(await sendRequest(doc.uri))),
      'string',
      'on (default): the simulator echoes the generated RequestId',
    );
    await setWorkspaceSetting('autoRequestId', false);
    assert.equal(
      await requestIdOf(await sendRequest(doc.uri)),
      undefined,
      'off: no RequestId is sent, so none is echoed',
    );
  });

  it('vipApi.timeoutMs: 300 ms against an answer delayed 5 s → {ok:false, kind:"timeout"} within 0.3 s', async () => {
    await setWorkspaceSetting('timeoutMs', 300);
    await select(SLOW);
    const request = await openRequest(DEACTIVATE);
    await assertTimesOutAfter300ms(request.document.uri, 'vipApi.timeoutMs');
  });

  it('vipApi.maxResponseBytes: an 8 KB answer is shown by default and saved to a file, not shown, under a 1 KB cap', async () => {
    await select(BIG);
    const request = await openRequest(DEACTIVATE);
    assertSent(await sendRequest(request.document.uri), '0000');
    await setWorkspaceSetting('maxResponseBytes', 1024);
    const outcome = await sendRequest(request.document.uri);
    assert.ok(!outcome.ok, `expected too-large: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.kind, 'too-large', outcome.message);
    assert.match(outcome.message, /larger than the 1 KB cap/);
    const saved = /It was saved to (.+\.txt)\./.exec(outcome.message)?.[1];
    assert.ok(saved && fs.statSync(saved).size > 8000, `the answer was not saved whole: ${outcome.message}`);
  });

  it('an environment URL with a user name or password is refused (not selectable), and the password is not logged', async () => {
    await assert.rejects(Promise.resolve(select(WITH_PASSWORD)), /No VIP environment named/);
    const probe = await sendRequest((await openRequest(DEACTIVATE)).document.uri);
    assertSent(probe, '0000');
    const logFile = extensionLogFile(storageDirOf(probe.responseUri));
    assert.ok(logFile, 'the extension log file was not found');
    const log = await waitForFileText(logFile, (t) =>
      t.includes(`("${WITH_PASSWORD}"): the URL must not contain a user name or password`),
    );
    assert.ok(!log.includes('user:secret'), 'the URL with its password is in the log');
  });
});
