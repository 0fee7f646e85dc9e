// Fuzzing the bundled language server over a real stdio connection: random edits (some out of
// range), requests at random and impossible positions, unknown documents, deep and huge documents,
// flow documents (vip-flow, seeded with the sample flows),
// requests after shutdown. Every request to a method the server offers must be answered within its
// bound and without a JSON-RPC error; the server must log no error (window/logMessage of type
// Error, or stderr) and stay up; incremental sync must not drift from the text (diagnostics equal
// those of a fresh open).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  ErrorCodes,
  FoldingRangeRequest,
  HoverRequest,
  ResponseError,
  SelectionRangeRequest,
  ShutdownRequest,
  type Diagnostic,
  type Position,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT, TestLspClient, within } from '../helpers/lspClient';
import { hostileDocument, int, mutate, pick, rng, vipDocument, type Rand } from './generators';

const EDITS = Number(process.env.FUZZ_LSP_EDITS ?? 1500);
/** The sample flows of the playground: the seeds of the flow documents. */
const SAMPLE_FLOWS = path.join(ROOT, 'scripts', 'playground', 'workspace', 'flows');
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
/** Ordinary documents: a keystroke's worth of time. */
const ANSWER_MS = 1000;
/**
 * Deep and huge documents (up to 1.8 MB) get more: a 1.4 MB minified request formats into ~130 000
 * edits, a 13 MB answer, under a second on an idle machine and several on a loaded one (seen: over 5 s).
 */
const HOSTILE_ANSWER_MS = 15_000;

function randomEdit(r: Rand, doc: TextDocument): TextDocumentContentChangeEvent {
  const text = doc.getText();
  if (r() < 0.03) return { text: vipDocument(r) }; // full replacement
  const a = int(r, text.length + 1);
  const b = Math.min(text.length, a + int(r, 12));
  const insert =
    r() < 0.5
      ? ''
      : pick(r, [
          '"',
          '{',
          '}',
          ',',
          ':',
          '5.0',
          '3.1',
          '"OTP": "12345"',
          '\n',
          '\r\n',
          '// x\n',
          '\u0000',
          '\ud800',
          'VSST',
          ' ',
        ]);
  return { range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text: insert };
}

/** A diagnostic as compared for drift; the clock the server read ("later than now (…)", "until …") is not the document's. */
const key = (d: Diagnostic) =>
  `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code ?? ''} ${(typeof d.message === 'string' ? d.message : d.message.value).replace(/(now \(|until )\d{4}-\d\d-\d\dT[\d:.]+Z/g, '$1<clock>')}`;

type Requester = (
  client: TestLspClient,
  uri: string,
  position: Position,
  doc: TextDocument,
  r: Rand,
) => Promise<unknown>;

/** The requests of the mix, by name; code actions carry the diagnostics last published for the document. */
const REQUESTS: Record<string, Requester> = {
  hover: (c, uri, position) => c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
  completion: (c, uri, position) =>
    c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
  symbols: (c, uri) => c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
  folding: (c, uri) => c.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }),
  selection: (c, uri, position) =>
    c.connection.sendRequest(SelectionRangeRequest.type, {
      textDocument: { uri },
      positions: [position, { line: 0, character: 0 }],
    }),
  codeAction: (c, uri, position, doc, r) => {
    const diagnostics = c.published.filter((p) => p.uri === uri).at(-1)?.diagnostics ?? [];
    const range = pick(r, [
      { start: position, end: position },
      { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) },
    ]);
    return c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
  },
  formatting: (c, uri) =>
    c.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    }),
  rangeFormatting: (c, uri, position, doc) =>
    c.connection.sendRequest(DocumentRangeFormattingRequest.type, {
      textDocument: { uri },
      range: { start: position, end: doc.positionAt(doc.getText().length) },
      options: { tabSize: 4, insertSpaces: false },
    }),
};

