import * as assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  fixtureUri,
  openFixture,
  positionOf,
  serverDiagnostics,
  summarize,
  waitForDiagnostics,
  waitForDiagnosticsAfter,
} from './helpers';

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
    await openFixture('requests/deactivate-lost-phone.vip.json');
    // "Nothing" gives no event to wait for: ask the server what it found for the document's current
    // version, then wait until VS Code shows exactly that (a server that found an error would
    // publish it, and this would wait for it and fail below).
    const expected = await serverDiagnostics(uri);
    const shown = await waitForDiagnostics(
      uri,
      (ds) => JSON.stringify(ds.map((d) => d.message)) === JSON.stringify(expected.map((d) => d.message)),
    );
    assert.deepEqual(
      expected.map((d) => d.message),
      [],
    );
    assert.deepEqual(shown.map(summarize), []);
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
