import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { REDACTED, redactText, redactValue } from '../../core/redact';

test('redactValue replaces every secret field at any depth and leaves the rest', () => {
  const input = {
    ValidateRequest: {
      Version: '3.1',
      TokenId: 'VSST1',
      OTP: '123456',
      Nested: [{ TemporaryPassword: 'abc123' }],
      GatewayAcctInfo: { Id: 'gw', Password: 'pw' },
    },
  };
  const out = redactValue(input);
  assert.equal(out.ValidateRequest.OTP, REDACTED);
  assert.equal(out.ValidateRequest.Nested[0].TemporaryPassword, REDACTED);
  assert.equal(out.ValidateRequest.GatewayAcctInfo.Password, REDACTED);
  assert.equal(out.ValidateRequest.TokenId, 'VSST1');
  assert.equal(input.ValidateRequest.OTP, '123456', 'the input is not modified');
});

test('redactText redacts secrets in text, even when it is not valid JSON', () => {
  const text =
    '{"SynchronizeRequest": {"OTP1": "111111", "OTP2" : "222222", "TokenId": "VSST1", "TemporaryPassword": "",';
  const out = redactText(text);
  assert.ok(!out.includes('111111') && !out.includes('222222'));
  assert.ok(out.includes('"TokenId": "VSST1"'));
  assert.ok(out.includes('"TemporaryPassword": ""'), 'an empty value reveals nothing and stays');
});

test('redactText redacts secret elements of SOAP envelopes, prefixed or not', () => {
  const xml =
    '<v:Synchronize Version="3.1"><v:TokenId>VSST1</v:TokenId><v:OTP1>111111</v:OTP1><OTP2 x="1">222222</OTP2><TemporaryPassword></TemporaryPassword></v:Synchronize>';
  const out = redactText(xml);
  assert.ok(!out.includes('111111') && !out.includes('222222'), out);
  assert.ok(out.includes('<v:TokenId>VSST1</v:TokenId>'));
  assert.ok(out.includes(`<v:OTP1>${REDACTED}</v:OTP1>`));
});
