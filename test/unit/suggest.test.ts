// Closest-name suggestions: the bounded, allocation-free edit distance must equal the textbook one.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { closest, editDistance } from '../../core/schema/suggest';

/** The textbook dynamic programme, case-insensitive, kept here as the reference. */
function reference(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

test('editDistance equals the textbook Levenshtein distance on 20 000 random pairs (case-insensitive)', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const word = () =>
    Array.from({ length: Math.floor(random() * 12) }, () => 'abcAB_1'[Math.floor(random() * 7)]).join('');
  for (let n = 0; n < 20_000; n++) {
    const a = word();
    const b = word();
    assert.equal(editDistance(a, b), reference(a, b), `${JSON.stringify(a)} / ${JSON.stringify(b)}`);
  }
  assert.equal(editDistance('x'.repeat(100), 'y'.repeat(90)), 100, 'longer than the reused row');
});

test('closest keeps names within the length-scaled limit, nearest first, ties in locale order', () => {
  const states = ['NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE', 'UNKNOWN'];
  assert.deepEqual(closest('ENABLEDX', states), ['ENABLED']);
  assert.deepEqual(closest('enabled', states), ['ENABLED']);
  assert.deepEqual(closest('LOKED', states), ['LOCKED']);
  assert.deepEqual(closest('Zzzzzzzzzz', states), []);
  assert.deepEqual(closest('TokenIdd', ['TokenId', 'TokenIds', 'Tokenid2', 'Reason']), [
    'TokenId',
    'Tokenid2',
    'TokenIds',
  ]);
  // Every kept candidate is within the limit by the reference distance, and none within it is dropped.
  const names = [
    'RequestId',
    'Version',
    'TokenId',
    'Reason',
    'OTP1',
    'OTP2',
    'ExpirationDate',
    'TemporaryPassword',
    'OneTimeUseOnly',
  ];
  for (const probe of ['requestid', 'Versoin', 'OTP', 'Expiration', 'TempPassword', 'x']) {
    const limit = Math.max(2, Math.floor(probe.length / 3));
    const expected = names
      .filter((c) => reference(probe, c) <= limit)
      .sort((x, y) => reference(probe, x) - reference(probe, y) || x.localeCompare(y))
      .slice(0, 3);
    assert.deepEqual(closest(probe, names), expected, probe);
  }
});
