import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeFor, demoState } from '../../../core/simulator';
import {
  activateExtension,
  assertSent,
  closeAllEditors,
  extensionLogFile,
  openTempRequest,
  readHistoryText,
  removeTempFiles,
  sendRequest,
  storageDirOf,
  summarize,
  waitForDiagnostics,
  waitForDiagnosticsAfter,
  waitForFileText,
} from './helpers';

/**
 * An ENABLED credential no other test touches (the send tests deactivate SYMC10000001): the HOTP
 * key fob of the demo state, whose next code the simulator's own codeFor computes.
 */
const TOKEN = 'VSMT10000002';

interface Entry {
  operation: string;
  environment: string;
  request: string;
  response?: string;
  reasonCode?: string;
}

describe('history', () => {
  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('vipApi.selectEnvironment', 'Simulator');
  });
  afterEach(closeAllEditors);
  after(removeTempFiles);

  it('keeps a Validate without its OTP; Clear history empties it', async () => {
    const otp = codeFor(demoState(), TOKEN, new Date());
    assert.ok(otp, `${TOKEN} has no code in the demo state`);
    const requestId = 'e2e-history-validate-1';
    const request = (code: string): string =>
      JSON.stringify(
        { ValidateRequest: { Version: '3.1', RequestId: requestId, TokenId: TOKEN, OTP: code } },
        null,
        2,
      ) + '\n';
    // Opened with an empty OTP (an error the server reports), then the code is typed in: two
    // diagnostics updates that can be told apart, so the send starts from a validated, clean request.
    const { document: doc } = await openTempRequest('validate', request(''));
    const isError = (d: vscode.Diagnostic): boolean => d.severity === vscode.DiagnosticSeverity.Error;
    await waitForDiagnostics(doc.uri, (ds) => ds.some(isError));
    const clean = await waitForDiagnosticsAfter(
      doc.uri,
      async () => {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), request(otp));
        assert.ok(await vscode.workspace.applyEdit(edit));
      },
      (ds) => !ds.some(isError),
    );
    assert.deepEqual(clean.filter(isError).map(summarize), []);

    await vscode.commands.executeCommand('vipApi.clearHistory');
    const outcome = await sendRequest(doc.uri);
    assertSent(outcome, '0000'); // the simulator took the code

    const storage = storageDirOf(outcome.responseUri);
    const text = readHistoryText(storage);
    const entries = JSON.parse(text) as Entry[];
    assert.equal(entries.length, 1, 'history should hold exactly the send after Clear history');
    const entry = entries[0];
    assert.equal(entry.operation, 'Validate');
    assert.equal(entry.reasonCode, '0000');
    assert.ok(
      entry.request.includes(requestId) && entry.request.includes(TOKEN),
      `the request is not kept: ${entry.request}`,
    );
    assert.ok(entry.request.includes('"OTP"'), 'the OTP field itself is kept (with its value redacted)');
    assert.ok(!text.includes(otp), `the OTP ${otp} is in the stored history`);

    const logFile = extensionLogFile(storage);
    assert.ok(logFile, 'the extension log file was not found');
    const log = await waitForFileText(
      logFile,
      (t) => /→ POST http:\/\/127\.0\.0\.1:\d+\/validate \[Simulator\]/.test(t) && t.includes('← HTTP 200 0000'),
    );
    assert.ok(!log.includes(otp), `the OTP ${otp} is in the extension log`);

    await vscode.commands.executeCommand('vipApi.clearHistory');
    assert.deepEqual(JSON.parse(readHistoryText(storage)), []);
  });
});
