import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { topLevelKey } from '../../core/engine/topKey';

test('the top-level key and its span, past comments, without reading the rest', () => {
  const text = '// lost phone\n{ /* c */ "DeactivateTokenRequest": {"Version": "5.0", ' + '"x": 1, '.repeat(10) + '\n';
  const top = topLevelKey(text)!;
  assert.equal(top.key, 'DeactivateTokenRequest');
  assert.equal(text.slice(top.span.offset, top.span.offset + top.span.length), '"DeactivateTokenRequest"');
});

test('no key: an empty object, an array, a key without a colon, an empty text', () => {
  for (const text of ['{}', '[{"a": 1}]', '{"ValidateRequest"', '', 'null'])
    assert.equal(topLevelKey(text), undefined, text);
});
