// Shared by the flows' Test Explorer tests (trusted and untrusted): flow files written into the
// workspace at test time (none is there at start-up, so nothing activates the extension early),
// the extension's test controller, and runs through its real run profiles, with what each
// reported (the extension records its runs in ExtensionMode.Test).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestHooks } from '../../../client/src/extension';
import type { RecordedEvent, RecordedRun } from '../../../client/src/flows/record';
import { EXTENSION_ID, fixtureUri } from './helpers';

/** The playground's workspace in the extension under test (this repository). */
export function playground(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  return path.join(ext.extensionPath, 'scripts/playground/workspace');
}

export function hooks(): TestHooks {
  const ext = vscode.extensions.getExtension<{ testHooks?: TestHooks }>(EXTENSION_ID);
  const testHooks = ext?.exports?.testHooks;
  assert.ok(testHooks, 'the extension runs in ExtensionMode.Test and returns its test hooks');
  return testHooks;
}

/** Resolves once `get` returns a value (checked every 50 ms: the controller offers no event for this). */
export async function eventually<T>(get: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Copies the playground's sample flows and requests into `<workspace>/<dir>/` (git-ignored), plus `extra` flows. */
export function writeFlows(dir: string, extra: Record<string, string>): string {
  const root = fixtureUri(dir).fsPath;
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(path.join(playground(), 'flows'), path.join(root, 'flows'), { recursive: true });
  fs.cpSync(path.join(playground(), 'requests'), path.join(root, 'requests'), { recursive: true });
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(root, 'flows', name), text);
  return root;
}

/**
 * Opens one of the flows written by writeFlows, as a user would: the Test Explorer loads on that.
 * With the extension active already, the file watcher alone may not report files written right
 * after their folder was created (seen in a clean-clone run: the controller never loaded).
 */
export async function openAFlow(root: string): Promise<void> {
  await vscode.workspace.openTextDocument(path.join(root, 'flows', 'lost-phone.vipflow.json'));
}

/** The controller's item for a flow file. */
export async function flowItem(root: string, name: string): Promise<vscode.TestItem> {
  const tests = await eventually(() => hooks().flowTests(), 'the flows test controller to load');
  await tests.discovered;
  const id = vscode.Uri.file(path.join(root, 'flows', name)).toString();
  return eventually(() => tests.controller.items.get(id), `the test item of ${name}`);
}

export async function profile(label: string): Promise<vscode.TestRunProfile> {
  const tests = await hooks().flowTests()!;
  const found = tests.profiles().find((p) => p.label === label);
  assert.ok(
    found,
    `profile ${label} among ${tests
      .profiles()
      .map((p) => p.label)
      .join(', ')}`,
  );
  return found;
}

/** Runs `include` with the profile's own run handler, as the Test Explorer does; returns what the run reported. */
export async function runWith(
  runProfile: vscode.TestRunProfile,
  include: vscode.TestItem[],
  token = new vscode.CancellationTokenSource().token,
): Promise<RecordedRun> {
  const runs = hooks().flowRuns;
  const before = runs.length;
  await runProfile.runHandler(new vscode.TestRunRequest(include, undefined, runProfile), token);
  assert.equal(runs.length, before + 1, 'one test run');
  const run = runs[before];
  assert.ok(run.ended, 'the run ended');
  return run;
}

/** The last state reported for each item id (enqueued, started, passed…). */
export function finalStates(run: RecordedRun): Map<string, RecordedEvent> {
  const states = new Map<string, RecordedEvent>();
  for (const e of run.events) if (e.kind !== 'output' && e.id) states.set(e.id, e);
  return states;
}

export function outputOf(run: RecordedRun): string {
  return run.events
    .filter((e) => e.kind === 'output')
    .map((e) => e.output)
    .join('');
}

/** The state of the child of `parent` labelled `label`. */
export function stateOf(run: RecordedRun, parent: vscode.TestItem, label: string): RecordedEvent | undefined {
  let id: string | undefined;
  parent.children.forEach((c) => {
    if (c.label === label) id = c.id;
  });
  assert.ok(id, `no item "${label}" under ${parent.label}`);
  return finalStates(run).get(id);
}

/** The text of a TestMessage's message or a TestItem's error. */
export function textOf(value: string | vscode.MarkdownString | undefined): string {
  return typeof value === 'string' ? value : (value?.value ?? '');
}
