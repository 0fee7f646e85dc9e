import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { getReasonCode } from '../../../core/data/catalog';
import {
  activateExtension,
  assertSent,
  closeAllEditors,
  hoverText,
  openRequest,
  positionOf,
  sendRequest,
  waitForEditor,
} from './helpers';

const DEACTIVATE = 'requests/deactivate-lost-phone.vip.json';

/** The response editor of an outcome, once it shows a response. */
async function responseEditor(responseUri: string): Promise<vscode.TextEditor> {
  return waitForEditor((e) => e.document.uri.toString() === responseUri && e.document.getText().length > 0);
}

function parseResponse(
  doc: vscode.TextDocument,
): Record<string, { RequestId?: string; Status?: { ReasonCode?: string; StatusMessage?: string } }> {
  const text = doc.getText();
  const json = JSON.parse(text) as Record<string, { RequestId?: string; Status?: { ReasonCode?: string } }>;
  assert.equal(text, JSON.stringify(json, null, 2) + '\n', 'the response should be pretty-printed JSON (2 spaces)');
  return json;
}

describe('send request (built-in simulator)', () => {
  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('vipApi.selectEnvironment', 'Simulator');
  });
  afterEach(closeAllEditors);

  it('DeactivateToken → 0000; the response opens beside the request as pretty-printed vip-json', async () => {
    const request = await openRequest(DEACTIVATE);
    const outcome = await sendRequest(request.document.uri);
    assertSent(outcome, '0000');
    assert.equal(outcome.environment, 'Simulator');
    assert.match(outcome.statusLine, /^0000 \S.* · \d+ ms$/);

    const response = await responseEditor(outcome.responseUri);
    assert.ok(
      outcome.responseUri.endsWith('/deactivate-lost-phone.response.vip.json'),
      `named after the request: ${outcome.responseUri}`,
    );
    assert.equal(response.document.languageId, 'vip-json');
    assert.notEqual(response.viewColumn, request.viewColumn, 'the response should open beside the request');
    const json = parseResponse(response.document);
    assert.deepEqual(Object.keys(json), ['DeactivateTokenResponse']);
    assert.equal(json['DeactivateTokenResponse'].RequestId, 'e2e-deactivate-1', 'RequestId is echoed');
    assert.equal(json['DeactivateTokenResponse'].Status?.ReasonCode, '0000');
  });

  it('a second send of the same request reuses the response tab', async () => {
    const request = await openRequest(DEACTIVATE);
    const first = await sendRequest(request.document.uri);
    assertSent(first, '0000');
    const version = (await responseEditor(first.responseUri)).document.version;
    const second = await sendRequest(request.document.uri);
    assertSent(second, '0000');
    assert.equal(second.responseUri, first.responseUri);
    const response = await responseEditor(second.responseUri);
    assert.ok(response.document.version > version, 'the second response was not written into the open document');
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === second.responseUri);
    assert.equal(tabs.length, 1, 'one tab for the responses of one request');
    assert.equal(parseResponse(response.document)['DeactivateTokenResponse']?.Status?.ReasonCode, '0000');
  });

  it('a token-state error (EnableToken on the INACTIVE SYMC10000006) is reported with 4996, explained by hover in the response', async () => {
    const request = await openRequest('requests/enable-inactive.vip.json');
    const outcome = await sendRequest(request.document.uri);
    assertSent(outcome, '4996');
    assert.match(outcome.statusLine, /^4996 /);
    const response = (await responseEditor(outcome.responseUri)).document;
    const json = parseResponse(response);
    assert.equal(json['EnableTokenResponse']?.Status?.ReasonCode, '4996');
    // The response is a vip-json document like any other: the language server explains its code.
    const catalog = getReasonCode('4996');
    assert.ok(catalog);
    const at = positionOf(response, '"ReasonCode": "4996"', '"ReasonCode": "'.length + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      response.uri,
      at,
    );
    assert.ok(hoverText(hovers).includes(catalog.message), `hover on 4996 in the response: ${hoverText(hovers)}`);
  });

  it('the CodeLens above the operation key sends to the current environment and names it', async () => {
    const request = await openRequest(DEACTIVATE);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      request.document.uri,
    );
    const send = lenses.filter((l) => l.command?.command === 'vipApi.send');
    assert.equal(send.length, 1, `one Send lens expected: ${JSON.stringify(lenses.map((l) => l.command?.title))}`);
    const lens = send[0];
    assert.equal(lens.command!.title, 'Send request ▸ Simulator');
    assert.equal(lens.range.start.line, 1, 'the lens sits on the operation key line');
    assert.equal(request.document.getText(lens.range).replace(/"/g, ''), 'DeactivateTokenRequest');
    assert.equal(String(lens.command!.arguments?.[0]), request.document.uri.toString());
  });

  it('Copy request as cURL puts a curl command on the clipboard that gets 0000 from the simulator', async () => {
    const request = await openRequest(DEACTIVATE);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('vipApi.copyAsCurl', request.document.uri);
    const curl = await vscode.env.clipboard.readText();
    assert.match(curl, /^curl .*-X POST /);
    assert.match(curl, /-H 'Content-Type: application\/json'/);
    assert.match(
      curl,
      / http:\/\/127\.0\.0\.1:\d+\/deactivate-token$/,
      `the simulator URL should end the command: ${curl}`,
    );
    const body = /--data-binary '([^']*)'/.exec(curl)?.[1];
    assert.ok(body, `no body in ${curl}`);
    assert.equal(
      (JSON.parse(body) as { DeactivateTokenRequest: { TokenId: string } }).DeactivateTokenRequest.TokenId,
      'SYMC10000001',
    );
    // It works: run it (loopback, the built-in simulator the extension started), where curl exists.
    const run = promisify(execFile);
    const hasCurl = await run('sh', ['-c', 'command -v curl']).then(
      () => true,
      () => false,
    );
    if (hasCurl) {
      const { stdout } = await run('sh', ['-c', curl], { timeout: 10_000 });
      const answer = JSON.parse(stdout) as { DeactivateTokenResponse?: { Status?: { ReasonCode?: string } } };
      assert.equal(answer.DeactivateTokenResponse?.Status?.ReasonCode, '0000', stdout);
    }
  });
});
