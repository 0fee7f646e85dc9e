// Every engine rule, both ways: the value that predicts the reason code and the one that passes.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { analyze, type Finding } from '../../core/engine';

const NOW = new Date('2026-11-29T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const inDays = (d: number) => new Date(NOW.getTime() + d * DAY).toISOString();

function check(doc: unknown, versions?: string[]): { text: string; findings: Finding[] } {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2);
  return { text, findings: analyze(text, { now: NOW, ...(versions ? { supportedVersions: versions } : {}) }) };
}
const findings = (doc: unknown) => check(doc).findings;
const codes = (doc: unknown) =>
  findings(doc)
    .map((f) => f.code)
    .filter(Boolean);
const errors = (doc: unknown) => findings(doc).filter((f) => f.severity === 'error');
/** The text a finding points at. */
const target = (doc: unknown, pick: (f: Finding) => boolean = () => true) => {
  const { text, findings: fs } = check(doc);
  const f = fs.find(pick);
  assert.ok(f, `no matching finding in ${JSON.stringify(fs)}`);
  return text.slice(f.offset, f.offset + f.length);
};

const token = (op: string, fields: Record<string, unknown> = {}) => ({
  [`${op}Request`]: { Version: '3.1', TokenId: 'VSST12345678', ...fields },
});

describe('Version → 4e04', () => {
  test('5.0 (the troubleshooting page example) predicts 4e04 on the value', () => {
    const doc = { DeactivateTokenRequest: { Version: '5.0', TokenId: 'VSST12345678' } };
    assert.deepEqual(codes(doc), ['4e04']);
    assert.equal(target(doc), '"5.0"');
    assert.match(findings(doc)[0].message, /Version "5\.0" is not supported.*4e04.*2\.0, 3\.0, 3\.1/);
  });
  for (const v of ['2.0', '3.0', '3.1'])
    test(`${v} passes`, () => assert.deepEqual(findings(token('DeactivateToken', { Version: v })), []));
  test('the supported versions come from the setting', () => {
    assert.deepEqual(check(token('EnableToken', { Version: '5.0' }), ['5.0']).findings, []);
    assert.deepEqual(
      check(token('EnableToken', { Version: '3.1' }), ['5.0']).findings.map((f) => f.code),
      ['4e04'],
    );
  });
  test('a value that is not a version at all is a schema error, not 4e04', () => {
    const fs = findings(token('EnableToken', { Version: 'three' }));
    assert.deepEqual(
      fs.map((f) => [f.rule, f.code]),
      [['schema.pattern', '4e00']],
    );
    assert.match(fs[0].message, /Version/);
  });
  test('a number is a type error', () =>
    assert.match(findings(token('EnableToken', { Version: 3.1 }))[0].message, /`Version` must be a string/));
  test('a response carrying Version 5.0 is not flagged: the service wrote it', () => {
    assert.deepEqual(findings({ DeactivateTokenResponse: { Version: '5.0', Status: { ReasonCode: '4e04' } } }), []);
  });
});

describe('TemporaryPassword → 4952', () => {
  const req = (pw: unknown) => token('SetTemporaryPassword', { TemporaryPassword: pw });
  for (const bad of ['12345', '1234567', '12345!', 'abc de']) {
    test(`${JSON.stringify(bad)} predicts 4952`, () => {
      assert.deepEqual(codes(req(bad)), ['4952']);
      assert.equal(target(req(bad)), JSON.stringify(bad));
    });
  }
  for (const good of ['123456', 'ab12CD', ''])
    test(`${JSON.stringify(good)} passes`, () => assert.deepEqual(findings(req(good)), []));
  test('missing TemporaryPassword is a malformed request', () =>
    assert.deepEqual(codes(token('SetTemporaryPassword')), ['4e00']));
  test('a generated password in a response is not checked as a request', () => {
    assert.deepEqual(
      findings({
        GenerateTemporaryPasswordResponse: {
          Version: '3.1',
          Status: { ReasonCode: '0000' },
          TemporaryPassword: '482913',
        },
      }),
      [],
    );
  });
});

