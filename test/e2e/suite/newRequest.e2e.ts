import * as assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, summarize, waitForDiagnostics, waitForDiagnosticsAfter } from './helpers';

describe('new request', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('vipApi.newRequest("DeactivateToken") opens an untitled vip-json skeleton, clean once filled', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
      'vipApi.newRequest',
      'DeactivateToken',
    );
    assert.ok(editor, 'no editor returned');
    const doc = editor.document;
    assert.equal(doc.uri.scheme, 'untitled');
    assert.equal(doc.languageId, 'vip-json');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the new request should be the active editor');
    const skeleton = JSON.parse(doc.getText()) as { DeactivateTokenRequest?: Record<string, unknown> };
    assert.ok(skeleton.DeactivateTokenRequest, `no DeactivateTokenRequest key: ${doc.getText()}`);
    for (const field of ['Version', 'TokenId'])
      assert.ok(field in skeleton.DeactivateTokenRequest, `${field} missing from the skeleton`);
    // The language server validates it: the empty TokenId is the value left to fill in.
    const unfilled = await waitForDiagnostics(doc.uri, (ds) =>
      ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
    );
    assert.ok(
      unfilled.every((d) => d.source === 'vip'),
      JSON.stringify(unfilled.map(summarize)),
    );

    const filled = { DeactivateTokenRequest: { ...skeleton.DeactivateTokenRequest, TokenId: 'SYMC10000001' } };
    const clean = await waitForDiagnosticsAfter(
      doc.uri,
      async () => {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(
          doc.uri,
          new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
          JSON.stringify(filled, null, 2) + '\n',
        );
        assert.ok(await vscode.workspace.applyEdit(edit));
      },
      (ds) => !ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
    );
    assert.deepEqual(clean.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map(summarize), []);
  });

  it('an unknown operation opens nothing', async () => {
    const before = vscode.workspace.textDocuments.length;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
      'vipApi.newRequest',
      'NoSuchOperation',
    );
    assert.equal(editor, undefined);
    assert.equal(vscode.workspace.textDocuments.length, before);
  });
});
