// `VIP: New request…`: pick an operation, get its skeleton from the language server (the same
// engine module that serves completion), and open it as an untitled vip-json document.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { OperationsRequest, SkeletonRequest } from '../../server/src/protocol';
import { LANGUAGE_ID } from './vipDocuments';

interface OperationPick extends vscode.QuickPickItem {
  operation?: string;
}

/** Opens a new request; `operation` skips the picker (for keybindings and tests). */
export async function newRequest(client: LanguageClient, operation?: string): Promise<vscode.TextEditor | undefined> {
  if (!(await running(client))) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('VIP: the language server is not running; see the "VIP API Workbench" output.'),
    );
    return undefined;
  }
  const name = typeof operation === 'string' ? operation : await pickOperation(client);
  if (!name) return undefined;
  const skeleton = await client.sendRequest(SkeletonRequest.type, { operation: name, kind: 'request' });
  if (!skeleton) {
    void vscode.window.showErrorMessage(vscode.l10n.t('VIP: unknown operation "{0}".', name));
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: '' });
  const editor = await vscode.window.showTextDocument(document);
  // A snippet, so Tab walks through the required values.
  await editor.insertSnippet(new vscode.SnippetString(skeleton.snippet));
  return editor;
}

/** True once the client runs; waits while it is still starting (activation does not wait for it). */
async function running(client: LanguageClient, timeoutMs = 20_000): Promise<boolean> {
  if (client.isRunning()) return true;
  if (client.state !== State.Starting) return false;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const listener = client.onDidChangeState((e) => {
      if (e.newState !== State.Starting) done(e.newState === State.Running);
    });
    function done(ok: boolean): void {
      clearTimeout(timer);
      listener.dispose();
      resolve(ok);
    }
  });
}

async function pickOperation(client: LanguageClient): Promise<string | undefined> {
  const operations = await client.sendRequest(OperationsRequest.type);
  const items: OperationPick[] = [];
  for (const [common, label] of [
    [true, vscode.l10n.t('Common')],
    [false, vscode.l10n.t('More operations')],
  ] as const) {
    items.push({ label, kind: vscode.QuickPickItemKind.Separator });
    for (const op of operations.filter((o) => o.common === common))
      items.push({ label: op.name, detail: op.summary, operation: op.name });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('VIP: New request'),
    placeHolder: vscode.l10n.t('Operation of the new request'),
    matchOnDetail: true,
  });
  return picked?.operation;
}
