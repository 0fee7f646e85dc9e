// Fuzzing the bundled language server over a real stdio connection: random edits (some out of
// range), requests at random and impossible positions, unknown documents, requests after
// shutdown. Every request must be answered within a second, the server must stay up, and
// incremental sync must not drift from the text (diagnostics equal those of a fresh open).
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  SelectionRangeRequest,
  ShutdownRequest,
  type Diagnostic,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestLspClient } from '../helpers/lspClient';
import { int, mutate, pick, rng, vipDocument, type Rand } from './generators';

const EDITS = Number(process.env.FUZZ_LSP_EDITS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p.finally(() => clearTimeout(timer)), new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} not answered within ${ms} ms`)), ms)))]);
}

function randomEdit(r: Rand, doc: TextDocument): TextDocumentContentChangeEvent {
  const text = doc.getText();
  if (r() < 0.03) return { text: vipDocument(r) }; // full replacement
  const a = int(r, text.length + 1);
  const b = Math.min(text.length, a + int(r, 12));
  const insert = r() < 0.5 ? '' : pick(r, ['"', '{', '}', ',', ':', '5.0', '3.1', '"OTP": "12345"', '\n', '\r\n', '// x\n', '\u0000', '\ud800', 'VSST', ' ']);
  return { range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text: insert };
}

const key = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code ?? ''} ${d.message}`;

describe(`language server fuzz (${EDITS} edits, seed ${SEED})`, () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient({ settings: { validation: { debounceMs: 0 } } });
    await client.initialize({ workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } } } });
  });
  after(() => client.shutdown());

  test('random edits and requests; no drift, no crash, every request answered', async () => {
    const r = rng(SEED);
    const uri = 'file:///fuzz/doc.vip.json';
    let doc = TextDocument.create(uri, 'vip-json', 1, vipDocument(r));
    await client.open(uri, doc.getText());
    let fresh = 0;
    for (let i = 0; i < EDITS; i++) {
      const change = randomEdit(r, doc);
      doc = TextDocument.update(doc, [change], doc.version + 1);
      await client.change(uri, doc.version, [change]);
      const position = pick(r, [doc.positionAt(int(r, doc.getText().length + 1)), { line: int(r, 50), character: int(r, 300) }, { line: 0, character: 0 }]);
      const request = int(r, 8);
      const params = { textDocument: { uri }, position };
      const what = ['hover', 'completion', 'symbols', 'formatting', 'folding', 'selection', 'codeAction', 'none'][request];
      const answer = [
        () => client.connection.sendRequest(HoverRequest.type, params),
        () => client.connection.sendRequest(CompletionRequest.type, params),
        () => client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
        () => client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }),
        () => client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }),
        () => client.connection.sendRequest(SelectionRangeRequest.type, { textDocument: { uri }, positions: [position] }),
        () => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }),
        () => Promise.resolve(null),
      ][request];
      try {
        await within<unknown>(answer() as Promise<unknown>, 1000, `${what} after edit ${i}`);
      } catch (e) {
        // A method the server does not offer is an error response, not a failure; a timeout is.
        if (e instanceof Error && /not answered/.test(e.message)) throw e;
      }
      if (i % 100 === 99 || i === EDITS - 1) {
        // No drift: the incrementally synced document validates exactly like the same text opened fresh.
        const synced = await within(client.diagnosticsForVersion(uri, doc.version), 5000, `diagnostics for version ${doc.version}`);
        const freshUri = `file:///fuzz/fresh-${fresh++}.vip.json`;
        await client.open(freshUri, doc.getText());
        const expected = await within(client.diagnosticsForVersion(freshUri, 1), 5000, 'fresh diagnostics');
        assert.deepEqual(synced.map(key).sort(), expected.map(key).sort(), `drift after edit ${i}: ${JSON.stringify(doc.getText())}`);
        await client.close(freshUri);
      }
      if (r() < 0.01) await client.close(`file:///fuzz/never-opened-${i}.vip.json`);
      if (r() < 0.005) {
        // Replace the document with a mutated one (new open after close).
        await client.close(uri);
        doc = TextDocument.create(uri, 'vip-json', 1, mutate(r, vipDocument(r)));
        await client.open(uri, doc.getText());
      }
    }
    assert.ok(!client.hasExited, 'the server is still running');
  });

  test('out-of-range edits and positions are survived', async () => {
    const uri = 'file:///fuzz/range.vip.json';
    await client.open(uri, '{"EnableTokenRequest": {"Version": "5.0", "TokenId": "V"}}');
    await client.change(uri, 2, [{ range: { start: { line: 10, character: 0 }, end: { line: 2, character: 5 } }, text: 'x' }]);
    await client.change(uri, 3, [{ range: { start: { line: -1, character: -1 }, end: { line: 0, character: 1 } }, text: '' }]);
    for (const position of [{ line: -1, character: 0 }, { line: 0, character: -7 }, { line: 1e9, character: 1e9 }]) {
      for (const type of [HoverRequest.type, CompletionRequest.type] as const) {
        await within(client.connection.sendRequest(type as typeof HoverRequest.type, { textDocument: { uri }, position }).catch(() => null), 1000, 'request at an impossible position');
      }
    }
    await within(client.diagnosticsForVersion(uri, 3), 5000, 'diagnostics');
    assert.ok(!client.hasExited);
  });

  test('requests after shutdown get an answer, and exit ends the process', async () => {
    const late = new TestLspClient();
    await late.initialize();
    await late.connection.sendRequest(ShutdownRequest.type);
    const afterShutdown = await within(
      late.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///x.vip.json' }, position: { line: 0, character: 0 } }).then(() => 'answered', () => 'refused'),
      1000,
      'a request after shutdown',
    );
    assert.ok(['answered', 'refused'].includes(afterShutdown));
    await late.shutdown();
    assert.ok(late.hasExited);
  });
});
