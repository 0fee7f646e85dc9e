import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  EXTENSION_ID,
  fixtureUri,
  waitForDiagnosticsAfter,
  waitForEditor,
} from './helpers';

/** Where `npm run bench` reads the activation time (git-ignored, like all of artifacts/). */
export const ACTIVATION_ARTIFACT = 'test/e2e/artifacts/activation.json';

/**
 * Our row of the Extension Activation Stats in "Developer: Startup Performance". The view's
 * document is rebuilt whenever the extension host reports a change of extension status (the
 * workbench's PerfModelContentProvider listens to onDidChangeExtensionsStatus), so the activation
 * may show up a moment after activate() settled: subscribed before the view opens, so that update
 * cannot be missed.
 */
function startupPerformanceRow(timeoutMs = 20_000): Promise<string> {
  const perfUri = vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }).toString();
  const rowOf = (doc: vscode.TextDocument): string | undefined =>
    doc
      .getText()
      .split('\n')
      .find((line) => line.startsWith(`| ${EXTENSION_ID} `));
  return new Promise((resolve, reject) => {
    const done = (fn: () => void): void => {
      clearTimeout(timer);
      sub.dispose();
      fn();
    };
    const check = (doc: vscode.TextDocument): void => {
      const row = doc.uri.toString() === perfUri ? rowOf(doc) : undefined;
      if (row) done(() => resolve(row));
    };
    const timer = setTimeout(
      () =>
        done(() =>
          reject(
            new Error(`no activation row for ${EXTENSION_ID} in the Startup Performance view after ${timeoutMs} ms`),
          ),
        ),
      timeoutMs,
    );
    const sub = vscode.workspace.onDidChangeTextDocument((e) => check(e.document));
    vscode.commands.executeCommand('perfview.show').then(
      () => {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === perfUri);
        if (open) check(open);
      },
      (e: unknown) => done(() => reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

describe('activation', () => {
  after(closeAllEditors);

  // Runs first (index.ts loads this file first): nothing has activated the extension yet. It
  // activates on vip-json documents and on its commands only, not on every JSON file.
  it('an ordinary JSON file opened alone does not activate the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    assert.equal(ext.isActive, false, 'something activated the extension before the first test');
    const uri = fixtureUri('plain/ordinary.json');
    // The JSON language features report the file's syntax error: the workbench has fired
    // onLanguage:json for it and the extensions it activates have run by then.
    await waitForDiagnosticsAfter(
      uri,
      async () => {
        const doc = await vscode.workspace.openTextDocument(uri);
        assert.equal(doc.languageId, 'json');
        await vscode.window.showTextDocument(doc);
      },
      (ds) => ds.length > 0,
    );
    assert.equal(ext.isActive, false, 'opening an ordinary JSON file activated the extension');
    await closeAllEditors();
  });

  // VS Code's own measure, as "Developer: Startup Performance" shows it (Extension Activation
  // Stats): code loading + the activate() call + until its result settled (activate() returns at
  // once; the language server starts in the background). The test activates it itself (event
  // `api`): no JSON file activates it any more, and the fixture workspace opens no vip-json file
  // at start-up.
  it('records the activation time in test/e2e/artifacts/activation.json', async () => {
    const ext = vscode.extensions.getExtension<{
      client: unknown;
      ready: Promise<void>;
      testHooks?: { languageClientLoadedMs(): number | undefined };
    }>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    const cold = !ext.isActive;
    const started = performance.now();
    await ext.activate();
    const wallClockMs = cold ? Math.round(performance.now() - started) : undefined;
    // The language client loads from its own bundle right after activation: when, as the extension measured it.
    await ext.exports.ready;
    // A test-only hook: VS Code runs the extension in ExtensionMode.Test here.
    assert.ok(ext.exports.testHooks, 'activate() returned no testHooks although the extension runs for tests');
    const languageClientLoadedMs = ext.exports.testHooks.languageClientLoadedMs();
    assert.ok(
      typeof languageClientLoadedMs === 'number' && languageClientLoadedMs > 0,
      `languageClientLoadedMs: ${languageClientLoadedMs}`,
    );

    const row = await startupPerformanceRow();
    // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
    const cells = row
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    assert.equal(cells.length, 7, `unexpected row: ${row}`);
    const [codeLoadingMs, activateCallMs, activateResolvedMs] = cells.slice(2, 5).map(Number) as [
      number,
      number,
      number,
    ];
    for (const n of [codeLoadingMs, activateCallMs, activateResolvedMs])
      assert.ok(Number.isFinite(n) && n >= 0, `not a duration in: ${row}`);
    const activationMs = codeLoadingMs + activateCallMs + activateResolvedMs;
    assert.ok(activationMs > 0 && activationMs < 15_000, `activation took ${activationMs} ms`);

    const record = {
      activationMs,
      codeLoadingMs,
      activateCallMs,
      activateResolvedMs,
      activationEvent: cells[5],
      languageClientLoadedMs: Math.round(languageClientLoadedMs),
      ...(wallClockMs !== undefined ? { wallClockMs } : {}),
      measuredAt: new Date().toISOString(),
      vscodeVersion: vscode.version,
      appName: vscode.env.appName,
      source:
        'Developer: Startup Performance (Extension Activation Stats): Load Code + Call Activate + Finish Activate',
    };
    const file = path.join(ext.extensionPath, ACTIVATION_ARTIFACT);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).activationMs, activationMs);
  });

  it('opens *.vip.json files as vip-json', async () => {
    const uri = fixtureUri('requests/deactivate-lost-phone.vip.json');
    await vscode.commands.executeCommand('vscode.open', uri); // what a click in the Explorer runs
    const editor = await waitForEditor((e) => e.document.uri.toString() === uri.toString());
    assert.equal(editor.document.languageId, 'vip-json');
  });

  it('activates and exports a language client that is running once `ready` settles (plus testHooks, in tests only)', async () => {
    const api = await activateExtension(); // awaits api.ready
    assert.deepEqual(
      Object.keys(api).sort(),
      ['client', 'ready', 'testHooks'],
      'the API: client, ready, and (in ExtensionMode.Test only) testHooks',
    );
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const client = api.client as { isRunning?: () => boolean } | undefined;
    assert.ok(client, 'activate() must return { client }');
    assert.equal(typeof client.isRunning, 'function', 'client is not a LanguageClient');
    assert.equal(client.isRunning?.(), true, 'the language client is not running');
  });
});
