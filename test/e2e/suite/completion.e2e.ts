import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openTempRequest, positionOf, removeTempFiles } from './helpers';

/** A request file with `content`, shown in an editor (closeAllEditors reverts test edits). */
async function request(content: string): Promise<vscode.TextDocument> {
  return (await openTempRequest('completion', content)).document;
}

async function complete(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    position,
  );
  assert.ok(list, 'no completion list');
  return list.items;
}

const labelOf = (item: vscode.CompletionItem): string =>
  typeof item.label === 'string' ? item.label : item.label.label;
const snippetOf = (item: vscode.CompletionItem): string => {
  assert.ok(
    item.insertText instanceof vscode.SnippetString,
    `${labelOf(item)}: insertText should be a snippet, got ${JSON.stringify(item.insertText)}`,
  );
  return item.insertText.value;
};

describe('completion', () => {
  before(activateExtension);
  afterEach(closeAllEditors);
  after(removeTempFiles);

  it('offers operation keys with a snippet skeleton at the root of an empty {}', async () => {
    const doc = await request('{}');
    const items = await complete(doc, new vscode.Position(0, 1));
    const item = items.find((i) => labelOf(i) === 'DeactivateTokenRequest');
    assert.ok(item, `DeactivateTokenRequest not offered; got ${items.slice(0, 20).map(labelOf).join(', ')}…`);
    assert.equal(item.kind, vscode.CompletionItemKind.Module);
    const snippet = snippetOf(item);
    // The skeleton: the key, an object with the required fields, tab stops for their values.
    assert.match(snippet, /^"DeactivateTokenRequest": \{/);
    for (const field of ['"Version"', '"TokenId"'])
      assert.ok(snippet.includes(field), `skeleton lacks ${field}: ${snippet}`);
    assert.match(snippet, /\$\{?\d/, `skeleton has no tab stop: ${snippet}`);
    // Requests and responses of other operations are offered too; a field name is not.
    const labels = new Set(items.map(labelOf));
    for (const key of ['ValidateRequest', 'EnableTokenRequest', 'DeactivateTokenResponse'])
      assert.ok(labels.has(key), `${key} not offered`);
    assert.ok(!labels.has('TokenId'), 'a field name was offered at the root');
  });

  it('offers the fields an operation object still lacks, not those it has', async () => {
    const doc = await request('{\n  "DeactivateTokenRequest": {\n    "Version": "3.1",\n    \n  }\n}\n');
    const items = await complete(doc, new vscode.Position(3, 4));
    const labels = items.map(labelOf);
    for (const field of ['TokenId', 'RequestId', 'Reason'])
      assert.ok(labels.includes(field), `${field} not offered; got ${labels.join(', ')}`);
    assert.ok(!labels.includes('Version'), 'Version is present and must not be offered again');
    assert.ok(
      !labels.some((l) => l.endsWith('Request')),
      `operation keys offered inside an operation: ${labels.join(', ')}`,
    );
    const tokenId = items.find((i) => labelOf(i) === 'TokenId')!;
    assert.equal(tokenId.kind, vscode.CompletionItemKind.Property);
    assert.match(String(tokenId.detail), /required/);
    assert.match(snippetOf(tokenId), /^"TokenId": /);
  });

  it('inserting the offered skeleton yields a DeactivateTokenRequest document', async () => {
    const doc = await request('{}');
    const item = (await complete(doc, positionOf(doc, '}'))).find((i) => labelOf(i) === 'DeactivateTokenRequest');
    assert.ok(item);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document === doc);
    const range =
      item.range instanceof vscode.Range ? item.range : (item.range?.replacing ?? new vscode.Range(0, 1, 0, 1));
    assert.ok(await editor.insertSnippet(item.insertText as vscode.SnippetString, range), 'snippet not inserted');
    // Empty tab stops leave empty strings and the first choice of each choice list: valid JSON.
    const inserted = JSON.parse(doc.getText()) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(inserted), ['DeactivateTokenRequest']);
    for (const field of ['Version', 'TokenId'])
      assert.ok(field in inserted['DeactivateTokenRequest'], `${field} missing: ${doc.getText()}`);
  });
});
