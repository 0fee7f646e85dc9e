// VIP: Start simulator for my app in an untrusted workspace (Restricted Mode): allowed (it serves the
// demo state on 127.0.0.1 and reads no workspace file), but the port the workspace's settings name
// (fixtures/untrusted-workspace/.vscode/settings.json) is ignored: the default or the user's setting counts.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { SimulatorForAppInfo } from '../../../client/src/simulatorForApp';
import { activateExtension } from '../suite/helpers';

const WORKSPACE_SIMULATOR_PORT = 47914;

describe('VIP: Start simulator for my app in Restricted Mode', () => {
  it("starts, on the default port rather than the workspace's, and stops", async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner must open this folder untrusted');
    await activateExtension();
    const info = await vscode.commands.executeCommand<SimulatorForAppInfo | undefined>('vipApi.startSimulatorForApp');
    try {
      assert.ok(info, 'the command starts the simulator in Restricted Mode');
      assert.equal(info.requestedPort, 8080, 'the default port, not the workspace setting');
      assert.notEqual(info.port, WORKSPACE_SIMULATOR_PORT);
      const res = await fetch(`${info.restUrl}/get-server-time`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ GetServerTimeRequest: { Version: '3.1', RequestId: 'restricted' } }),
      });
      const json = (await res.json()) as { GetServerTimeResponse?: { Status?: { ReasonCode?: string } } };
      assert.equal(json.GetServerTimeResponse?.Status?.ReasonCode, '0000');
    } finally {
      // The trust tests after this file count the simulator processes: none may be left.
      assert.equal(await vscode.commands.executeCommand<boolean>('vipApi.stopSimulatorForApp'), true);
    }
  });
});
