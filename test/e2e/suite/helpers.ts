// Shared helpers for the e2e suite: fixture files, the extension, and waiting for events
// (never fixed sleeps).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'vip-api-workbench.vip-api-workbench';

/** URI of a file in the fixture workspace (the folder the test window opened). */
export function fixtureUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder: the runner must open test/e2e/fixtures/workspace');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export async function activateExtension(): Promise<{ client: unknown }> {
  const ext = vscode.extensions.getExtension<{ client: unknown }>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** Opens a fixture in an editor; the extension activates on the vip-json language. */
export async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relative));
  return vscode.window.showTextDocument(doc);
}

/**
 * Resolves with the diagnostics of `uri` once `accept` returns true for them, checking now and on
 * every `onDidChangeDiagnostics` for that URI; rejects after `timeoutMs` with what was last seen.
 * Subscribe before the action that triggers validation (use `waitForDiagnosticsAfter`).
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  options: { timeoutMs?: number; checkNow?: boolean } = {},
): Promise<vscode.Diagnostic[]> {
  const { timeoutMs = 15_000, checkNow = true } = options;
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const finish = (fn: () => void): void => { clearTimeout(timer); sub.dispose(); fn(); };
    const check = (): void => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (accept(diagnostics)) finish(() => resolve(diagnostics));
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    const timer = setTimeout(() => finish(() => reject(new Error(
      `timed out after ${timeoutMs} ms waiting for diagnostics on ${uri.path}; last seen: ${JSON.stringify(
        vscode.languages.getDiagnostics(uri).map(summarize))}`))), timeoutMs);
    if (checkNow) check();
  });
}

/** Subscribes first, then runs `action`, then waits for the first diagnostics update matching `accept`. */
export async function waitForDiagnosticsAfter(
  uri: vscode.Uri,
  action: () => Thenable<unknown>,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  const waiting = waitForDiagnostics(uri, accept, { checkNow: false });
  await action();
  return waiting;
}

export function summarize(d: vscode.Diagnostic): { code: unknown; source?: string; message: string; line: number } {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return { code, ...(d.source ? { source: d.source } : {}), message: d.message, line: d.range.start.line };
}

export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

/** Position of the first occurrence of `needle` in the document, plus `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${JSON.stringify(needle)} not found in ${doc.uri.path}`);
  return doc.positionAt(offset + delta);
}

/** Plain text of hover contents (MarkdownString or MarkedString). */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Closes all editors without saving (test edits never touch the fixture files on disk). */
export async function closeAllEditors(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString();
  for (const doc of vscode.workspace.textDocuments) {
    // Only fixture files: the workbench also keeps e.g. settings.json as a (briefly dirty) document.
    if (doc.isDirty && folder && doc.uri.toString().startsWith(`${folder}/`)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Resolves with the first value of `event` that `accept` takes; rejects after `timeoutMs`.
 * Call it (subscribe) before the action that fires the event, then await it after.
 */
export function waitForEvent<T>(event: vscode.Event<T>, accept: (value: T) => boolean = () => true, timeoutMs = 15_000, what = 'the event'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
    const sub = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/**
 * Resolves with the first visible editor that `accept` takes: checked now, and whenever the visible
 * editors or a document's text change (e.g. a response editor that opens, then fills).
 */
export function waitForEditor(accept: (editor: vscode.TextEditor) => boolean, timeoutMs = 15_000): Promise<vscode.TextEditor> {
  return new Promise((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const done = (fn: () => void): void => { clearTimeout(timer); subs.forEach((s) => s.dispose()); fn(); };
    const check = (): void => {
      const found = vscode.window.visibleTextEditors.find(accept);
      if (found) done(() => resolve(found));
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for an editor; visible: ${
      vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', ')}`))), timeoutMs);
    subs.push(vscode.window.onDidChangeVisibleTextEditors(check), vscode.workspace.onDidChangeTextDocument(check));
    check();
  });
}
