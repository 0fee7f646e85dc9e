import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { analyze } from '../../core/engine';

const NOW = new Date('2026-11-29T12:00:00Z');
const check = (doc: unknown, versions?: string[]) =>
  analyze(typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2), { now: () => NOW, ...(versions ? { supportedVersions: versions } : {}) });
const codes = (doc: unknown) => check(doc).map((f) => f.code).filter(Boolean);

describe('Version', () => {
  test('an unsupported version predicts 4e04 on the value', () => {
    const text = JSON.stringify({ DeactivateTokenRequest: { Version: '5.0', TokenId: 'VSST12345678' } });
    const [f] = check(text);
    assert.equal(f.code, '4e04');
    assert.equal(text.slice(f.offset, f.offset + f.length), '"5.0"');
  });
  test('a supported version passes', () => {
    assert.deepEqual(check({ DeactivateTokenRequest: { Version: '3.1', TokenId: 'VSST12345678' } }), []);
  });
  test('the supported list comes from the setting', () => {
    assert.deepEqual(check({ DeactivateTokenRequest: { Version: '5.0', TokenId: 'VSST1' } }, ['5.0']), []);
  });
});

describe('TemporaryPassword', () => {
  const req = (pw: string) => ({ SetTemporaryPasswordRequest: { Version: '3.1', TokenId: 'VSST12345678', TemporaryPassword: pw } });
  test('5 characters predict 4952', () => assert.deepEqual(codes(req('12345')), ['4952']));
  test('6 characters pass', () => assert.deepEqual(codes(req('123456')), []));
  test('empty clears and passes', () => assert.deepEqual(codes(req('')), []));
});
