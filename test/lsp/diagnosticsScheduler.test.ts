// The scheduler's stale-result guard, with the edit made at the one moment that matters: while a
// large document's analysis is on the worker. The TextDocument object is updated in place by
// edits, so a guard that compares the document with itself never sees the change; the result of
// the older text would be cached under the newer version and published for it. largeDocuments.test.ts
// covers the same over a real connection, where the timing is left to chance.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../core/engine';
import { Cancelled, type AnalysisWorker } from '../../server/src/analysisWorker';
import type { DocumentCache } from '../../server/src/documentCache';
import { DiagnosticsScheduler } from '../../server/src/handlers/diagnostics';
import { SettingsStore } from '../../server/src/settings';

/** A worker whose answers the test gives, one per call, in order. */
function controlledWorker() {
  const calls: { text: string; answer: (f: Finding[]) => void }[] = [];
  const worker = {
    analyze: (_key: string, text: string) => new Promise<Finding[]>((answer) => calls.push({ text, answer })),
    cancel: () => undefined,
  };
  return { worker: worker as unknown as AnalysisWorker, calls };
}

function finding(message: string): Finding {
  return { rule: 'document.empty', severity: 'error', message, offset: 0, length: 1 };
}

test('an edit during a worker analysis: the older result is not kept for the newer version', async () => {
  const big = (v: string) => `{"DeactivateTokenRequest": {"Version": "${v}", "Filler": "${'x'.repeat(1_100_000)}"}}`;
  const doc = TextDocument.create('file:///big/race.vip.json', 'vip-json', 2, big('2.0'));
  const documents = { get: () => doc, all: () => [doc] } as unknown as TextDocuments<TextDocument>;
  const settings = new SettingsStore({} as Connection, () => false);
  const { worker, calls } = controlledWorker();
  const scheduler = new DiagnosticsScheduler(
    {} as Connection,
    documents,
    {} as DocumentCache,
    settings,
    () => true,
    worker,
  );

  const first = scheduler.compute(doc);
  await waitFor(() => calls.length === 1);
  TextDocument.update(doc, [{ text: big('4.1') }], 3); // the edit arrives while version 2 is analysed
  calls[0].answer([finding('about "2.0"')]);
  await assert.rejects(first, Cancelled, 'the result for version 2 is dropped');

  const second = scheduler.compute(doc);
  await waitFor(() => calls.length === 2);
  assert.match(calls[1].text, /"4\.1"/, 'version 3 is analysed on its own text');
  calls[1].answer([finding('about "4.1"')]);
  const diagnostics = await second;
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    ['about "4.1"'],
  );
});

/** Resolves once `ready()` holds, checked after each turn of the event loop. */
async function waitFor(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setImmediate(r));
}
