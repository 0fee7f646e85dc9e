// Skeletons and placeholder values: built from the schemas, valid for every operation.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { operations } from '../../core/data/catalog';
import { analyze } from '../../core/engine';
import { operationSkeleton, operationSnippet, snippetToText } from '../../core/engine/skeleton';
import { expirationChoices, isoSeconds, placeholderValue } from '../../core/engine/values';

const NOW = new Date('2026-11-29T12:00:00Z');
const ctx = { now: NOW, supportedVersions: ['2.0', '3.0', '3.1'] };

describe('skeletons', () => {
  test('every operation has a request skeleton that parses; its placeholders satisfy the schema', () => {
    for (const op of operations) {
      for (const kind of ['request', 'response'] as const) {
        const snippet = operationSnippet(op.name, kind, ctx, { wholeDocument: true });
        assert.doesNotThrow(() => JSON.parse(snippetToText(snippet)), `${op.name} ${kind}`);
        const text = operationSkeleton(op.name, kind, ctx);
        const errors = analyze(text, { now: NOW }).filter((f) => f.severity === 'error');
        assert.deepEqual(
          errors.map((e) => e.message),
          [],
          `${op.name} ${kind}: ${text}`,
        );
      }
    }
  });
  test('snippet tab stops are numbered in order and values are choices where the schema has them', () => {
    const snippet = operationSnippet('GetActivationCode', 'request', ctx, { wholeDocument: false });
    assert.equal(
      snippet,
      '"GetActivationCodeRequest": {\n\t"Version": "${1|3.1,2.0,3.0|}",\n\t"ACProfile": "${2|MOBILEPHONE,COMPUTER|}"\n}',
    );
  });
});

describe('values', () => {
  test('dates are ISO 8601 UTC, rounded down to the second', () => {
    assert.equal(isoSeconds(Date.parse('2026-11-29T12:00:00.999Z')), '2026-11-29T12:00:00Z');
  });
  test('ExpirationDate choices follow the operation maximum', () => {
    const op = operations.find((o) => o.name === 'SendTemporaryPassword')!;
    assert.deepEqual(
      expirationChoices({ ...ctx, operation: op }).map((c) => c.value),
      ['2026-11-30T12:00:00Z', '2026-12-06T12:00:00Z'],
    );
    assert.deepEqual(
      expirationChoices(ctx).map((c) => c.value),
      ['2026-11-30T12:00:00Z'],
    );
  });
  test('string placeholders avoid values already taken and respect the pattern', () => {
    const otp = { type: 'string', pattern: '^[a-zA-Z0-9]{6,10}$' };
    const first = placeholderValue('OTP1', otp, ctx);
    const second = placeholderValue('OTP2', otp, ctx, [first]);
    assert.notEqual(first, second);
    for (const v of [first, second]) assert.match(String(v), /^[a-zA-Z0-9]{6,10}$/);
  });
  test('snippetToText unescapes and takes the first choice', () => {
    assert.equal(snippetToText('"${1|a,b|}" ${2:x\\}y} $3 \\$'), '"a" x}y  $');
  });
});