describe('ExpirationDate → 4953', () => {
  const limits: [string, number, Record<string, unknown>][] = [
    ['SetTemporaryPassword', 30, { TemporaryPassword: '123456' }],
    ['SetTemporaryPwdExpiration', 30, {}],
    ['GenerateTemporaryPassword', 7, {}],
    ['SendTemporaryPassword', 7, {}],
  ];
  for (const [op, max, extra] of limits) {
    test(`${op}: more than ${max} days ahead predicts 4953 and names the limit`, () => {
      const fs = findings(token(op, { ...extra, ExpirationDate: inDays(max + 1) }));
      assert.deepEqual(
        fs.map((f) => f.code),
        ['4953'],
      );
      assert.match(fs[0].message, new RegExp(`at most ${max} days`));
    });
    test(`${op}: ${max - 1} days ahead passes`, () =>
      assert.deepEqual(findings(token(op, { ...extra, ExpirationDate: inDays(max - 1) })), []));
    test(`${op}: a date in the past predicts 4953`, () => {
      const fs = findings(token(op, { ...extra, ExpirationDate: inDays(-1) }));
      assert.deepEqual(
        fs.map((f) => f.code),
        ['4953'],
      );
      assert.match(fs[0].message, /later than now/);
    });
  }
  test('an invalid date-time is a schema error, not 4953', () => {
    const fs = findings(token('SetTemporaryPwdExpiration', { ExpirationDate: 'tomorrow' }));
    assert.deepEqual(
      fs.map((f) => [f.rule, f.code]),
      [['schema.format', '4e00']],
    );
  });
  test('a date-time without a time zone is rejected', () => {
    assert.equal(
      findings(token('SetTemporaryPwdExpiration', { ExpirationDate: '2026-12-01T00:00:00' }))[0].rule,
      'schema.format',
    );
  });
  test('an ExpirationDate in a response is not limited', () => {
    assert.deepEqual(
      findings({
        GetTemporaryPwdExpirationResponse: {
          Version: '3.1',
          Status: { ReasonCode: '0000' },
          ExpirationDate: '2099-01-01T00:00:00Z',
        },
      }),
      [],
    );
  });
});

describe('ACProfile → 4e08', () => {
  const req = (p: unknown) => ({ GetActivationCodeRequest: { Version: '3.1', ACProfile: p } });
  for (const bad of ['BREW', 'MOBILE_NUMERIC_MEDIUM', 'mobilephone', 'PHONE'])
    test(`${bad} predicts 4e08`, () => assert.deepEqual(codes(req(bad)), ['4e08']));
  for (const good of ['MOBILEPHONE', 'COMPUTER'])
    test(`${good} passes`, () => assert.deepEqual(findings(req(good)), []));
  test('the message lists the allowed profiles', () =>
    assert.match(findings(req('BREW'))[0].message, /MOBILEPHONE, COMPUTER/));
});

