// Editing features over a real stdio LSP connection (the server run from source): completion,
// quick fixes that clear their diagnostic, outline, folding, selection, formatting round trips,
// links and the client's custom requests.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DocumentFormattingRequest,
  DocumentLinkRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  InsertTextFormat,
  SelectionRangeRequest,
  type CodeAction,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type SelectionRange,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { snippetToText } from '../../core/engine/skeleton';
import { ROOT, TestLspClient } from '../helpers/lspClient';

const SERVER_SOURCE = path.join(ROOT, 'server', 'src', 'main.ts');

let client: TestLspClient;
let documentVersion = 0;
const texts = new Map<string, string>();

before(async () => {
  client = new TestLspClient({ serverModule: SERVER_SOURCE });
  const init = await client.initialize({
    workspace: { configuration: true },
    textDocument: { completion: { completionItem: { snippetSupport: true } } },
  });
  const caps = init.capabilities;
  assert.ok(
    caps.completionProvider && caps.codeActionProvider && caps.documentSymbolProvider && caps.foldingRangeProvider,
  );
  assert.ok(
    caps.selectionRangeProvider &&
      caps.documentFormattingProvider &&
      caps.documentRangeFormattingProvider &&
      caps.documentLinkProvider,
  );
});
after(() => client.shutdown());

/** Opens a new document and returns its uri and first diagnostics. */
async function open(name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const uri = `file:///editing/${name}-${++documentVersion}.vip.json`;
  texts.set(uri, text);
  await client.open(uri, text);
  return { uri, diagnostics: await client.diagnosticsForVersion(uri, 1) };
}

function apply(uri: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(uri, 'vip-json', 1, texts.get(uri)!), edits);
}

/** Replaces the document's text (version 2) and returns the diagnostics for it. */
async function replaceText(uri: string, text: string): Promise<Diagnostic[]> {
  texts.set(uri, text);
  await client.change(uri, 2, [{ text }]);
  return client.diagnosticsForVersion(uri, 2);
}

function position(text: string, offset: number) {
  const doc = TextDocument.create('x', 'vip-json', 1, text);
  return doc.positionAt(offset);
}

describe('completion', () => {
  test('at the root of an empty document: every operation, as snippets that build a request', async () => {
    const { uri } = await open('empty', '');
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    })) as CompletionList;
    assert.equal(list.items.length, 58);
    const item = list.items.find((i) => i.label === 'UnlockTokenRequest')!;
    assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
    assert.ok(item.documentation && typeof item.documentation === 'object' && /LOCKED/.test(item.documentation.value));
    const edit = item.textEdit as TextEdit;
    const diagnostics = await replaceText(
      uri,
      snippetToText(edit.newText).replace('"TokenId": ""', '"TokenId": "VSST12345678"'),
    );
    assert.deepEqual(diagnostics, []);
  });

  test('fields in an incomplete document, with the missing comma as an additional edit', async () => {
    const text = '{\n  "DeactivateTokenRequest": {\n    "Version": "3.1"\n    \n';
    const { uri } = await open('incomplete', text);
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 3, character: 4 },
    })) as CompletionList;
    const item = list.items.find((i) => i.label === 'TokenId')!;
    assert.ok(item, list.items.map((i) => i.label).join());
    assert.deepEqual(item.additionalTextEdits, [
      { range: { start: { line: 2, character: 20 }, end: { line: 2, character: 20 } }, newText: ',' },
    ]);
    assert.ok(!list.items.some((i) => i.label === 'Version'));
  });

  test('enum values with descriptions', async () => {
    const text = '{ "DeactivateTokenRequest": { "Version": "3.1", "TokenId": "VSST1", "Reason": "" } }';
    const { uri } = await open('values', text);
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: position(text, text.indexOf('""') + 1),
    })) as CompletionList;
    const lost = list.items.find((i) => i.label === '"Lost"')!;
    assert.deepEqual(lost.documentation, { kind: 'markdown', value: 'The credential was lost.' });
    assert.equal((lost.textEdit as TextEdit).newText, '"Lost"');
  });

  test('a position past the end of the document is answered as the end: the fields the open operation takes', async () => {
    const text = '{ "DeactivateTokenRequest": {';
    const { uri } = await open('past-end', text);
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 40, character: 99 },
    })) as CompletionList;
    // The schema's fields in order, without the XML alias `Id`; each inserted at the end of the text.
    assert.deepEqual(
      list.items.map((i) => i.label),
      ['Version', 'RequestId', 'AuthorizerAccountId', 'TokenId', 'Reason'],
    );
    const end = { line: 0, character: text.length };
    assert.ok(
      list.items.every((i) => JSON.stringify((i.textEdit as TextEdit).range) === JSON.stringify({ start: end, end })),
      JSON.stringify(list.items.map((i) => i.textEdit)),
    );
    assert.equal(
      (list.items[0].textEdit as TextEdit).newText,
      '"Version": "${1|3.1,2.0,3.0|}"',
      'a choice of the supported versions, preferred first',
    );
    assert.deepEqual(client.serverErrors, []);
    assert.ok(!client.hasExited);
  });
});

