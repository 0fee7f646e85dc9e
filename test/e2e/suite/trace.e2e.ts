// vipApi.trace.server, as vscode-languageclient reads it: the messages to and from the language
// server are traced into the extension's log channel when that channel's log level is Trace, and
// the setting says how much: "messages" (names only) or "verbose" (with their parameters).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  activateExtension,
  assertSent,
  closeAllEditors,
  extensionLogFile,
  fixtureUri,
  openRequest,
  positionOf,
  sendRequest,
  setWorkspaceSetting,
  storageDirOf,
  waitForFileText,
} from './helpers';

const REQUEST = 'requests/deactivate-lost-phone.vip.json';

describe('vipApi.trace.server', () => {
  let logFile: string;

  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('vipApi.selectEnvironment', 'Simulator');
    const probe = await sendRequest((await openRequest(REQUEST)).document.uri);
    assertSent(probe, '0000');
    const found = extensionLogFile(storageDirOf(probe.responseUri));
    assert.ok(found, 'the extension log file was not found');
    logFile = found;
    // Our channel's log level to Trace, through the Output view's own commands.
    const commands = await vscode.commands.getCommands(true);
    const show = commands.find(
      (c) =>
        c.startsWith('workbench.action.output.show.') &&
        c.includes('vip-api-workbench') &&
        c.includes('VIP API Workbench'),
    );
    assert.ok(
      show,
      `no Output command for our log channel among: ${commands.filter((c) => c.startsWith('workbench.action.output.show.')).join(', ')}`,
    );
    await vscode.commands.executeCommand(show);
    await vscode.commands.executeCommand('workbench.action.output.activeOutputLogLevel.1'); // 1: Trace
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.output.activeOutputLogLevelDefault');
    await setWorkspaceSetting('trace.server', undefined);
    await closeAllEditors();
  });

  /** Hovers `needle` in the request and returns the log written meanwhile, once the hover's answer is traced. */
  async function tracedHover(needle: string): Promise<string> {
    const start = fs.statSync(logFile).size;
    const editor = await openRequest(REQUEST);
    await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      fixtureUri(REQUEST),
      positionOf(editor.document, needle, 1),
    );
    const text = await waitForFileText(logFile, (t) =>
      Buffer.from(t).subarray(start).toString().includes("Received response 'textDocument/hover"),
    );
    return Buffer.from(text).subarray(start).toString();
  }

  it('"verbose" traces each message with its parameters; "messages" only its name', async () => {
    await setWorkspaceSetting('trace.server', 'verbose');
    const verbose = await tracedHover('"TokenId"');
    assert.match(verbose, /Sending request 'textDocument\/hover/);
    assert.match(verbose, /Params: \{/, 'verbose: the parameters are traced');
    await setWorkspaceSetting('trace.server', 'messages');
    const messages = await tracedHover('"Reason"');
    assert.match(messages, /Sending request 'textDocument\/hover/);
    assert.doesNotMatch(messages, /Params: \{/, 'messages: no parameters');
  });
});
