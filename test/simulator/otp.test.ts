import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { hotp, ocra, secretFromHex, totp } from '../../core/simulator/otp';

// RFC 4226 appendix D and RFC 6238 appendix B use the ASCII secret "12345678901234567890".
const KEY = Buffer.from('12345678901234567890', 'ascii');

test('HOTP matches the RFC 4226 test vectors', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => assert.equal(hotp(KEY, counter), code, `counter ${counter}`));
});

test('TOTP (SHA-1, 30 s, 8 digits) matches the RFC 6238 test vectors', () => {
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  for (const [seconds, code] of vectors) assert.equal(totp(KEY, seconds * 1000, 30, 8), code, `T=${seconds}`);
  assert.equal(totp(KEY, 59_000), '287082', 'six digits are the last six of the eight');
});

test('OCRA-1:HOTP-SHA1-6:QN08 matches the RFC 6287 one-way challenge/response vectors', () => {
  const expected: [string, string][] = [
    ['00000000', '237653'],
    ['11111111', '243178'],
    ['22222222', '653583'],
    ['33333333', '740991'],
    ['99999999', '294470'],
  ];
  for (const [q, code] of expected) assert.equal(ocra(KEY, q), code, `Q=${q}`);
});

test('secrets are hex; anything else is a clear error', () => {
  assert.deepEqual(secretFromHex('3132333435363738393031323334353637383930'), KEY);
  assert.throws(() => secretFromHex('xyz'), /hex/);
  assert.throws(() => secretFromHex('123'), /hex/);
  assert.throws(() => hotp(KEY, -1), /non-negative/);
});