describe('quick fixes', () => {
  test("a diagnostic carries its rule and path, and the rule's payload nested in data", async () => {
    const { diagnostics } = await open(
      'payload',
      '{ "DeactivateTokenRequest": { "Version": "3.1", "TokenId": "VSST1", "Reasn": "Lost" } }',
    );
    const unknown = diagnostics.find((d) => (d.data as { rule: string }).rule === 'schema.unknownField')!;
    assert.deepEqual(unknown.data, {
      rule: 'schema.unknownField',
      path: ['DeactivateTokenRequest', 'Reasn'],
      data: { field: 'Reasn', suggestions: ['Reason'] },
    });
  });

  /** Asks for the fixes of the diagnostic with `code`/`rule`, applies the preferred one, returns the new diagnostics. */
  async function fixAndRevalidate(
    name: string,
    text: string,
    pick: (d: Diagnostic) => boolean,
    title?: RegExp,
  ): Promise<{ actions: CodeAction[]; after: Diagnostic[]; fixed: string }> {
    const { uri, diagnostics } = await open(name, text);
    const target = diagnostics.find(pick);
    assert.ok(target, JSON.stringify(diagnostics));
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    })) as CodeAction[];
    const action = title ? actions.find((a) => title.test(a.title)) : actions.find((a) => a.isPreferred);
    assert.ok(action, actions.map((a) => a.title).join(' | '));
    assert.deepEqual(action.diagnostics, [target], 'the fix is linked to its diagnostic');
    const fixed = apply(uri, action.edit!.changes![uri]);
    return { actions, after: await replaceText(uri, fixed), fixed };
  }

  test('4e04: set Version to a supported version', async () => {
    const { actions, after } = await fixAndRevalidate(
      'version',
      '{\n  "DeactivateTokenRequest": {\n    "Version": "5.0",\n    "TokenId": "VSST12345678"\n  }\n}\n',
      (d) => d.code === '4e04',
    );
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Set Version to "2.0"', 'Set Version to "3.0"', 'Set Version to "3.1"'],
    );
    assert.deepEqual(after, []);
  });

  test('4e08: replace ACProfile', async () => {
    const { after } = await fixAndRevalidate(
      'profile',
      '{ "GetActivationCodeRequest": { "Version": "3.1", "ACProfile": "BREW" } }',
      (d) => d.code === '4e08',
      /COMPUTER/,
    );
    assert.deepEqual(after, []);
  });

  test('4953: ExpirationDate set to the maximum allowed', async () => {
    const text =
      '{ "SetTemporaryPasswordRequest": { "Version": "3.1", "TokenId": "VSST1", "TemporaryPassword": "123456", "ExpirationDate": "2099-01-01T00:00:00Z" } }';
    const { after } = await fixAndRevalidate('expiry', text, (d) => d.code === '4953');
    assert.deepEqual(after, []);
  });

  test('4952: clear the temporary password', async () => {
    const text =
      '{ "SetTemporaryPasswordRequest": { "Version": "3.1", "TokenId": "VSST1", "TemporaryPassword": "12345" } }';
    const { after, fixed } = await fixAndRevalidate('temp', text, (d) => d.code === '4952', /Clear/);
    assert.deepEqual(after, []);
    assert.match(fixed, /"TemporaryPassword": ""/);
  });

  test('missing required field, misspelt field and misspelt operation', async () => {
    const missing = await fixAndRevalidate(
      'missing',
      '{\n  "SynchronizeRequest": {\n    "Version": "3.1",\n    "TokenId": "VSST1",\n    "OTP1": "123456"\n  }\n}\n',
      (d) => (d.data as { rule: string }).rule === 'schema.required',
    );
    assert.deepEqual(missing.after, []);
    const field = await fixAndRevalidate(
      'field',
      '{ "DeactivateTokenRequest": { "Version": "3.1", "TokenId": "VSST1", "Reasn": "Lost" } }',
      (d) => (d.data as { rule: string }).rule === 'schema.unknownField',
    );
    assert.deepEqual(field.after, []);
    const op = await fixAndRevalidate(
      'operation',
      '{ "DeactivateTokenRequst": { "Version": "3.1", "TokenId": "VSST1" } }',
      (d) => (d.data as { rule: string }).rule === 'document.unknownOperation',
    );
    assert.deepEqual(op.after, []);
  });

  test('syntax: a missing comma is inserted', async () => {
    const text = '{\n  "DeactivateTokenRequest": {\n    "Version": "3.1"\n    "TokenId": "VSST12345678"\n  }\n}\n';
    const { after, fixed } = await fixAndRevalidate(
      'comma',
      text,
      (d) => (d.data as { rule: string }).rule === 'syntax',
    );
    assert.deepEqual(after, []);
    assert.match(fixed, /"3\.1",\n/);
  });

  test('diagnostics from elsewhere or with odd data get no fix and no failure', async () => {
    const { uri } = await open('foreign', '{}');
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: {
        diagnostics: [
          { range, message: 'x', source: 'eslint', data: { rule: 'version.unsupported', path: ['A', 'Version'] } },
          { range, message: 'x', source: 'vip', data: { rule: 'schema.enum', path: 'not a path' } },
          { range, message: 'x', source: 'vip', data: { rule: 'schema.enum', path: ['A', 'B'], allowed: 7 } },
        ],
      },
    });
    assert.deepEqual(actions, []);
  });
});

