import * as assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  activateExtension,
  assertSent,
  closeAllEditors,
  extensionLogFile,
  openRequest,
  readHistoryText,
  sendRequest,
  storageDirOf,
  waitForEditor,
  waitForFileText,
} from './helpers';

const DEACTIVATE = 'requests/deactivate-lost-phone.vip.json';

type EnvelopeOutcome =
  | { ok: true; uri: string; url: string; envelope: string; environment: string; transport: 'REST' | 'SOAP' }
  | { ok: false; message: string };

const select = (name: string): Thenable<unknown> => vscode.commands.executeCommand('vipApi.selectEnvironment', name);

async function lensTitle(uri: vscode.Uri): Promise<string | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.find((l) => l.command?.command === 'vipApi.send')?.command?.title;
}

function latestHistory(storageDir: string): {
  environment: string;
  url: string;
  operation: string;
  reasonCode?: string;
} {
  const entries = JSON.parse(readHistoryText(storageDir)) as {
    environment: string;
    url: string;
    operation: string;
    reasonCode?: string;
  }[];
  assert.ok(entries.length > 0, 'history is empty after a send');
  return entries[0];
}

describe('environments', () => {
  before(activateExtension);
  afterEach(async () => {
    await select('Simulator');
    await closeAllEditors();
  });

  it('Simulator (SOAP): the CodeLens follows, Send posts to /mgmt/soap and gets the same JSON response', async () => {
    const request = await openRequest(DEACTIVATE);
    await select('Simulator (SOAP)');
    assert.equal(await lensTitle(request.document.uri), 'Send request ▸ Simulator (SOAP)');

    const outcome = await sendRequest(request.document.uri);
    assertSent(outcome, '0000');
    assert.equal(outcome.environment, 'Simulator (SOAP)');
    const response = await waitForEditor(
      (e) => e.document.uri.toString() === outcome.responseUri && e.document.getText().length > 0,
    );
    assert.equal(response.document.languageId, 'vip-json');
    const json = JSON.parse(response.document.getText()) as Record<
      string,
      { RequestId?: string; Status?: { ReasonCode?: string } }
    >;
    assert.equal(json['DeactivateTokenResponse']?.RequestId, 'e2e-deactivate-1');
    assert.equal(json['DeactivateTokenResponse']?.Status?.ReasonCode, '0000');

    // Where it went: the history entry and the log line name the SOAP route.
    const storage = storageDirOf(outcome.responseUri);
    const entry = latestHistory(storage);
    assert.equal(entry.environment, 'Simulator (SOAP)');
    assert.match(entry.url, /^http:\/\/127\.0\.0\.1:\d+\/mgmt\/soap$/);
    const log = extensionLogFile(storage);
    assert.ok(log, 'the extension log file was not found');
    await waitForFileText(log, (t) => t.includes(`→ POST ${entry.url} [Simulator (SOAP)]`));
  });

  it('Show SOAP envelope opens the exact envelope as an untitled xml document, URL ending in /mgmt/soap', async () => {
    const request = await openRequest(DEACTIVATE);
    await select('Simulator (SOAP)');
    const outcome = await vscode.commands.executeCommand<EnvelopeOutcome>(
      'vipApi.showSoapEnvelope',
      request.document.uri,
    );
    assert.ok(outcome.ok, `showSoapEnvelope failed: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.transport, 'SOAP');
    assert.equal(outcome.environment, 'Simulator (SOAP)');
    assert.match(outcome.url, /\/mgmt\/soap$/);
    assert.match(outcome.envelope, /<DeactivateToken Version="3\.1"/);
    assert.ok(outcome.envelope.includes('SYMC10000001'), 'the envelope lacks the TokenId');

    const shown = await waitForEditor((e) => e.document.uri.toString() === outcome.uri);
    assert.equal(shown.document.uri.scheme, 'untitled');
    assert.equal(shown.document.languageId, 'xml');
    const text = shown.document.getText();
    const body = outcome.envelope.replace(/^<\?xml[^>]*\?>\n?/, '');
    assert.ok(text.includes(body), 'the document should hold the exact body that Send posts');
    assert.ok(text.includes(`POST ${outcome.url}`), 'the comment should say where it is posted');
  });

  it('back to Simulator: the CodeLens names it and Send uses REST again', async () => {
    const request = await openRequest(DEACTIVATE);
    await select('Simulator (SOAP)');
    assert.equal(await lensTitle(request.document.uri), 'Send request ▸ Simulator (SOAP)');
    await select('Simulator');
    assert.equal(await lensTitle(request.document.uri), 'Send request ▸ Simulator');
    const outcome = await sendRequest(request.document.uri);
    assertSent(outcome, '0000');
    assert.equal(outcome.environment, 'Simulator');
    assert.match(latestHistory(storageDirOf(outcome.responseUri)).url, /^http:\/\/127\.0\.0\.1:\d+\/deactivate-token$/);
  });

  it('an environment name that does not exist is refused', async () => {
    await assert.rejects(
      Promise.resolve(select('No such environment')),
      /No VIP environment named "No such environment"/,
    );
  });
});
