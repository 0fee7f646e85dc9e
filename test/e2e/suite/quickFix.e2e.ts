import * as assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  openFixture,
  summarize,
  waitForDiagnostics,
  waitForDiagnosticsAfter,
} from './helpers';

const is4e04 = (d: vscode.Diagnostic): boolean => codeOf(d) === '4e04' && d.source === 'vip';

describe('quick fix', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('4e04: the preferred fix sets a supported Version and the diagnostic goes away', async () => {
    const editor = await openFixture('requests/unsupported-version.vip.json');
    const doc = editor.document;
    const diagnostic = (await waitForDiagnostics(doc.uri, (ds) => ds.some(is4e04))).find(is4e04)!;

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    // The API command drops CodeAction.diagnostics, so the link is checked through the edit: the
    // server only answers for the diagnostics in the request's context, here the 4e04 one.
    const fixes = actions.filter((a) => a.edit?.get(doc.uri).some((e) => e.range.intersection(diagnostic.range)));
    assert.ok(
      fixes.length > 0,
      `no quick fix editing the 4e04 range; actions: ${actions.map((a) => a.title).join(' | ')}`,
    );
    const preferred = fixes.filter((a) => a.isPreferred);
    assert.equal(
      preferred.length,
      1,
      `exactly one preferred fix expected: ${fixes.map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`).join(' | ')}`,
    );
    const fix = preferred[0];
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    assert.ok(fix.edit, 'the fix carries no edit');
    const version = /"(\d+\.\d+)"/.exec(fix.title)?.[1];
    assert.ok(version, `the fix title names no version: ${fix.title}`);

    const after = await waitForDiagnosticsAfter(
      doc.uri,
      async () => assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'edit not applied'),
      (ds) => !ds.some(is4e04),
    );
    assert.deepEqual(after.map(summarize), [], 'the request should be clean after the fix');
    assert.equal(JSON.parse(doc.getText()).DeactivateTokenRequest.Version, version);
    assert.ok(!doc.getText().includes('"5.0"'));
  });
});
