// Documents over 1 MB are analysed on a worker thread: the server keeps answering meanwhile, a
// newer version cancels the run under way, and documents do not cancel each other.
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { AnalysisWorker, Cancelled } from '../../server/src/analysisWorker';
import { BUNDLED_SERVER, TestLspClient } from '../helpers/lspClient';

/** A ~3 MB request: the operation's fields plus a large field the schema does not know. */
function bigRequest(version: string): string {
  const filler = Array.from({ length: 40_000 }, (_, i) => ({
    TokenId: `VSST${String(i).padStart(8, '0')}`,
    TokenStatus: 'ENABLED',
    LastUpdate: '2026-11-01T10:00:00Z',
  }));
  return JSON.stringify(
    { DeactivateTokenRequest: { Version: version, TokenId: 'VSST12345678', Filler: filler } },
    null,
    1,
  );
}

let client: TestLspClient;
before(async () => {
  client = new TestLspClient({ settings: { validation: { debounceMs: 0 } } });
  await client.initialize();
});
after(() => client.shutdown());

test('hover on another document is answered while a large document is being validated', async () => {
  const small = 'file:///big/small.vip.json';
  const text = '{"ValidateResponse": {"Version": "3.1", "Status": {"ReasonCode": "49b5"}}}';
  await client.open(small, text);
  await client.diagnosticsForVersion(small, 1);
  const big = 'file:///big/a.vip.json';
  const bigText = bigRequest('5.0');
  assert.ok(bigText.length > 1024 * 1024);
  const opened = performance.now();
  await client.open(big, bigText);
  let diagnosticsAt = 0;
  const diagnostics = client.diagnosticsForVersion(big, 1).then((d) => {
    diagnosticsAt = performance.now();
    return d;
  });
  const hover = (await client.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: small },
    position: { line: 0, character: text.indexOf('49b5') },
  })) as Hover;
  const hoverAt = performance.now();
  assert.match((hover.contents as { value: string }).value, /invalid security code/);
  const d = await diagnostics;
  assert.ok(
    d.some((x) => x.code === '4e04'),
    'the large document is validated too',
  );
  assert.ok(
    d.some((x) => /Filler/.test(x.message as string)),
    'including its schema findings',
  );
  assert.ok(
    hoverAt < diagnosticsAt,
    `the hover (${(hoverAt - opened).toFixed(0)} ms) came back before the large document's diagnostics (${(diagnosticsAt - opened).toFixed(0)} ms)`,
  );
});

test('quick versions of a large document: results are published in order, the last one for the last text', async () => {
  const uri = 'file:///big/b.vip.json';
  await client.open(uri, bigRequest('5.0'));
  await client.change(uri, 2, [{ text: bigRequest('2.0') }]);
  await client.change(uri, 3, [{ text: bigRequest('4.1') }]);
  const latest = await client.diagnosticsForVersion(uri, 3);
  assert.ok(
    latest.some((x) => x.code === '4e04' && /"4\.1"/.test(x.message as string)),
    'version 3 is judged on its own text',
  );
  const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version!);
  assert.ok(
    versions.every((v, i) => i === 0 || v > versions[i - 1]),
    `published versions went backwards: ${versions.join(',')}`,
  );
});

test('AnalysisWorker: a newer job for a document cancels its running one; other documents wait their turn', async () => {
  const worker = new AnalysisWorker(BUNDLED_SERVER, () => undefined);
  try {
    const settings = { supportedVersions: ['3.1'] };
    const first = worker.analyze('doc-a', bigRequest('5.0'), settings);
    const other = worker.analyze('doc-b', bigRequest('3.1'), settings);
    const second = worker.analyze('doc-a', bigRequest('2.0'), settings);
    await assert.rejects(first, Cancelled);
    const [b, a] = await Promise.all([other, second]);
    assert.ok(!b.some((f) => f.code === '4e04'), 'doc-b ran to completion with its own text');
    assert.ok(
      a.some((f) => f.code === '4e04' && /"2\.0"/.test(f.message)),
      'doc-a ran with its newest text',
    );
  } finally {
    worker.dispose();
  }
});

test('two large documents opened together both get their diagnostics', async () => {
  await client.open('file:///big/c.vip.json', bigRequest('5.0'));
  await client.open('file:///big/d.vip.json', bigRequest('4.0'));
  const [c, d] = await Promise.all([
    client.diagnosticsForVersion('file:///big/c.vip.json', 1),
    client.diagnosticsForVersion('file:///big/d.vip.json', 1),
  ]);
  assert.ok(c.some((x) => x.code === '4e04') && d.some((x) => x.code === '4e04'));
});
