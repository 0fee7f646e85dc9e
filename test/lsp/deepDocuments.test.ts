// Documents no person writes (100 000 levels of nesting, 90 000 unclosed brackets) over a real
// connection: formatting answers at once with no edits, one log line and one message saying why;
// every other request is answered, without an error, within the same bounds.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  MessageType,
  SelectionRangeRequest,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestLspClient, within } from '../helpers/lspClient';

const DOCUMENTS: [string, string][] = [
  [
    'a 100 000-level object inside "Version"',
    '{"EnableTokenRequest": {"Version": ' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + ', "TokenId": "V"}}',
  ],
  [
    '90 000 unclosed `[` (184 KB)',
    '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "VSST12345678", "X": ' +
      '[ '.repeat(90_000) +
      '1' +
      ' '.repeat(4_000) +
      '}}',
  ],
];
/** "At once": well under what a user would notice, with room for a shared test machine. */
const AT_ONCE_MS = 2000;

describe('deep and huge documents over the connection', () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient({ settings: { validation: { debounceMs: 0 } } });
    await client.initialize();
  });
  after(() => client.shutdown());

  for (const [name, text] of DOCUMENTS) {
    describe(name, () => {
      const uri = `file:///deep/${name.replace(/\W+/g, '-')}.vip.json`;
      const doc = TextDocument.create(uri, 'vip-json', 1, text);
      const end = doc.positionAt(text.length);
      before(() => client.open(uri, text));

      test('Format Document: no edits at once, one log line and one message that say why', async () => {
        if (name.includes('184 KB'))
          assert.ok(text.length > 180_000 && text.length < 190_000, `${text.length} characters`);
        const [logsBefore, shownBefore] = [client.logMessages.length, client.shownMessages.length];
        const edits = await within(
          client.connection.sendRequest(DocumentFormattingRequest.type, {
            textDocument: { uri },
            options: { tabSize: 2, insertSpaces: true },
          }),
          AT_ONCE_MS,
          'formatting',
        );
        assert.deepEqual(edits, []);
        // Notifications sent before the answer arrive before it.
        const shown = client.shownMessages.slice(shownBefore);
        assert.deepEqual(shown, [
          {
            type: MessageType.Warning,
            message: 'The document was not formatted: it is nested more than 128 levels deep.',
          },
        ]);
        const logged = client.logMessages.slice(logsBefore);
        assert.equal(logged.length, 1, JSON.stringify(logged));
        assert.equal(logged[0].type, MessageType.Warning);
        assert.equal(logged[0].message, `Formatting ${uri} skipped: it is nested more than 128 levels deep.`);
      });

      test('Format Selection over the whole text: likewise', async () => {
        const shownBefore = client.shownMessages.length;
        const edits = await within(
          client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
            textDocument: { uri },
            range: { start: { line: 0, character: 0 }, end },
            options: { tabSize: 4, insertSpaces: false },
          }),
          AT_ONCE_MS,
          'range formatting',
        );
        assert.deepEqual(edits, []);
        assert.equal(client.shownMessages.length, shownBefore + 1);
        assert.match(
          client.shownMessages[shownBefore].message,
          /not formatted: it is nested more than 128 levels deep/,
        );
      });

      test('every other request is answered, without an error', async () => {
        const diagnostics = await within(client.diagnosticsForVersion(uri, 1), 10_000, 'diagnostics');
        assert.ok(diagnostics.length > 0, 'the document is flagged');
        const positions: Position[] = [
          { line: 0, character: 0 },
          { line: 0, character: 40 },
          doc.positionAt(text.length >> 1),
          end,
        ];
        for (const position of positions) {
          const at = `at ${position.line}:${position.character}`;
          await within(
            client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
            AT_ONCE_MS,
            `hover ${at}`,
          );
          await within(
            client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
            AT_ONCE_MS,
            `completion ${at}`,
          );
          const selections = await within(
            client.connection.sendRequest(SelectionRangeRequest.type, { textDocument: { uri }, positions: [position] }),
            AT_ONCE_MS,
            `selection ranges ${at}`,
          );
          let levels = 0;
          for (let r = selections?.[0]; r; r = r.parent) levels++;
          assert.ok(levels >= 1 && levels <= 129, `${levels} selection ranges ${at}`);
        }
        await within(
          client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
          AT_ONCE_MS,
          'symbols',
        );
        await within(
          client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }),
          AT_ONCE_MS,
          'folding',
        );
        const range = { start: { line: 0, character: 0 }, end };
        await within(
          client.connection.sendRequest(CodeActionRequest.type, {
            textDocument: { uri },
            range,
            context: { diagnostics },
          }),
          AT_ONCE_MS,
          'code actions',
        );
        assert.deepEqual(client.serverErrors, []);
        assert.ok(!client.hasExited);
      });
    });
  }
});
