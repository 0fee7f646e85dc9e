// Formatting with jsonc-parser: editor indentation, stability, ranges, comments.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { applyEdits } from 'jsonc-parser';
import { formatEdits } from '../../core/engine/format';

describe('formatting', () => {
  const minified = '{"DeactivateTokenRequest":{"Version":"3.1","TokenId":"VSST12345678"}}';
  test('honours tab size and spaces, and is stable', () => {
    const once = applyEdits(minified, formatEdits(minified, { tabSize: 4, insertSpaces: true }));
    assert.equal(once, '{\n    "DeactivateTokenRequest": {\n        "Version": "3.1",\n        "TokenId": "VSST12345678"\n    }\n}');
    assert.deepEqual(formatEdits(once, { tabSize: 4, insertSpaces: true }), []);
  });
  test('tabs, final newline, comments kept', () => {
    const text = '{"A":{/* why */"B":1}}';
    assert.equal(applyEdits(text, formatEdits(text, { tabSize: 4, insertSpaces: false, insertFinalNewline: true })), '{\n\t"A": { /* why */\n\t\t"B": 1\n\t}\n}\n');
  });
  test('a range formats only what it covers', () => {
    const text = '{"A":{"B":1},\n"C":{"D":2}}';
    const start = text.indexOf('"C"');
    const out = applyEdits(text, formatEdits(text, { tabSize: 2, insertSpaces: true }, { offset: start, length: text.length - 1 - start }));
    assert.ok(out.startsWith('{"A":{"B":1},'), out);
    assert.match(out, /"C": \{\n/);
  });
  test('nonsense options and ranges do not throw', () => {
    assert.doesNotThrow(() => formatEdits('{', { tabSize: -1, insertSpaces: true }, { offset: -5, length: 999 }));
  });
});
