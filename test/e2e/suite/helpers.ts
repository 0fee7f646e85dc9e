// Shared helpers for the e2e suite: fixture files, the extension, and waiting for events
// (never fixed sleeps).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'vip-api-workbench.vip-api-workbench';

/** URI of a file in the fixture workspace (the folder the test window opened). */
export function fixtureUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder: the runner must open test/e2e/fixtures/workspace');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** Activates the extension and waits until its language server runs. */
export async function activateExtension(): Promise<{ client: unknown; ready: Promise<void> }> {
  const ext = vscode.extensions.getExtension<{ client: unknown; ready: Promise<void> }>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  await api.ready;
  return api;
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
    const finish = (fn: () => void): void => {
      clearTimeout(timer);
      sub.dispose();
      fn();
    };
    const check = (): void => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (accept(diagnostics)) finish(() => resolve(diagnostics));
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for diagnostics on ${uri.path}; last seen: ${JSON.stringify(
                vscode.languages.getDiagnostics(uri).map(summarize),
              )}`,
            ),
          ),
        ),
      timeoutMs,
    );
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

/**
 * What the language server itself finds in `uri`'s current version (a `textDocument/diagnostic`
 * pull over the extension's client). It first checks that the server has the document open: for
 * a document it does not know, the pull answers an empty list.
 */
export async function serverDiagnostics(uri: vscode.Uri): Promise<{ message: string; code?: unknown }[]> {
  const api = await activateExtension();
  const client = api.client as { sendRequest(method: string, params: unknown): Promise<unknown> } | undefined;
  assert.ok(client, 'the extension exports no language client');
  const info = (await client.sendRequest('vip/documentInfo', { uri: uri.toString() })) as { operation?: string } | null;
  assert.ok(info?.operation, `the language server does not know ${uri.path}: ${JSON.stringify(info)}`);
  const report = (await client.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri.toString() } })) as {
    kind: string;
    items?: { message: string; code?: unknown }[];
  };
  assert.equal(report.kind, 'full', `unexpected diagnostic report: ${JSON.stringify(report)}`);
  return report.items ?? [];
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

let tempDir: string | undefined;
let tempCount = 0;

/**
 * Writes `content` to a new file `<name>-<n>.vip.json` in this run's temp folder and opens it.
 * Use it instead of untitled documents for text the test provides: VS Code reuses the name
 * Untitled-1 and, right after one is closed, may hand back the old document with its old text.
 * The file is new each time; edits stay in memory (closeAllEditors reverts them).
 */
export async function openTempRequest(name: string, content: string): Promise<vscode.TextEditor> {
  tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'vip-e2e-suite-'));
  const file = path.join(tempDir, `${name}-${++tempCount}.vip.json`);
  fs.writeFileSync(file, content);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  assert.equal(doc.languageId, 'vip-json');
  assert.equal(doc.getText(), content);
  return vscode.window.showTextDocument(doc);
}

/** Removes the temp folder of openTempRequest: `after(removeTempFiles)` in the files that use it (each test file bundles its own copy of this module). */
export function removeTempFiles(): void {
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}

/** Closes all editors without saving (test edits never touch the fixture files on disk). */
export async function closeAllEditors(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString();
  for (const doc of vscode.workspace.textDocuments) {
    // Only fixture files and untitled documents (New request, SOAP envelope): the workbench also
    // keeps e.g. settings.json as a (briefly dirty) document. A dirty editor left open would make
    // closeAllEditors ask "Save?" and wait for an answer that never comes.
    const ours =
      doc.uri.scheme === 'untitled' ||
      (folder !== undefined && doc.uri.toString().startsWith(`${folder}/`)) ||
      (doc.uri.scheme === 'file' && tempDir !== undefined && doc.uri.fsPath.startsWith(tempDir + path.sep));
    if (doc.isDirty && ours) {
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
export function waitForEvent<T>(
  event: vscode.Event<T>,
  accept: (value: T) => boolean = () => true,
  timeoutMs = 15_000,
  what = 'the event',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
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
export function waitForEditor(
  accept: (editor: vscode.TextEditor) => boolean,
  timeoutMs = 15_000,
): Promise<vscode.TextEditor> {
  return new Promise((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const done = (fn: () => void): void => {
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      fn();
    };
    const check = (): void => {
      const found = vscode.window.visibleTextEditors.find(accept);
      if (found) done(() => resolve(found));
    };
    const timer = setTimeout(
      () =>
        done(() =>
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for an editor; visible: ${vscode.window.visibleTextEditors
                .map((e) => e.document.uri.toString())
                .join(', ')}`,
            ),
          ),
        ),
      timeoutMs,
    );
    subs.push(vscode.window.onDidChangeVisibleTextEditors(check), vscode.workspace.onDidChangeTextDocument(check));
    check();
  });
}

/** What `vipApi.send` resolves to (client/src/send/index.ts). */
export type SendOutcome =
  | { ok: true; reasonCode: string; statusLine: string; environment: string; responseUri: string; totalMs: number }
  | { ok: false; kind: string; message: string };

