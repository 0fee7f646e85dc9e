// files.associations, VS Code's own setting, makes any JSON file a VIP document (the extension
// has no glob setting of its own): a file it maps to vip-json is validated like a *.vip.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, fixtureUri, setWorkspaceSetting, waitForDiagnosticsAfter } from './helpers';

describe('files.associations', () => {
  const settingsFile = fixtureUri('.vscode/settings.json').fsPath;
  let existed = false;

  before(async () => {
    existed = fs.existsSync(settingsFile);
    await setWorkspaceSetting('associations', { '**/vip/*.json': 'vip-json' }, 'files');
  });

  after(async () => {
    await closeAllEditors();
    await setWorkspaceSetting('associations', undefined, 'files');
    if (!existed) {
      fs.rmSync(settingsFile, { force: true });
      if (fs.existsSync(path.dirname(settingsFile)) && fs.readdirSync(path.dirname(settingsFile)).length === 0)
        fs.rmdirSync(path.dirname(settingsFile));
    }
  });

  it('a JSON file mapped to vip-json by {"**/vip/*.json": "vip-json"} opens as vip-json and gets the 4e04 diagnostic', async () => {
    const uri = fixtureUri('vip/unsupported-version.json');
    let languageId = '';
    const diagnostics = await waitForDiagnosticsAfter(
      uri,
      async () => {
        const doc = await vscode.workspace.openTextDocument(uri);
        languageId = doc.languageId;
        await vscode.window.showTextDocument(doc);
      },
      (ds) => ds.some((d) => codeOf(d) === '4e04' && d.source === 'vip'),
    );
    assert.equal(languageId, 'vip-json');
    assert.equal(diagnostics.find((d) => codeOf(d) === '4e04')?.range.start.line, 2);
  });
});
