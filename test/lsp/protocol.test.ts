// The language server over a real stdio connection: sync, push and pull diagnostics, hover,
// settings, and bad input from a client.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import {
  DidChangeConfigurationNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { TestLspClient } from '../helpers/lspClient';

const REQUEST = '{\n  "DeactivateTokenRequest": {\n    "Version": "5.0",\n    "TokenId": "VSST12345678"\n  }\n}\n';
const versionValue = { start: { line: 2, character: 15 }, end: { line: 2, character: 20 } };

describe('push diagnostics (client without pull support)', () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient();
    const init = await client.initialize({ workspace: { configuration: true } });
    assert.equal((init.capabilities.textDocumentSync as { change: number }).change, 2, 'incremental sync');
    assert.equal(init.capabilities.hoverProvider, true);
    assert.equal(init.capabilities.diagnosticProvider, undefined, 'no pull diagnostics for a push client');
  });
  after(() => client.shutdown());

  test('didOpen publishes a 4e04 diagnostic on the Version value', async () => {
    await client.open('file:///w/a.vip.json', REQUEST);
    const [d, ...rest] = await client.diagnosticsForVersion('file:///w/a.vip.json', 1);
    assert.equal(rest.length, 0);
    assert.deepEqual([d.code, d.source, d.severity, d.range], ['4e04', 'vip', 1, versionValue]);
    assert.match(d.message as string, /Unsupported service protocol version/);
  });

  test('an incremental change that fixes the version clears the diagnostic', async () => {
    await client.change('file:///w/a.vip.json', 2, [
      { range: { start: { line: 2, character: 16 }, end: { line: 2, character: 19 } }, text: '3.1' },
    ]);
    assert.deepEqual(await client.diagnosticsForVersion('file:///w/a.vip.json', 2), []);
  });

  test('quick successive edits: only the latest version is published (stale results dropped)', async () => {
    const uri = 'file:///w/typing.vip.json';
    await client.open(uri, REQUEST.replace('5.0', '3.1'));
    await client.diagnosticsForVersion(uri, 1);
    // Validation is scheduled once the settings are in: held back (re-read after a configuration
    // change), every keystroke is in before the first timer is set, whatever the debounce.
    const release = client.holdConfiguration();
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    // Type "5.0" over "3.1" one character at a time, without waiting.
    let version = 1;
    const edits = ['5', '.', '0'];
    for (let i = 0; i < edits.length; i++) {
      await client.change(uri, ++version, [
        { range: { start: { line: 2, character: 16 + i }, end: { line: 2, character: 17 + i } }, text: edits[i] },
      ]);
    }
    // A request sent after the edits is answered after the server has taken them in (one message at a time).
    await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    });
    const publishedBefore = client.published.length;
    release();
    const last = await client.diagnosticsForVersion(uri, version);
    assert.deepEqual(
      last.map((d) => d.code),
      ['4e04'],
    );
    // Two more edits, each validated before the next is made: a validation still due for the
    // keystrokes would show up as an extra publication in between.
    for (const text of ['3.1', '3.0']) {
      await client.change(uri, ++version, [
        { range: { start: { line: 2, character: 16 }, end: { line: 2, character: 19 } }, text },
      ]);
      assert.deepEqual(await client.diagnosticsForVersion(uri, version), []);
    }
    const published = client.published
      .slice(publishedBefore)
      .filter((p) => p.uri === uri)
      .map((p) => p.version);
    assert.deepEqual(
      published,
      [version - 2, version - 1, version],
      'one validation for the three keystrokes, of the last one',
    );
  });

  test('hover over the connection after edits', async () => {
    const uri = 'file:///w/resp.vip.json';
    const text = '{"ValidateResponse": {"Version": "3.1", "Status": {"ReasonCode": "0000"}}}';
    const at = text.indexOf('0000');
    await client.open(uri, text);
    await client.change(uri, 2, [
      { range: { start: { line: 0, character: at }, end: { line: 0, character: at + 4 } }, text: '49b5' },
    ]);
    const hover = (await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: at + 2 },
    })) as Hover;
    assert.match((hover.contents as { value: string }).value, /49b5.*invalid security code/s);
    assert.deepEqual(hover.range, { start: { line: 0, character: at - 1 }, end: { line: 0, character: at + 5 } });
  });

  test('settings are pulled with workspace/configuration and re-read on change', async () => {
    const uri = 'file:///w/settings.vip.json';
    client.settings = { supportedVersions: ['5.0'] };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.open(uri, REQUEST);
    assert.deepEqual(await client.diagnosticsForVersion(uri, 1), []);
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === '4e04'));
  });

  test('closing a document clears its diagnostics', async () => {
    await client.close('file:///w/a.vip.json');
    await client.waitForDiagnostics(
      'file:///w/a.vip.json',
      (p) => p.diagnostics.length === 0 && p.version === undefined,
    );
  });

  test('bad input from the client never kills the server', async () => {
    const uri = 'file:///w/bad.vip.json';
    await client.close('file:///w/never-opened.vip.json');
    await client.open(uri, '\u0000\u0001 not json {{{ \ud800');
    await client.diagnosticsForVersion(uri, 1);
    await client.change(uri, 2, [
      { range: { start: { line: 99, character: 5 }, end: { line: 120, character: 0 } }, text: '"x"' },
    ]);
    await client.diagnosticsForVersion(uri, 2);
    for (const position of [
      { line: 0, character: 9999 },
      { line: 500, character: 0 },
      { line: -1, character: -1 },
    ]) {
      const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
      assert.equal(h, null);
    }
    const unknown = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: 'file:///w/unknown.vip.json' },
      position: { line: 0, character: 0 },
    });
    assert.equal(unknown, null);
    const deep =
      '{"EnableTokenRequest": {"Version": "5.0", "TokenId": "V", "X": ' +
      '['.repeat(100_000) +
      ']'.repeat(100_000) +
      '}}';
    await client.open('file:///w/deep.vip.json', deep);
    await client.diagnosticsForVersion('file:///w/deep.vip.json', 1);
    assert.ok(!client.hasExited);
  });
});

describe('pull diagnostics (client with textDocument/diagnostic)', () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient();
    const init = await client.initialize({
      workspace: { configuration: true },
      textDocument: { diagnostic: { dynamicRegistration: false } },
    });
    assert.ok(init.capabilities.diagnosticProvider, 'diagnosticProvider announced');
  });
  after(() => client.shutdown());

  test('textDocument/diagnostic returns the findings of the current version', async () => {
    const uri = 'file:///p/a.vip.json';
    await client.open(uri, REQUEST);
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.deepEqual(
      (report as { items: { code: string; range: unknown }[] }).items.map((d) => [d.code, d.range]),
      [['4e04', versionValue]],
    );
    await client.change(uri, 2, [
      { range: { start: { line: 2, character: 16 }, end: { line: 2, character: 19 } }, text: '3.0' },
    ]);
    const again = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    assert.deepEqual((again as { items: unknown[] }).items, []);
  });
});