describe('structure', () => {
  const text =
    '{\n  "DeactivateTokenRequest": {\n    "Version": "3.1",\n    "TokenId": { "value": "16505551212", "type": "SMS" },\n    "Reason": "Lost"\n  }\n}\n';

  test('document symbols: operation → fields', async () => {
    const { uri } = await open('symbols', text);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'DeactivateTokenRequest');
    assert.deepEqual(
      symbols[0].children!.map((c) => c.name),
      ['Version', 'TokenId', 'Reason'],
    );
    assert.deepEqual(
      symbols[0].children![1].children!.map((c) => c.name),
      ['value', 'type'],
    );
  });

  test('folding and selection ranges', async () => {
    const { uri } = await open('folding', text);
    const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.deepEqual(
      folds!.map((f) => [f.startLine, f.endLine]),
      [
        [0, 5],
        [1, 4],
      ],
    );
    const [selection] = (await client.connection.sendRequest(SelectionRangeRequest.type, {
      textDocument: { uri },
      positions: [{ line: 4, character: 16 }],
    })) as SelectionRange[];
    const doc = TextDocument.create(uri, 'vip-json', 1, text);
    assert.equal(doc.getText(selection.range), 'Lost');
    assert.equal(doc.getText(selection.parent!.range), '"Lost"');
    assert.equal(doc.getText(selection.parent!.parent!.range), '"Reason": "Lost"');
  });

  test('the operation key links to its schema file', async () => {
    const { uri } = await open('links', text);
    const [link] = (await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } }))!;
    assert.ok(link.target!.endsWith('/schemas/requests/DeactivateToken.json'), link.target);
    assert.ok(fs.existsSync(fileURLToPath(link.target!)));
    assert.deepEqual(link.range, { start: { line: 1, character: 3 }, end: { line: 1, character: 25 } });
  });
});

