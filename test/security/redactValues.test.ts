// secretValues / redactValues: the sent secrets of a request, found in every form the project
// holds a request in, and removed from any text a server wrote.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { REDACTED, redactValues, secretValues } from '../../core/redact';

test('secretValues: from a value at any depth, from JSON text (even broken) and from SOAP text', () => {
  const value = {
    SynchronizeRequest: {
      TokenId: 'VSMT1',
      OTP1: '111111',
      OTP2: 222222,
      Nested: [{ TemporaryPassword: 'Ab3dE6' }],
      Empty: { OTP: '' },
    },
  };
  assert.deepEqual(secretValues(value).sort(), ['111111', '222222', 'Ab3dE6']);
  assert.deepEqual(secretValues('// note\n{"ValidateRequest": {"OTP" : "918273", "TokenId": "X",').sort(), ['918273']);
  assert.deepEqual(
    secretValues('<v:Synchronize><v:OTP1>333333</v:OTP1><OTP2 a="1">444444</OTP2></v:Synchronize>').sort(),
    ['333333', '444444'],
  );
});

test('secretValues: values under 4 characters and already redacted ones are not collected', () => {
  assert.deepEqual(secretValues({ Password: 'pw', OTP: REDACTED, OTP1: '1234' }), ['1234']);
  assert.deepEqual(secretValues(null), []);
  assert.deepEqual(secretValues('not json at all'), []);
});

test('redactValues: every occurrence, wherever it is; other text untouched', () => {
  const text = `cvc-pattern-valid: Value '918273' is not facet-valid; again 918273, "OTP":"918273"`;
  const out = redactValues(text, ['918273']);
  assert.ok(!out.includes('918273'));
  assert.equal(out.split(REDACTED).length - 1, 3);
  assert.ok(out.startsWith("cvc-pattern-valid: Value '"));
  assert.equal(redactValues('nothing here', []), 'nothing here');
});