describe('required fields, types and patterns → 4e00', () => {
  test('a missing TokenId is an error on the operation key', () => {
    const doc = { ValidateRequest: { Version: '3.1', OTP: '123456' } };
    assert.deepEqual(codes(doc), ['4e00']);
    assert.equal(target(doc), '"ValidateRequest"');
    assert.match(findings(doc)[0].message, /Missing required field `TokenId`/);
  });
  test('a missing Version is an error', () =>
    assert.match(findings({ EnableTokenRequest: { TokenId: 'VSST1' } })[0].message, /`Version`/));
  test('a TokenId of the wrong type', () => assert.equal(target(token('EnableToken', { TokenId: 42 })), '42'));
  test('TokenId longer than 40 characters', () =>
    assert.deepEqual(codes(token('EnableToken', { TokenId: 'V'.repeat(41) })), ['4e00']));
  test('TokenId of 40 characters passes', () =>
    assert.deepEqual(findings(token('EnableToken', { TokenId: 'V'.repeat(40) })), []));
  test('TokenId object form with a type passes', () =>
    assert.deepEqual(findings(token('SendOTP', { TokenId: { value: '16505551212', type: 'SMS' } })), []));
  test('TokenId object form with a bad type fails', () =>
    assert.deepEqual(codes(token('SendOTP', { TokenId: { value: '16505551212', type: 'Fax' } })), ['4e00']));
  test('RequestId longer than 40 characters', () =>
    assert.deepEqual(codes(token('EnableToken', { RequestId: 'r'.repeat(41) })), ['4e00']));
  test('RequestId of 40 characters passes', () =>
    assert.deepEqual(findings(token('EnableToken', { RequestId: 'r'.repeat(40) })), []));
  test('a bad Reason value names the closest', () =>
    assert.match(findings(token('DisableToken', { Reason: 'Lst' }))[0].message, /did you mean Lost/));
  test('a boolean may be a JSON boolean or a string', () => {
    assert.deepEqual(
      findings(token('SetTemporaryPassword', { TemporaryPassword: '123456', OneTimeUseOnly: true })),
      [],
    );
    assert.deepEqual(
      findings(token('SetTemporaryPassword', { TemporaryPassword: '123456', OneTimeUseOnly: 'false' })),
      [],
    );
    assert.deepEqual(codes(token('SetTemporaryPassword', { TemporaryPassword: '123456', OneTimeUseOnly: 'yes' })), [
      '4e00',
    ]);
  });
});

describe('OTP rules', () => {
  test('Synchronize needs OTP1 and OTP2', () => {
    const fs = findings(token('Synchronize', { OTP1: '123456' }));
    assert.deepEqual(
      fs.map((f) => f.code),
      ['4e00'],
    );
    assert.match(fs[0].message, /OTP2/);
  });
  test('Synchronize with two consecutive codes passes', () =>
    assert.deepEqual(findings(token('Synchronize', { OTP1: '123456', OTP2: '654321' })), []));
  test('Synchronize with the same code twice is an error', () =>
    assert.equal(findings(token('Synchronize', { OTP1: '123456', OTP2: '123456' }))[0].rule, 'otp.sameTwice'));
  test('OTP2 without OTP1 is an error on OTP2', () => {
    const doc = token('ActivateToken', { OTP2: '123456' });
    assert.equal(target(doc), '"OTP2"');
    assert.equal(errors(doc).length, 1);
  });
  test('ActivateToken with OTP1 and OTP2 passes', () =>
    assert.deepEqual(findings(token('ActivateToken', { OTP1: '123456', OTP2: '234567' })), []));
  for (const bad of ['12345', '12345678901', '123 456', ''])
    test(`OTP ${JSON.stringify(bad)} is an error`, () =>
      assert.deepEqual(codes(token('Validate', { OTP: bad })), ['4e00']));
  test('an OTP that is valid but not 6 digits is a warning', () => {
    const fs = findings(token('Validate', { OTP: 'abc123' }));
    assert.deepEqual(
      fs.map((f) => [f.severity, f.rule]),
      [['warning', 'otp.notSixDigits']],
    );
  });
  test('a 6-digit OTP passes', () => assert.deepEqual(findings(token('Validate', { OTP: '123456' })), []));
});

describe('ValidateMultiple takes 2–5 TokenIds', () => {
  const req = (n: number) => ({
    ValidateMultipleRequest: {
      Version: '3.1',
      TokenIds: Array.from({ length: n }, (_, i) => `VSST0000000${i}`),
      OTP: '123456',
    },
  });
  for (const bad of [0, 1, 6])
    test(`${bad} is an error`, () => assert.match(errors(req(bad))[0].message, /ValidateMultiple takes 2 to 5/));
  for (const good of [2, 5]) test(`${good} passes`, () => assert.deepEqual(findings(req(good)), []));
});

