// Document structure: outline symbols, folding, selection ranges, schema links.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { VipDocument } from '../../core/engine';
import { foldingRegions } from '../../core/engine/folding';
import { documentLinks } from '../../core/engine/links';
import { MAX_NESTING } from '../../core/engine/limits';
import { selectionSpans } from '../../core/engine/selectionRanges';
import { documentSymbols } from '../../core/engine/symbols';

const request =
  '{\n  "SetTemporaryPasswordRequest": {\n    "Version": "3.1",\n    "TokenId": { "value": "16505551212", "type": "SMS" },\n    "TemporaryPassword": "a1b2c3"\n  }\n}\n';

describe('document symbols', () => {
  test('operation → fields, nested objects as children, secrets hidden', () => {
    const [op, ...rest] = documentSymbols(new VipDocument(request));
    assert.equal(rest.length, 0);
    assert.equal(op.name, 'SetTemporaryPasswordRequest');
    assert.equal(op.kind, 'operation');
    assert.equal(op.detail, 'SetTemporaryPassword request');
    assert.deepEqual(
      op.children.map((c) => [c.name, c.kind, c.detail]),
      [
        ['Version', 'string', '"3.1"'],
        ['TokenId', 'object', undefined],
        ['TemporaryPassword', 'string', '••••••'],
      ],
    );
    assert.deepEqual(
      op.children[1].children.map((c) => c.name),
      ['value', 'type'],
    );
    assert.equal(
      request.slice(op.selection.offset, op.selection.offset + op.selection.length),
      '"SetTemporaryPasswordRequest"',
    );
  });
  test('an unknown operation is still outlined; arrays list their items', () => {
    const [op] = documentSymbols(new VipDocument('{ "Foo": { "TokenIds": ["a", "b"] } }'));
    assert.equal(op.detail, 'unknown operation');
    assert.deepEqual(
      op.children[0].children.map((c) => c.name),
      ['[0]', '[1]'],
    );
  });
  test('broken and non-object documents do not throw', () => {
    for (const text of ['', '[1]', '{ "A": {', '{{{{', '['.repeat(50_000)])
      assert.doesNotThrow(() => documentSymbols(new VipDocument(text)));
  });
});

describe('folding ranges', () => {
  test('multi-line objects fold up to the line before their closing brace', () => {
    assert.deepEqual(foldingRegions(new VipDocument(request)), [
      { startLine: 0, endLine: 5 },
      { startLine: 1, endLine: 4 },
    ]);
  });
  test('block comments fold too; one-line objects do not', () => {
    const text = '/*\n note\n*/\n{ "A": {} }';
    assert.deepEqual(foldingRegions(new VipDocument(text)), [{ startLine: 0, endLine: 2, kind: 'comment' }]);
  });
  test('CRLF line ends count as one', () => {
    assert.deepEqual(foldingRegions(new VipDocument('{\r\n"A": 1\r\n}')), [{ startLine: 0, endLine: 1 }]);
  });
});

describe('selection ranges', () => {
  test('from the string contents out to the whole document', () => {
    const offset = request.indexOf('16505551212') + 3;
    const spans = selectionSpans(new VipDocument(request), offset).map((s) =>
      request.slice(s.offset, s.offset + s.length),
    );
    assert.deepEqual(spans.slice(0, 4), [
      '16505551212',
      '"16505551212"',
      '"value": "16505551212"',
      '{ "value": "16505551212", "type": "SMS" }',
    ]);
    assert.equal(spans[spans.length - 1], request);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i].includes(spans[i - 1]));
  });
  test('outside the text: only the document', () => {
    assert.equal(selectionSpans(new VipDocument('{}'), 99).length, 1);
  });
});

describe('document links', () => {
  test('the operation key links to its schema file, which exists', () => {
    const [link] = documentLinks(new VipDocument(request));
    assert.equal(request.slice(link.offset, link.offset + link.length), 'SetTemporaryPasswordRequest');
    assert.equal(link.schemaFile, 'requests/SetTemporaryPassword.json');
    assert.ok(fs.existsSync(path.join(__dirname, '..', '..', 'schemas', link.schemaFile)));
    assert.deepEqual(documentLinks(new VipDocument('{ "Nope": {} }')), []);
  });
});

describe('selection ranges on deep documents', () => {
  test('at most MAX_NESTING spans around a position, then the document', () => {
    const text = '{"A": ' + '['.repeat(1000) + '1' + ']'.repeat(1000) + '}';
    const spans = selectionSpans(new VipDocument(text), text.indexOf('1'));
    assert.equal(spans.length, MAX_NESTING + 1);
    assert.deepEqual(spans[spans.length - 1], { offset: 0, length: text.length });
    assert.ok(
      spans.every(
        (s, i) =>
          i === 0 ||
          (s.offset <= spans[i - 1].offset && s.offset + s.length >= spans[i - 1].offset + spans[i - 1].length),
      ),
      'each contains the previous',
    );
  });
});
