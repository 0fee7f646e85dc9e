// Completion at every position class: root, field name, field value, inside strings, incomplete text.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { applyEdits } from 'jsonc-parser';
import { allDocumentKeys, getReasonCode, operations } from '../../core/data/catalog';
import { analyze, VipDocument } from '../../core/engine';
import { completionsAt, type CompletionProposal } from '../../core/engine/completion';
import { snippetToText } from '../../core/engine/skeleton';

const NOW = new Date('2026-11-29T12:00:00Z');
const ctx = { now: NOW, supportedVersions: ['2.0', '3.0', '3.1'] };

/** Completions at the `|` in `marked`. */
function complete(marked: string, c = ctx): { text: string; items: CompletionProposal[] } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'mark the position with |');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, items: completionsAt(new VipDocument(text), offset, c) };
}

const labels = (items: CompletionProposal[]) => items.map((i) => i.label);
const find = (items: CompletionProposal[], label: string) => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no ${label} in ${labels(items).join(', ')}`);
  return item;
};

/** The text after accepting `item` with its tab stops left as they are. */
function accept(text: string, item: CompletionProposal): string {
  const insert = item.snippet ? snippetToText(item.insertText) : item.insertText;
  return applyEdits(text, [
    { offset: item.replace.offset, length: item.replace.length, content: insert },
    ...(item.additionalEdits ?? []),
  ]);
}

describe('root', () => {
  test('an empty document offers every operation key with a whole-document skeleton', () => {
    const { text, items } = complete('|');
    assert.deepEqual(new Set(labels(items)), new Set(allDocumentKeys()));
    const item = find(items, 'DeactivateTokenRequest');
    assert.equal(item.kind, 'operation');
    assert.equal(item.detail, operations.find((o) => o.name === 'DeactivateToken')!.summary);
    assert.ok(item.snippet);
    assert.match(item.insertText, /"Version": "\$\{1\|3\.1,2\.0,3\.0\|\}"/);
    assert.match(item.insertText, /"TokenId": "\$\{2\}"/);
    const doc = JSON.parse(accept(text, item));
    assert.deepEqual(doc, { DeactivateTokenRequest: { Version: '3.1', TokenId: '' } });
  });
  test('common operations and requests sort first', () => {
    const { items } = complete('{|}');
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    const first = operations.find((o) => o.common)!;
    assert.equal(sorted[0].label, `${first.name}Request`);
    const kinds = sorted.map((i) => (i.label.endsWith('Request') ? 'request' : 'response'));
    assert.equal(kinds.lastIndexOf('request') + 1, kinds.indexOf('response'));
    const uncommon = operations.find((o) => !o.common)!;
    assert.ok(
      sorted.findIndex((i) => i.label === `${uncommon.name}Request`) > operations.filter((o) => o.common).length - 1,
    );
  });
  test('inside braces the key and its body are inserted, without another pair of braces', () => {
    const { text, items } = complete('{\n  |\n}');
    const fixed = accept(text, find(items, 'GetActivationCodeRequest'));
    assert.deepEqual(JSON.parse(fixed), { GetActivationCodeRequest: { Version: '3.1', ACProfile: 'MOBILEPHONE' } });
    assert.deepEqual(analyze(fixed, { now: NOW }), []);
  });
  test('a partly typed key in quotes (unterminated) is replaced, not the braces after it', () => {
    const { text, items } = complete('{ "Deac| }');
    const item = find(items, 'DeactivateTokenRequest');
    assert.deepEqual(item.replace, { offset: 2, length: 5 });
    assert.equal(item.filterText, '"DeactivateTokenRequest"');
    assert.ok(accept(text, item).endsWith(' }'));
  });
  test('a key that already has a value is renamed only', () => {
    const { text, items } = complete('{ "Deac|": { "Version": "3.1" } }');
    const fixed = accept(text, find(items, 'DeactivateTokenRequest'));
    assert.equal(fixed, '{ "DeactivateTokenRequest": { "Version": "3.1" } }');
  });
  test('no second operation key once the document has one', () => {
    assert.deepEqual(complete('{ "DeactivateTokenRequest": {}, | }').items, []);
    assert.ok(complete('{ "Deac|": {} }').items.length > 0, 'the key being typed does not count');
  });
  test('after the operation key: its body with the required fields', () => {
    const { text, items } = complete('{ "UnlockTokenRequest": | }');
    assert.deepEqual(JSON.parse(accept(text, find(items, '{…}'))), {
      UnlockTokenRequest: { Version: '3.1', TokenId: '' },
    });
  });
  test('responses get Status with a ReasonCode', () => {
    const { text, items } = complete('|');
    assert.deepEqual(JSON.parse(accept(text, find(items, 'DeactivateTokenResponse'))), {
      DeactivateTokenResponse: { Version: '3.1', Status: { ReasonCode: '0000' } },
    });
  });
});

describe('field names', () => {
  const body = (inner: string) => `{ "SetTemporaryPasswordRequest": { ${inner} } }`;
  test('fields not yet present, required first, with types and descriptions', () => {
    const { items } = complete(body('"Version": "3.1", |'));
    assert.ok(!labels(items).includes('Version'), 'Version is already there');
    assert.ok(!labels(items).includes('Id'), 'the Id alias is not proposed');
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.label);
    assert.deepEqual(sorted.slice(0, 2), ['TokenId', 'TemporaryPassword']);
    const date = find(items, 'ExpirationDate');
    assert.equal(date.kind, 'field');
    assert.match(date.detail!, /date-time/);
    assert.match(date.documentation!, /30 days/);
    assert.match(find(items, 'TokenId').detail!, /required/);
  });
  test('a field is inserted with a value snippet', () => {
    const { text, items } = complete(body('"Version": "3.1", |'));
    const fixed = accept(text, find(items, 'OneTimeUseOnly'));
    assert.deepEqual(JSON.parse(fixed).SetTemporaryPasswordRequest.OneTimeUseOnly, true);
  });
  test('a missing comma before the new field is added after the previous value', () => {
    const { text, items } = complete('{\n  "DeactivateTokenRequest": {\n    "Version": "3.1"\n    |\n  }\n}');
    const item = find(items, 'TokenId');
    assert.deepEqual(item.additionalEdits, [{ offset: text.indexOf('"3.1"') + 5, length: 0, content: ',' }]);
    assert.deepEqual(JSON.parse(accept(text, item)), { DeactivateTokenRequest: { Version: '3.1', TokenId: '' } });
  });
  test('a comma is added after the new field when another property follows', () => {
    const { text, items } = complete('{ "DeactivateTokenRequest": { | "Version": "3.1" } }');
    assert.deepEqual(Object.keys(JSON.parse(accept(text, find(items, 'Reason'))).DeactivateTokenRequest), [
      'Reason',
      'Version',
    ]);
  });
  test('partly typed names in quotes and bare words are replaced', () => {
    const quoted = complete(body('"Version": "3.1", "Tok|'));
    assert.deepEqual(find(quoted.items, 'TokenId').replace, { offset: quoted.text.indexOf('"Tok'), length: 4 });
    const bare = complete(body('"Version": "3.1", Tok|'));
    const item = find(bare.items, 'TokenId');
    assert.equal(item.filterText, 'TokenId');
    assert.equal(JSON.parse(accept(bare.text, item)).SetTemporaryPasswordRequest.TokenId, '');
  });
  test('nested objects offer their own fields', () => {
    const { items } = complete('{ "DeactivateTokenRequest": { "TokenId": { "value": "16505551212", | } } }');
    assert.deepEqual(labels(items), ['type']);
    assert.match(items[0].insertText, /\|SMS,Voice,Service\|/);
  });
  test('an unknown operation offers no fields', () => {
    assert.deepEqual(complete('{ "NoSuchRequest": { | } }').items, []);
  });
  test('deprecated fields are marked', () => {
    const { items } = complete('{ "DeliverSMSRequest": { "SMSDeliveryInfo": { | } } }');
    assert.equal(find(items, 'SMSFrom').deprecated, true);
  });
});

describe('values', () => {
  const req = (inner: string) => `{ "DeactivateTokenRequest": { "TokenId": "VSST12345678", ${inner} } }`;
  test('enum values with their descriptions', () => {
    const { items } = complete(req('"Reason": |'));
    assert.equal(items.length, 8);
    const lost = find(items, '"Lost"');
    assert.equal(lost.insertText, '"Lost"');
    assert.equal(lost.documentation, 'The credential was lost.');
  });
  test('Version offers the supported versions from the settings', () => {
    assert.deepEqual(labels(complete(req('"Version": |')).items), ['"2.0"', '"3.0"', '"3.1"']);
    assert.deepEqual(labels(complete(req('"Version": |'), { ...ctx, supportedVersions: ['4.0'] }).items), ['"4.0"']);
    assert.equal(complete(req('"Version": |')).items.find((i) => i.preselect)?.label, '"3.1"');
  });
  test('RequestId offers a fresh id of at most 40 characters', () => {
    const [item] = complete(req('"RequestId": |')).items;
    const id = JSON.parse(item.insertText) as string;
    assert.ok(id.length > 8 && id.length <= 40, id);
    assert.notEqual(JSON.parse(complete(req('"RequestId": |')).items[0].insertText), id);
  });
  test('ExpirationDate offers now + 1 day and now + the operation maximum, ISO 8601 UTC', () => {
    const set = complete('{ "SetTemporaryPasswordRequest": { "ExpirationDate": | } }').items;
    assert.deepEqual(labels(set), ['"2026-11-30T12:00:00Z"', '"2026-12-29T12:00:00Z"']);
    const generate = complete('{ "GenerateTemporaryPasswordRequest": { "ExpirationDate": | } }').items;
    assert.deepEqual(labels(generate), ['"2026-11-30T12:00:00Z"', '"2026-12-06T12:00:00Z"']);
    const text = `{ "SetTemporaryPasswordRequest": { "Version": "3.1", "TokenId": "VSST1", "TemporaryPassword": "123456", "ExpirationDate": ${set[1].insertText} } }`;
    assert.deepEqual(analyze(text, { now: NOW }), []);
  });
  test('booleans', () => {
    assert.deepEqual(labels(complete('{ "SetTemporaryPasswordRequest": { "OneTimeUseOnly": | } }').items), [
      'true',
      'false',
    ]);
  });
  test('reason codes with their messages inside ReasonCode', () => {
    const { items } = complete('{ "DeactivateTokenResponse": { "Status": { "ReasonCode": "4e|" } } }');
    const item = find(items, '"4e04"');
    assert.equal(item.kind, 'reasonCode');
    assert.equal(item.detail, getReasonCode('4e04')!.message);
  });
  test('inside a string the whole string is replaced; unterminated, up to the cursor', () => {
    const closed = complete(req('"Reason": "Lo|st"'));
    assert.deepEqual(find(closed.items, '"Lost"').replace, { offset: closed.text.indexOf('"Lost"'), length: 6 });
    const open = complete('{ "DeactivateTokenRequest": { "Reason": "Lo| } }');
    const item = find(open.items, '"Lost"');
    assert.equal(accept(open.text, item), '{ "DeactivateTokenRequest": { "Reason": "Lost" } }');
  });
  test('a comma follows the value when another property comes next', () => {
    const { text, items } = complete('{ "DeactivateTokenRequest": { "Reason": |\n "Version": "3.1" } }');
    assert.deepEqual(JSON.parse(accept(text, find(items, '"Lost"'))), {
      DeactivateTokenRequest: { Reason: 'Lost', Version: '3.1' },
    });
  });
  test('an object value gets a snippet with its required fields', () => {
    const { text, items } = complete('{ "DeliverTxnOTPRequest": { "Destination": | } }');
    assert.deepEqual(JSON.parse(accept(text, items[0])).DeliverTxnOTPRequest.Destination, { value: '', type: 'SMS' });
  });
});

describe('spacing, comments and mixed types', () => {
  test('right after the colon a space separates the value', () => {
    const { text, items } = complete('{ "DeactivateTokenRequest": { "Reason":| } }');
    assert.equal(accept(text, find(items, '"Lost"')), '{ "DeactivateTokenRequest": { "Reason": "Lost" } }');
  });
  test('nothing is proposed inside comments', () => {
    assert.deepEqual(complete('{ // Reas|\n "DeactivateTokenRequest": {} }').items, []);
    assert.deepEqual(complete('{ "DeactivateTokenRequest": { /* | */ } }').items, []);
    assert.ok(complete('{ "DeactivateTokenRequest": { /* x */| } }').items.length > 0);
  });
  test('TokenId (a string or an object) offers the object form', () => {
    const { text, items } = complete('{ "DeactivateTokenRequest": { "TokenId": | } }');
    assert.deepEqual(labels(items), ['{…}']);
    assert.deepEqual(JSON.parse(accept(text, items[0])).DeactivateTokenRequest.TokenId, { value: '' });
  });
});

describe('incomplete and odd documents', () => {
  test('no closing braces', () => {
    assert.ok(labels(complete('{ "DeactivateTokenRequest": { "Version": "3.1", |').items).includes('TokenId'));
    assert.equal(complete('{ "DeactivateTokenRequest": { "Reason": |').items.length, 8);
  });
  test('positions outside the text and garbage never throw', () => {
    const doc = new VipDocument('{ "DeactivateTokenRequest": ');
    assert.doesNotThrow(() => completionsAt(doc, 10_000, ctx));
    assert.doesNotThrow(() => completionsAt(doc, -5, ctx));
    for (const text of ['[[[[', '"', '{"a":', '}}}', '{ "DeactivateTokenRequest": [ | ] }', '/* c', '\u0000']) {
      assert.doesNotThrow(() => completionsAt(new VipDocument(text), Math.floor(text.length / 2), ctx), text);
    }
    const deep = '['.repeat(100_000);
    assert.doesNotThrow(() => completionsAt(new VipDocument(deep), deep.length, ctx));
  });
});

describe('large documents', () => {
  // Over 8 KB of strict JSON, completion scans only the object around the cursor; the answers
  // must equal those of a full scan (forced here by a leading comment, which makes it JSONC).
  const history = Array.from({ length: 1500 }, (_, i) => ({
    TokenId: `VSST${String(i).padStart(8, '0')}`,
    TokenStatus: 'ENABLED',
  }));
  const big = JSON.stringify(
    {
      GetTokenInformationResponse: {
        Version: '3.1',
        Status: { ReasonCode: '0000' },
        History: history,
        TokenInformation: { TokenId: 'VSST1', TokenStatus: '' },
      },
    },
    null,
    1,
  );
  const comment = '// forces the full scan\n';
  const ctx = { now: new Date('2026-11-29T12:00:00Z'), supportedVersions: ['3.1'] };
  const cases = [
    ['an enum value at the end', '"TokenStatus": ""\n', 16, true],
    ['a key in the last object', '"TokenStatus": ""', 1, true],
    ['a value deep in the list', '"VSST00001400"', 1, false],
    ['a key of the body', '"Status"', 2, true],
  ] as const;
  for (const [what, needle, delta, some] of cases) {
    test(`${what}: the same proposals as a full scan`, () => {
      assert.ok(big.length > 8 * 1024);
      const at = big.lastIndexOf(needle) + delta;
      const fast = completionsAt(new VipDocument(big), at, ctx);
      const full = completionsAt(new VipDocument(comment + big), at + comment.length, ctx);
      if (some) assert.ok(fast.length > 0, 'proposals expected here');
      assert.deepEqual(
        fast.map((p) => [p.label, p.replace.offset, p.replace.length]),
        full.map((p) => [p.label, p.replace.offset - comment.length, p.replace.length]),
      );
    });
  }
});
