import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { operations, reasonCodes } from '../../core/data/catalog';
import { hoverAt, VipDocument } from '../../core/engine';

function hover(text: string, needle: string, delta = 1) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in text`);
  return hoverAt(new VipDocument(text), at + delta);
}

describe('reason-code hover', () => {
  test('every catalog entry is reachable by hover on a ReasonCode value', () => {
    for (const rc of reasonCodes) {
      for (const written of [rc.code, rc.code.toUpperCase()]) {
        const text = `{"ValidateResponse": {"Version": "3.1", "Status": {"ReasonCode": "${written}"}}}`;
        const h = hover(text, `"${written}"`);
        assert.ok(h, rc.code);
        assert.ok(h.markdown.includes(rc.code) && h.markdown.includes(rc.message), rc.code);
        assert.ok(h.markdown.includes(rc.solution.split('\n')[0]), `${rc.code} solution`);
        assert.equal(text.slice(h.offset, h.offset + h.length), `"${written}"`);
      }
    }
  });
  test('the page wording of 4e04 with its solution', () => {
    const h = hover('{"DeactivateTokenResponse": {"Version": "5.0", "Status": {"ReasonCode": "4e04"}}}', '"4e04"');
    assert.match(h!.markdown, /Unsupported service protocol version/);
    assert.match(h!.markdown, /Correct the version and try again/);
    assert.match(h!.markdown, /`Version`/, 'names the field it concerns');
  });
  test('state codes name the state they concern', () => {
    const h = hover('{"EnableTokenResponse": {"Version": "3.1", "Status": {"ReasonCode": "4994"}}}', '"4994"');
    assert.match(h!.markdown, /token state LOCKED/);
  });
  test('an unknown code says so', () => {
    assert.match(
      hover('{"ValidateResponse": {"Version": "3.1", "Status": {"ReasonCode": "4abc"}}}', '"4abc"')!.markdown,
      /not in the VIP reason-code catalog/,
    );
  });
  test('User Services codes are marked as such', () => {
    assert.match(
      hover('{"ValidateResponse": {"Version": "3.1", "Status": {"ReasonCode": "6009"}}}', '"6009"')!.markdown,
      /User Services/,
    );
  });
  test('works in a document with syntax errors (a response pasted from a log)', () => {
    assert.match(
      hover('{"ValidateResponse": {"Status": {"ReasonCode": "49b5" "StatusMessage": "x"', '"49b5"')!.markdown,
      /invalid security code/,
    );
  });
});

describe('field and operation hover', () => {
  test('every operation key explains the operation and its token states', () => {
    for (const op of operations) {
      for (const kind of ['Request', 'Response']) {
        const h = hover(`{"${op.name}${kind}": {}}`, `"${op.name}${kind}"`);
        assert.ok(h && h.markdown.includes(op.summary), op.name);
        if (op.acceptsStates) assert.ok(h.markdown.includes(op.acceptsStates.join(', ')), op.name);
      }
    }
  });
  test('a field key shows its description, type and whether it is required', () => {
    const text = '{"SetTemporaryPasswordRequest": {"Version": "3.1", "TemporaryPassword": "1"}}';
    const h = hover(text, '"TemporaryPassword"');
    assert.match(h!.markdown, /\*\*TemporaryPassword\*\* · string · required/);
    assert.match(h!.markdown, /exactly 6 letters or digits/);
    assert.match(h!.markdown, /4952/);
  });
  test('an enum field lists its values with descriptions', () => {
    const h = hover('{"DisableTokenRequest": {"Reason": "Lost"}}', '"Reason"');
    assert.match(h!.markdown, /`"Stolen"` — /);
    assert.match(h!.markdown, /optional/);
  });
  test('an enum value is explained', () => {
    const h = hover('{"GetActivationCodeRequest": {"ACProfile": "COMPUTER"}}', '"COMPUTER"');
    assert.match(h!.markdown, /desktop computer/);
  });
  test('nested fields of a response', () => {
    const h = hover('{"GetTokenInformationResponse": {"TokenInformation": {"TokenStatus": "LOCKED"}}}', '"LOCKED"');
    assert.match(h!.markdown, /too many failed validations/);
  });
  test('the TokenId object form', () => {
    assert.match(
      hover('{"SendOTPRequest": {"TokenId": {"value": "1650", "type": "SMS"}}}', '"type"')!.markdown,
      /Kind of credential/,
    );
  });
  test('nothing to say on punctuation, unknown keys or unknown operations', () => {
    const text = '{"ValidateRequest": {"Nope": 1}}';
    assert.equal(hoverAt(new VipDocument(text), 0), undefined);
    assert.equal(hover(text, '"Nope"'), undefined);
    assert.equal(hover('{"Foo": {"Version": "3.1"}}', '"Version"'), undefined);
  });
  test('offsets past the end or negative are harmless', () => {
    const doc = new VipDocument('{"ValidateRequest": {}}');
    assert.equal(hoverAt(doc, 10_000), undefined);
    assert.equal(hoverAt(doc, -5), undefined);
  });
});
