import * as assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, EXTENSION_ID, fixtureUri, waitForEditor } from './helpers';

describe('activation', () => {
  after(closeAllEditors);

  it('opens *.vip.json files as vip-json', async () => {
    const uri = fixtureUri('requests/deactivate-lost-phone.vip.json');
    await vscode.commands.executeCommand('vscode.open', uri); // what a click in the Explorer runs
    const editor = await waitForEditor((e) => e.document.uri.toString() === uri.toString());
    assert.equal(editor.document.languageId, 'vip-json');
  });

  it('activates and exports a running language client', async () => {
    const api = await activateExtension();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const client = api.client as { isRunning?: () => boolean } | undefined;
    assert.ok(client, 'activate() must return { client }');
    assert.equal(typeof client.isRunning, 'function', 'client is not a LanguageClient');
    assert.equal(client.isRunning?.(), true, 'the language client is not running');
  });
});