/**
 * Opens a request fixture, waits until the language server has published its diagnostics and
 * asserts there is no error (a request with errors would make Send ask "Send anyway?" modally).
 */
export async function openRequest(relative: string): Promise<vscode.TextEditor> {
  const uri = fixtureUri(relative);
  const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  let editor!: vscode.TextEditor;
  const diagnostics = open
    ? ((editor = await openFixture(relative)), vscode.languages.getDiagnostics(uri))
    : await waitForDiagnosticsAfter(
        uri,
        async () => {
          editor = await openFixture(relative);
        },
        () => true,
      );
  const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  assert.deepEqual(errors.map(summarize), [], `${relative} must have no errors before it is sent`);
  return editor;
}

/** Runs `vipApi.send` on `uri` and returns its outcome. */
export async function sendRequest(uri: vscode.Uri): Promise<SendOutcome> {
  const outcome = await vscode.commands.executeCommand<SendOutcome>('vipApi.send', uri);
  assert.ok(outcome && typeof outcome === 'object', 'vipApi.send resolved to nothing');
  return outcome;
}

/**
 * Sends `uri`, whose environment answers after 5 s, and asserts the send gave up with the 0.3 s
 * timeout that `source` sets, long before the answer.
 */
export async function assertTimesOutAfter300ms(uri: vscode.Uri, source: string): Promise<void> {
  const started = performance.now();
  const outcome = await sendRequest(uri);
  const elapsed = performance.now() - started;
  assert.ok(!outcome.ok, `expected a timeout: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.kind, 'timeout', outcome.message);
  assert.match(outcome.message, /within 0\.3 s/);
  assert.ok(elapsed < 4000, `the send took ${Math.round(elapsed)} ms: it waited for the answer instead of ${source}`);
}

/** Asserts a successful outcome (with the outcome in the message otherwise) and narrows it. */
export function assertSent(
  outcome: SendOutcome,
  reasonCode: string,
): asserts outcome is Extract<SendOutcome, { ok: true }> {
  assert.equal(outcome.ok, true, `send failed: ${JSON.stringify(outcome)}`);
  assert.equal(
    (outcome as { reasonCode?: string }).reasonCode,
    reasonCode,
    `unexpected outcome: ${JSON.stringify(outcome)}`,
  );
}

/** The extension's global storage folder, found from a response file (…/globalStorage/<id>/responses/x). */
export function storageDirOf(responseUri: string): string {
  return path.dirname(path.dirname(vscode.Uri.parse(responseUri).fsPath));
}

/** The send history as stored by the extension (history.json in its global storage). */
export function readHistoryText(storageDir: string): string {
  return fs.readFileSync(path.join(storageDir, 'history.json'), 'utf8');
}

/**
 * The extension's log file ("VIP API Workbench" LogOutputChannel): a `<extension id>/*.log` under
 * <user-data>/logs/<session>/ (code-server: exthost1/<id>/; desktop: window1/exthost/<id>/), the
 * user-data folder being three levels above the storage folder. The newest one if several.
 */
export function extensionLogFile(storageDir: string): string | undefined {
  const logs = path.join(path.resolve(storageDir, '../../..'), 'logs');
  const found: { file: string; mtime: number }[] = [];
  const visit = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.filter((x) => x.isDirectory())) {
      const sub = path.join(dir, e.name);
      if (e.name === EXTENSION_ID) {
        for (const f of fs.readdirSync(sub).filter((n) => n.endsWith('.log')))
          found.push({ file: path.join(sub, f), mtime: fs.statSync(path.join(sub, f)).mtimeMs });
      } else if (depth < 4) visit(sub, depth + 1);
    }
  };
  visit(logs, 0);
  return found.sort((a, b) => b.mtime - a.mtime)[0]?.file;
}

/**
 * Resolves with the text of `file` once `accept` takes it. Files written by another part of the
 * workbench (logs) have no VS Code event: checked every 50 ms until `timeoutMs`, then rejects.
 */
export function waitForFileText(file: string, accept: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const read = (): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = (): void => {
      const text = read();
      if (accept(text)) {
        clearInterval(timer);
        resolve(text);
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${file}; last 400 characters: ${JSON.stringify(text.slice(-400))}`,
          ),
        );
      }
    };
    const timer = setInterval(check, 50);
    check();
  });
}

/**
 * Sets a setting of `section` (default `vipApi`) in the workspace (fixture folder's
 * .vscode/settings.json) and waits until the extension host sees the new value; `undefined` removes it.
 */
export async function setWorkspaceSetting(key: string, value: unknown, section = 'vipApi'): Promise<void> {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(section);
  const current = (): unknown => config().inspect(key)?.workspaceValue;
  const same = (): boolean => JSON.stringify(current()) === JSON.stringify(value);
  if (same()) return;
  await config().update(key, value, vscode.ConfigurationTarget.Workspace);
  // Checked and subscribed in the same tick: a change cannot slip in between.
  if (!same())
    await waitForEvent(
      vscode.workspace.onDidChangeConfiguration,
      () => same(),
      10_000,
      `the setting ${section}.${key} to change`,
    );
}