/** A request must be answered in time, and without a JSON-RPC error (a rejection fails the test). */
async function ask(
  client: TestLspClient,
  what: string,
  request: Requester,
  at: { uri: string; position: Position; doc: TextDocument; r: Rand },
  ms: number,
): Promise<void> {
  await within(request(client, at.uri, at.position, at.doc, at.r), ms, what);
  assert.deepEqual(client.serverErrors, [], `the server reported errors after ${what}`);
}

describe(`language server fuzz (${EDITS} edits, seed ${SEED})`, () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient({ settings: { validation: { debounceMs: 0 } } });
    await client.initialize({
      workspace: { configuration: true },
      textDocument: { completion: { completionItem: { snippetSupport: true } } },
    });
  });
  after(() => client.shutdown());

  /** A deep or huge document in place of the current one: formatting, code actions and selection ranges on it, then back. */
  async function hostileBurst(r: Rand, uri: string, version: number, i: number): Promise<number> {
    const text = hostileDocument(r);
    const doc = TextDocument.create(uri, 'vip-json', version + 1, text);
    await client.change(uri, doc.version, [{ text }]);
    await within(
      client.diagnosticsForVersion(uri, doc.version),
      20_000,
      `diagnostics of a hostile document (${text.length} characters) after edit ${i}`,
    );
    for (const what of ['formatting', 'rangeFormatting', 'codeAction', 'selection', pick(r, Object.keys(REQUESTS))]) {
      const position = doc.positionAt(int(r, text.length + 1));
      await ask(
        client,
        `${what} on a hostile document (${text.slice(0, 40)}…, ${text.length} characters) after edit ${i}`,
        REQUESTS[what],
        { uri, position, doc, r },
        HOSTILE_ANSWER_MS,
      );
    }
    return doc.version;
  }

  test('random edits and requests; no drift, no error, every request answered', async () => {
    const r = rng(SEED);
    const uri = 'file:///fuzz/doc.vip.json';
    let doc = TextDocument.create(uri, 'vip-json', 1, vipDocument(r));
    await client.open(uri, doc.getText());
    let fresh = 0;
    for (let i = 0; i < EDITS; i++) {
      if (r() < 0.01) {
        const version = await hostileBurst(r, uri, doc.version, i);
        doc = TextDocument.create(uri, 'vip-json', version + 1, vipDocument(r));
        await client.change(uri, doc.version, [{ text: doc.getText() }]);
      }
      const change = randomEdit(r, doc);
      doc = TextDocument.update(doc, [change], doc.version + 1);
      await client.change(uri, doc.version, [change]);
      const position = pick(r, [
        doc.positionAt(int(r, doc.getText().length + 1)),
        { line: int(r, 50), character: int(r, 300) },
        { line: 0, character: 0 },
      ]);
      const what = pick(r, [...Object.keys(REQUESTS), 'none']);
      if (what !== 'none')
        await ask(client, `${what} after edit ${i}`, REQUESTS[what], { uri, position, doc, r }, ANSWER_MS);
      if (i % 100 === 99 || i === EDITS - 1) {
        // No drift: the incrementally synced document validates exactly like the same text opened fresh.
        const synced = await within(
          client.diagnosticsForVersion(uri, doc.version),
          5000,
          `diagnostics for version ${doc.version}`,
        );
        const freshUri = `file:///fuzz/fresh-${fresh++}.vip.json`;
        await client.open(freshUri, doc.getText());
        const expected = await within(client.diagnosticsForVersion(freshUri, 1), 5000, 'fresh diagnostics');
        assert.deepEqual(
          synced.map(key).sort(),
          expected.map(key).sort(),
          `drift after edit ${i}: ${JSON.stringify(doc.getText())}`,
        );
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
    assert.deepEqual(client.serverErrors, []);
    assert.ok(!client.hasExited, 'the server is still running');
  });

  test('flow documents (vip-flow): random edits and requests; no drift, no error, every request answered', async () => {
    const r = rng(SEED + 1);
    // In the samples' folder, so that request paths resolve and request files are read.
    const at = (name: string) => pathToFileURL(path.join(SAMPLE_FLOWS, name)).href;
    const samples = fs.readdirSync(SAMPLE_FLOWS).map((f) => fs.readFileSync(path.join(SAMPLE_FLOWS, f), 'utf8'));
    const uri = at('fuzz.vipflow.json');
    let doc = TextDocument.create(uri, 'vip-flow', 1, pick(r, samples));
    await client.open(uri, doc.getText(), 1, 'vip-flow');
    const edits = Math.ceil(EDITS / 3);
    for (let i = 0; i < edits; i++) {
      if (r() < 0.01) {
        const version = await hostileBurst(r, uri, doc.version, i);
        doc = TextDocument.create(uri, 'vip-flow', version + 1, mutate(r, pick(r, samples)));
        await client.change(uri, doc.version, [{ text: doc.getText() }]);
      }
      const change = r() < 0.03 ? { text: pick(r, samples) } : randomEdit(r, doc);
      doc = TextDocument.update(doc, [change], doc.version + 1);
      await client.change(uri, doc.version, [change]);
      const position = doc.positionAt(int(r, doc.getText().length + 1));
      const what = pick(r, [...Object.keys(REQUESTS), 'none']);
      if (what !== 'none')
        await ask(client, `${what} on a flow after edit ${i}`, REQUESTS[what], { uri, position, doc, r }, ANSWER_MS);
      if (i % 100 === 99 || i === edits - 1) {
        const synced = await within(
          client.diagnosticsForVersion(uri, doc.version),
          5000,
          `flow version ${doc.version}`,
        );
        const freshUri = at(`fresh-${i}.vipflow.json`);
        await client.open(freshUri, doc.getText(), 1, 'vip-flow');
        const expected = await within(client.diagnosticsForVersion(freshUri, 1), 5000, 'fresh flow diagnostics');
        assert.deepEqual(
          synced.map(key).sort(),
          expected.map(key).sort(),
          `drift after edit ${i}: ${JSON.stringify(doc.getText())}`,
        );
        await client.close(freshUri);
      }
    }
    assert.deepEqual(client.serverErrors, []);
    assert.ok(!client.hasExited, 'the server is still running');
  });

  test('out-of-range edits and positions are survived', async () => {
    const uri = 'file:///fuzz/range.vip.json';
    await client.open(uri, '{"EnableTokenRequest": {"Version": "5.0", "TokenId": "V"}}');
    await client.change(uri, 2, [
      { range: { start: { line: 10, character: 0 }, end: { line: 2, character: 5 } }, text: 'x' },
    ]);
    await client.change(uri, 3, [
      { range: { start: { line: -1, character: -1 }, end: { line: 0, character: 1 } }, text: '' },
    ]);
    const doc = TextDocument.create(uri, 'vip-json', 3, '');
    for (const position of [
      { line: -1, character: 0 },
      { line: 0, character: -7 },
      { line: 1e9, character: 1e9 },
    ]) {
      for (const [what, request] of Object.entries(REQUESTS))
        await ask(
          client,
          `${what} at an impossible position`,
          request,
          { uri, position, doc, r: rng(SEED) },
          ANSWER_MS,
        );
    }
    await within(client.diagnosticsForVersion(uri, 3), 5000, 'diagnostics');
    assert.deepEqual(client.serverErrors, []);
    assert.ok(!client.hasExited);
  });

  test('requests after shutdown are refused with InvalidRequest, and exit ends the process', async () => {
    const late = new TestLspClient();
    await late.initialize();
    await late.connection.sendRequest(ShutdownRequest.type);
    const refusal = await within(
      late.connection
        .sendRequest(HoverRequest.type, {
          textDocument: { uri: 'file:///x.vip.json' },
          position: { line: 0, character: 0 },
        })
        .then(
          (answer) => assert.fail(`answered after shutdown: ${JSON.stringify(answer)}`),
          (e: unknown) => e,
        ),
      1000,
      'a request after shutdown',
    );
    assert.ok(refusal instanceof ResponseError, String(refusal));
    assert.equal(refusal.code, ErrorCodes.InvalidRequest);
    await late.shutdown();
    assert.ok(late.hasExited);
    assert.deepEqual(late.serverErrors, []);
  });
});
