import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, EXTENSION_ID, fixtureUri, waitForEditor } from './helpers';

/** Where `npm run bench` reads the activation time (git-ignored, like all of artifacts/). */
export const ACTIVATION_ARTIFACT = 'test/e2e/artifacts/activation.json';

describe('activation', () => {
  after(closeAllEditors);

  // First test of the suite (index.ts loads this file first): the extension is not active
  // yet, so activating it here measures a real cold activation: loading dist/client.js, activate()
  // and the language server's start (activate() awaits client.start()).
  it('records the activation time in test/e2e/artifacts/activation.json', async () => {
    const ext = vscode.extensions.getExtension<{ client: unknown }>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    assert.equal(ext.isActive, false, 'the extension was activated before this test: index.ts must run activation.e2e.js first');
    const started = performance.now();
    await ext.activate();
    const activationMs = Math.round((performance.now() - started) * 10) / 10;
    assert.ok(activationMs > 0 && activationMs < 15_000, `activation took ${activationMs} ms`);
    const file = path.join(ext.extensionPath, ACTIVATION_ARTIFACT);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const record = {
      activationMs,
      measuredAt: new Date().toISOString(),
      vscodeVersion: vscode.version,
      appName: vscode.env.appName,
      how: 'extension.activate() on a cold extension host: module load + activate() + language server start',
    };
    fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).activationMs, activationMs);
  });

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