describe('formatting', () => {
  const minified = '{"DeactivateTokenRequest":{"Version":"3.1","TokenId":"VSST12345678"}}';

  test('format with the editor settings, then formatting again changes nothing', async () => {
    const { uri } = await open('format', minified);
    const edits = (await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 3, insertSpaces: true, insertFinalNewline: true },
    }))!;
    const formatted = apply(uri, edits);
    assert.equal(
      formatted,
      '{\n   "DeactivateTokenRequest": {\n      "Version": "3.1",\n      "TokenId": "VSST12345678"\n   }\n}\n',
    );
    assert.deepEqual(await replaceText(uri, formatted), []);
    const again = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 3, insertSpaces: true, insertFinalNewline: true },
    });
    assert.deepEqual(again, []);
  });

  test('range formatting touches only the range', async () => {
    const text = '{"DeactivateTokenRequest":{"Version":"3.1",\n"TokenId":{"value":"16505551212","type":"SMS"}}}';
    const { uri } = await open('range', text);
    const start = text.indexOf('{"value"');
    const end = text.indexOf('}') + 1;
    const edits = (await client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
      textDocument: { uri },
      range: { start: position(text, start), end: position(text, end) },
      options: { tabSize: 2, insertSpaces: false },
    }))!;
    const formatted = apply(uri, edits);
    assert.ok(formatted.startsWith('{"DeactivateTokenRequest":{"Version":"3.1",\n"TokenId":'), formatted);
    assert.match(formatted, /\n\t*"value": "16505551212",\n/);
  });
});

describe('custom requests for the client', () => {
  test('vip/operations lists operations with summaries, common first', async () => {
    const ops =
      await client.connection.sendRequest<{ name: string; summary: string; common: boolean }[]>('vip/operations');
    assert.equal(ops.length, 29);
    assert.ok(ops[0].common && ops[0].summary.length > 10);
    assert.equal(
      ops.findIndex((o) => !o.common),
      ops.filter((o) => o.common).length,
    );
  });

  test('vip/skeleton returns a snippet and its plain text, which validates once filled', async () => {
    const result = await client.connection.sendRequest<{ snippet: string; text: string } | null>('vip/skeleton', {
      operation: 'DeactivateToken',
    });
    assert.ok(result);
    assert.match(result.snippet, /"TokenId": "\$\{2\}"/);
    const { diagnostics } = await open('skeleton', result.text);
    assert.deepEqual(diagnostics, []);
    assert.equal(await client.connection.sendRequest('vip/skeleton', { operation: 'Nope' }), null);
    assert.equal(await client.connection.sendRequest('vip/skeleton', null), null);
  });

  test('vip/documentInfo says which operation and schema apply', async () => {
    const { uri } = await open('info', '{ "UnlockTokenRequest": { "Version": "3.1" } }');
    const info = await client.connection.sendRequest<{
      operation: string;
      kind: string;
      schemaFile: string;
      schemaUri: string;
    }>('vip/documentInfo', { uri });
    assert.deepEqual(
      [info.operation, info.kind, info.schemaFile],
      ['UnlockToken', 'request', 'requests/UnlockToken.json'],
    );
    assert.ok(fs.existsSync(fileURLToPath(info.schemaUri)));
    const unknown = await open('info-unknown', '{ "Hello": {} }');
    assert.deepEqual(await client.connection.sendRequest('vip/documentInfo', { uri: unknown.uri }), { key: 'Hello' });
    assert.equal(await client.connection.sendRequest('vip/documentInfo', { uri: 'file:///not/open.vip.json' }), null);
  });
});

describe('settings', () => {
  test('vipApi.supportedVersions drives Version completion and the 4e04 fixes', async () => {
    client.settings = { supportedVersions: ['4.0'] };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    try {
      const text = '{ "DeactivateTokenRequest": { "Version": "3.1", "TokenId": "VSST1" } }';
      const { uri, diagnostics } = await open('settings', text);
      const [d] = diagnostics.filter((x) => x.code === '4e04');
      assert.ok(d, JSON.stringify(diagnostics));
      const list = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: position(text, text.indexOf('"3.1"') + 1),
      })) as CompletionList;
      assert.deepEqual(
        list.items.map((i) => i.label),
        ['"4.0"'],
      );
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      })) as CodeAction[];
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred]),
        [['Set Version to "4.0"', true]],
      );
    } finally {
      client.settings = {};
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
  });
});
