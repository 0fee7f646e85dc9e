// The extension in an untrusted workspace (Restricted Mode, a second code-server with workspace
// trust on): editing features work, but nothing is sent, no simulator is started, and the
// workspace's own environments (endpoint, certificate paths) are neither listed nor used.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  EXTENSION_ID,
  fixtureUri,
  openFixture,
  sendRequest,
  waitForDiagnosticsAfter,
} from '../suite/helpers';

/** The port the workspace's own environment names (fixtures/untrusted-workspace/.vscode/settings.json). */
const WORKSPACE_ENDPOINT_PORT = 47913;

/** Command lines of the simulators this extension started (`dist/server.js simulator …`). */
function simulatorProcesses(extensionPath: string): string[] {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(`${extensionPath}/dist/server.js simulator`));
}

describe('an untrusted workspace (Restricted Mode)', () => {
  let listener: Server;
  let connections = 0;

  before(async () => {
    assert.equal(
      vscode.workspace.isTrusted,
      false,
      'the runner must open this folder untrusted (workspace trust on, no prompt)',
    );
    await activateExtension();
    // Stands where the workspace settings point, and counts anything that reaches it.
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(WORKSPACE_ENDPOINT_PORT, '127.0.0.1', () => resolve());
    });
  });
  after(async () => {
    await closeAllEditors();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  it('still validates and explains: a 4e04 diagnostic on Version 5.0', async () => {
    const uri = fixtureUri('requests/unsupported-version.vip.json');
    const diagnostics = await waitForDiagnosticsAfter(
      uri,
      async () => {
        await openFixture('requests/unsupported-version.vip.json');
      },
      (ds) => ds.length > 0,
    );
    assert.ok(
      diagnostics.some((d) => codeOf(d) === '4e04'),
      JSON.stringify(diagnostics.map((d) => d.message)),
    );
  });

  it('refuses to send, says why, and starts no simulator', async () => {
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    await openFixture('requests/deactivate.vip.json');
    const outcome = await sendRequest(fixtureUri('requests/deactivate.vip.json'));
    assert.deepEqual(
      { ok: outcome.ok, kind: (outcome as { kind?: string }).kind },
      { ok: false, kind: 'untrusted' },
      JSON.stringify(outcome),
    );
    assert.match((outcome as { message: string }).message, /untrusted workspace/);
    assert.deepEqual(simulatorProcesses(extensionPath), [], 'no simulator process was started');
  });

  it('Copy as cURL and Show SOAP envelope do not start the simulator either', async () => {
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const uri = fixtureUri('requests/deactivate.vip.json');
    await vscode.commands.executeCommand('vipApi.copyAsCurl', uri);
    await vscode.commands.executeCommand('vipApi.showSoapEnvelope', uri);
    assert.deepEqual(simulatorProcesses(extensionPath), [], 'no simulator process was started');
  });

  it('offers no Send request CodeLens', async () => {
    const uri = fixtureUri('requests/deactivate.vip.json');
    await openFixture('requests/deactivate.vip.json');
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    assert.deepEqual(
      lenses.filter((l) => /Send request/.test(l.command?.title ?? '')).map((l) => l.command?.title),
      [],
    );
  });

  it("ignores the workspace's environments: not listed, not selectable, never contacted", async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vipApi.selectEnvironment', 'Workspace endpoint')),
      /No VIP environment named "Workspace endpoint"/,
    );
    await sendRequest(fixtureUri('requests/deactivate.vip.json'));
    assert.equal(connections, 0, 'nothing reached the endpoint the workspace settings name');
  });
});
