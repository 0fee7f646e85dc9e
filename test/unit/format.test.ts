// Formatting with jsonc-parser: editor indentation, stability, ranges, comments.
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { applyEdits } from 'jsonc-parser';
import { formatEdits } from '../../core/engine/format';
import { MAX_NESTING } from '../../core/engine/limits';

describe('formatting', () => {
  const minified = '{"DeactivateTokenRequest":{"Version":"3.1","TokenId":"VSST12345678"}}';
  test('honours tab size and spaces, and is stable', () => {
    const once = applyEdits(minified, formatEdits(minified, { tabSize: 4, insertSpaces: true }).edits);
    assert.equal(
      once,
      '{\n    "DeactivateTokenRequest": {\n        "Version": "3.1",\n        "TokenId": "VSST12345678"\n    }\n}',
    );
    assert.deepEqual(formatEdits(once, { tabSize: 4, insertSpaces: true }), { edits: [] });
  });
  test('tabs, final newline, comments kept', () => {
    const text = '{"A":{/* why */"B":1}}';
    assert.equal(
      applyEdits(text, formatEdits(text, { tabSize: 4, insertSpaces: false, insertFinalNewline: true }).edits),
      '{\n\t"A": { /* why */\n\t\t"B": 1\n\t}\n}\n',
    );
  });
  test('a range formats only what it covers', () => {
    const text = '{"A":{"B":1},\n"C":{"D":2}}';
    const start = text.indexOf('"C"');
    const out = applyEdits(
      text,
      formatEdits(text, { tabSize: 2, insertSpaces: true }, { offset: start, length: text.length - 1 - start }).edits,
    );
    assert.ok(out.startsWith('{"A":{"B":1},'), out);
    assert.match(out, /"C": \{\n/);
  });
  test('nonsense options and ranges do not throw', () => {
    assert.doesNotThrow(() => formatEdits('{', { tabSize: -1, insertSpaces: true }, { offset: -5, length: 999 }));
  });
  test('past the depth budget: no edits, and a reason', () => {
    const deep = '{"A":' + '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1) + '}';
    const result = formatEdits(deep, { tabSize: 2, insertSpaces: true });
    assert.deepEqual(result.edits, []);
    assert.match(result.refused ?? '', /nested more than 128 levels/);
    const justUnder = '{"A":' + '['.repeat(MAX_NESTING - 1) + ']'.repeat(MAX_NESTING - 1) + '}';
    assert.equal(formatEdits(justUnder, { tabSize: 2, insertSpaces: true }).refused, undefined);
  });
  test('90 000 unclosed brackets (184 KB) are refused at once, whole document and range', () => {
    const text = '{"EnableTokenRequest": {"Version": "3.1", "X": ' + '[ '.repeat(90_000) + '}}';
    const started = performance.now();
    assert.match(formatEdits(text, { tabSize: 2, insertSpaces: true }).refused ?? '', /nested/);
    assert.match(
      formatEdits(text, { tabSize: 2, insertSpaces: true }, { offset: 40, length: 100_000 }).refused ?? '',
      /nested/,
    );
    assert.ok(performance.now() - started < 1000);
  });
  test('past the size budget: refused although shallow', () => {
    // 100 levels, then 50 000 empty arrays: each would get its own line indented 100 levels.
    const text = '['.repeat(100) + '[],'.repeat(50_000) + '[]' + ']'.repeat(100);
    const result = formatEdits(text, { tabSize: 8, insertSpaces: true });
    assert.deepEqual(result.edits, []);
    assert.match(result.refused ?? '', /formatted text would be about \d+ KB, more than 16 times/);
  });
  test('a range in a deep document is judged on what it covers', () => {
    const text = '{"A": {"B":1},\n"C": ' + '['.repeat(200) + ']'.repeat(200) + '}';
    assert.deepEqual(
      formatEdits(text, { tabSize: 2, insertSpaces: true }, { offset: 0, length: 13 }).refused,
      undefined,
    );
    assert.ok(formatEdits(text, { tabSize: 2, insertSpaces: true }).refused);
  });
});
