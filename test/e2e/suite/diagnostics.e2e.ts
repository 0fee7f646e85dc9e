import * as assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, fixtureUri, openFixture, positionOf, summarize, waitForDiagnostics, waitForDiagnosticsAfter } from './helpers';

const has4e04 = (ds: vscode.Diagnostic[]): boolean => ds.some((d) => codeOf(d) === '4e04' && d.source === 'vip');

describe('diagnostics', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('flags "Version": "5.0" with reason code 4e04 on the value', async () => {
    const editor = await openFixture('requests/unsupported-version.vip.json');
    const diagnostics = await waitForDiagnostics(editor.document.uri, has4e04);
    const d = diagnostics.find((x) => codeOf(x) === '4e04')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error, JSON.stringify(summarize(d)));
    assert.equal(d.range.start.line, 2, 'the diagnostic should sit on the Version line');
    assert.match(editor.document.getText(d.range), /^"?5\.0"?$/, 'the range should be the offending value');
  });

  it('reports nothing for a correct request', async () => {
    const uri = fixtureUri('requests/deactivate-lost-phone.vip.json');
    // Subscribed before opening, so the server's first result for this file cannot be missed.
    const diagnostics = await waitForDiagnosticsAfter(uri, () => openFixture('requests/deactivate-lost-phone.vip.json'), () => true);
    assert.deepEqual(diagnostics.map(summarize), []);
  });

  it('follows edits: an unsupported Version appears and disappears as it is typed and fixed', async () => {
    const editor = await openFixture('requests/deactivate-lost-phone.vip.json');
    const doc = editor.document;
    const start = positionOf(doc, '"3.1"', 1);
    const range = new vscode.Range(start, start.translate(0, 3));

    const replace = (text: string) => async (): Promise<void> => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, range, text);
      assert.ok(await vscode.workspace.applyEdit(edit), 'edit was not applied');
    };
    await waitForDiagnosticsAfter(doc.uri, replace('5.0'), has4e04);
    const cleared = await waitForDiagnosticsAfter(doc.uri, replace('3.1'), (ds) => !has4e04(ds));
    assert.deepEqual(cleared.map(summarize), []);
  });
});