describe('fields', () => {
  test('an unknown field is a warning on its key with the closest known field', () => {
    const doc = token('EnableToken', { TokenID: 'x' });
    const fs = findings(doc);
    assert.deepEqual(
      fs.map((f) => [f.severity, f.rule]),
      [['warning', 'schema.unknownField']],
    );
    assert.equal(target(doc), '"TokenID"');
    assert.match(fs[0].message, /Did you mean `TokenId`/);
  });
  test('a response may carry fields newer than the schema', () => {
    assert.deepEqual(
      findings({ GetTokenInformationResponse: { Version: '3.1', Status: { ReasonCode: '0000' }, BrandNewField: 1 } }),
      [],
    );
  });
  test('Id is accepted as an alias of RequestId, with a hint', () =>
    assert.deepEqual(
      findings(token('EnableToken', { Id: 'abc' })).map((f) => [f.severity, f.rule]),
      [['hint', 'requestId.alias']],
    ));
  test('Id and RequestId together are a warning', () =>
    assert.equal(findings(token('EnableToken', { Id: 'a', RequestId: 'b' }))[0].rule, 'requestId.both'));
});

describe('document shape', () => {
  test('an unknown operation names the closest known ones', () => {
    const fs = findings({ DeactivateTokenRequets: { Version: '3.1' } });
    assert.equal(fs[0].rule, 'document.unknownOperation');
    assert.match(fs[0].message, /Did you mean "DeactivateTokenRequest"/);
  });
  test('the bare SOAP operation name suggests the Request suffix', () =>
    assert.match(findings({ DeactivateToken: {} })[0].message, /"DeactivateTokenRequest"/));
  test('a misspelt operation without suffix is still matched', () =>
    assert.match(findings({ DeactivateTokn: {} })[0].message, /DeactivateTokenRequest/));
  test('two top-level keys are an error on the second', () => {
    const doc = {
      EnableTokenRequest: { Version: '3.1', TokenId: 'V' },
      DisableTokenRequest: { Version: '3.1', TokenId: 'V' },
    };
    assert.equal(
      target(doc, (f) => f.rule === 'document.manyKeys'),
      '"DisableTokenRequest"',
    );
  });
  for (const [name, text] of [
    ['an array', '[1, 2]'],
    ['a string', '"x"'],
    ['a number', '42'],
    ['null', 'null'],
  ]) {
    test(`${name} at the root is an error`, () => assert.equal(findings(text)[0].rule, 'document.notObject'));
  }
  test('an empty object is an error', () => assert.equal(findings('{}')[0].rule, 'document.empty'));
  test('an empty or blank file has no findings', () => {
    assert.deepEqual(findings(''), []);
    assert.deepEqual(findings('  \n\t '), []);
  });
});

describe('responses', () => {
  const seed =
    '{ "DeactivateTokenResponse": { "Version": "5.0", "RequestId": "SYMC87654321", "SameInitialState": "false", "Status": { "ReasonCode": "4e04", "StatusMessage": "Unsupported service protocol version" } } }';
  test('the troubleshooting page sample is a valid response', () => assert.deepEqual(findings(seed), []));
  test('an unknown reason code is a warning on the code', () => {
    const doc = { ValidateResponse: { Version: '3.1', Status: { ReasonCode: '4abc' } } };
    assert.deepEqual(
      findings(doc).map((f) => [f.severity, f.rule]),
      [['warning', 'reasonCode.unknown']],
    );
    assert.equal(target(doc), '"4abc"');
  });
  test('reason codes compare case-insensitively', () =>
    assert.deepEqual(findings({ ValidateResponse: { Version: '3.1', Status: { ReasonCode: '49B5' } } }), []));
  test('a missing Status is an error (without a reason code)', () => {
    const fs = findings({ ValidateResponse: { Version: '3.1' } });
    assert.deepEqual(
      fs.map((f) => [f.severity, f.code]),
      [['error', undefined]],
    );
    assert.match(fs[0].message, /`Status`/);
  });
  test('a ReasonCode that is not 4 hex digits is an error', () =>
    assert.equal(errors({ ValidateResponse: { Version: '3.1', Status: { ReasonCode: 'oops' } } }).length, 1));
});

describe('tolerant parsing', () => {
  test('comments and trailing commas do not stop analysis', () => {
    const text =
      '// lost phone\n{\n  /* block */ "DeactivateTokenRequest": {\n    "Version": "5.0", // wrong\n    "TokenId": "VSST12345678",\n  },\n}\n';
    assert.deepEqual(
      findings(text).map((f) => [f.rule, f.code]),
      [['version.unsupported', '4e04']],
    );
  });
  test('a syntax error is reported and the rest is still analysed', () => {
    const text = '{"DeactivateTokenRequest": {"Version": "5.0" "TokenId": "VSST1"}}';
    const fs = findings(text);
    assert.ok(fs.some((f) => f.rule === 'syntax' && /Comma expected/.test(f.message)));
    assert.ok(fs.some((f) => f.code === '4e04'));
  });
  test('a truncated document gets syntax errors, not an exception', () => {
    const full = JSON.stringify(
      token('SetTemporaryPassword', { TemporaryPassword: '12345', ExpirationDate: inDays(40) }),
    );
    for (let i = 0; i <= full.length; i++) assert.doesNotThrow(() => analyze(full.slice(0, i), { now: NOW }));
  });
  test('a BOM is ignored and positions stay those of the text', () => {
    const text = '\uFEFF{"EnableTokenRequest": {"Version": "5.0", "TokenId": "V"}}';
    const [f] = findings(text);
    assert.equal(f.code, '4e04');
    assert.equal(text.slice(f.offset, f.offset + f.length), '"5.0"');
  });
  test('no finding covers the whole document', () => {
    for (const doc of ['[1]', '{}', '{"X": 1}', JSON.stringify({ ValidateRequest: { Version: '3.1' } })]) {
      for (const f of findings(doc)) assert.ok(f.length < doc.length, `${f.rule} covers ${doc}`);
    }
  });
});

describe('regressions found by the fuzzers', () => {
  test('fuzz: an unterminated comment at the end of the text gets a span inside the text', () => {
    const text = '{\r    dminCodeRequest": []"GetAdminCodeRequest": []\r}/*';
    for (const f of analyze(text))
      assert.ok(f.offset + f.length <= text.length, `${f.rule} ${f.offset}+${f.length} > ${text.length}`);
  });
});

describe('bad input never throws', () => {
  const cases: [string, string][] = [
    ['binary garbage', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
    ['NUL bytes', '{"EnableTokenRequest": {"Version": "3.1\u0000", "TokenId": "\u0000"}}'],
    ['lone surrogates', '{"EnableTokenRequest": {"Version": "\ud800", "TokenId": "\udfff"}}'],
    ['100 000 nested arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    [
      '100 000 nested objects inside a request',
      '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "V", "X": ' +
        '{"a":'.repeat(100_000) +
        '1' +
        '}'.repeat(100_000) +
        '}}',
    ],
    ['unclosed 100 000 nesting', '{"a":'.repeat(100_000)],
    ['CR line ends', '{\r"EnableTokenRequest": {\r"Version": "5.0",\r"TokenId": "V"}}'],
  ];
  for (const [name, text] of cases) test(name, () => assert.ok(Array.isArray(analyze(text))));
  test('syntax errors are capped for non-JSON files', () => {
    const fs = analyze(cases[0][1]);
    assert.ok(fs.length <= 101, `${fs.length} findings`);
  });
  test('a 5 MB response is analysed', () => {
    const many = Array.from({ length: 40_000 }, (_, i) => ({ name: `attr${i}`, value: 'x'.repeat(100) }));
    const text = JSON.stringify({
      SetTokenAttributesResponse: { Version: '3.1', Status: { ReasonCode: '0000' }, Attribute: many },
    });
    assert.ok(text.length > 5_000_000);
    const fs = analyze(text);
    assert.equal(fs.length, 1); // maxItems 16
    assert.match(fs[0].message, /Attribute/);
  });
});
