// Every quick fix is applied and the document re-analysed: the finding it targets is gone and
// no error appears that was not there before.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { applyEdits } from 'jsonc-parser';
import { operations } from '../../core/data/catalog';
import { analyze, VipDocument } from '../../core/engine';
import { operationSkeleton } from '../../core/engine/skeleton';
import { quickFixes, type QuickFix } from '../../core/engine/codeActions';
import type { Finding } from '../../core/engine/types';

const NOW = new Date('2026-11-29T12:00:00Z');
const VERSIONS = ['2.0', '3.0', '3.1'];
const settings = { now: NOW, supportedVersions: VERSIONS };
const ctx = { now: NOW, supportedVersions: VERSIONS };

const pretty = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
/** What a finding is about: its rule, where, and (for a missing field) which field. */
const id = (f: Pick<Finding, 'rule' | 'path' | 'data'>) =>
  `${f.rule} ${JSON.stringify(f.path)} ${String(f.data && 'missing' in f.data ? f.data.missing : '')}`;

/** The findings of `text` with `rule`, and the fixes offered for the first one. */
function fixesFor(text: string, rule: string): { finding: Finding; fixes: QuickFix[] } {
  const finding = analyze(text, settings).find((f) => f.rule === rule);
  assert.ok(finding, `expected a ${rule} finding in ${text}`);
  return { finding, fixes: quickFixes(new VipDocument(text), finding, ctx) };
}

/** Applies `fix` and checks the result; returns the new text. */
function applyAndCheck(text: string, finding: Finding, fix: QuickFix): string {
  const before = analyze(text, settings);
  const fixed = applyEdits(text, fix.edits);
  const after = analyze(fixed, settings);
  assert.ok(
    !after.some((f) => id(f) === id(finding)),
    `"${fix.title}" left a ${finding.rule} finding at the same path: ${fixed}`,
  );
  const known = new Set(before.map(id));
  const added = after.filter((f) => f.severity === 'error' && !known.has(id(f)));
  assert.deepEqual(
    added.map((f) => f.message),
    [],
    `"${fix.title}" added errors: ${fixed}`,
  );
  return fixed;
}

/** Applies each fix in turn to the original text; returns the fixed texts by title. */
function checkAll(text: string, rule: string, expectedTitles: RegExp[]): Map<string, string> {
  const { finding, fixes } = fixesFor(text, rule);
  assert.equal(fixes.length, expectedTitles.length, `fixes: ${fixes.map((f) => f.title).join(' | ')}`);
  expectedTitles.forEach((re, i) => assert.match(fixes[i].title, re));
  const out = new Map<string, string>();
  for (const fix of fixes) out.set(fix.title, applyAndCheck(text, finding, fix));
  return out;
}

const preferred = (text: string, rule: string) =>
  fixesFor(text, rule)
    .fixes.filter((f) => f.isPreferred)
    .map((f) => f.title);

describe('4e04 unsupported Version', () => {
  const text = pretty({ DeactivateTokenRequest: { Version: '5.0', TokenId: 'VSST12345678' } });
  test('one fix per supported version, each clears 4e04', () => {
    const fixed = checkAll(text, 'version.unsupported', [/"2\.0"/, /"3\.0"/, /"3\.1"/]);
    assert.match(fixed.get('Set Version to "3.1"')!, /"Version": "3\.1"/);
  });
  test('the default version is the preferred fix', () =>
    assert.deepEqual(preferred(text, 'version.unsupported'), ['Set Version to "3.1"']));
});

describe('4952 TemporaryPassword', () => {
  const req = (pw: unknown) =>
    pretty({ SetTemporaryPasswordRequest: { Version: '3.1', TokenId: 'VSST12345678', TemporaryPassword: pw } });
  test('a wrong length is only offered clearing, never a made-up value', () => {
    const fixed = checkAll(req('12345'), 'schema.pattern', [/Clear the temporary password/]);
    assert.match([...fixed.values()][0], /"TemporaryPassword": ""/);
    assert.deepEqual(preferred(req('12345'), 'schema.pattern'), []);
  });
  test('a six-digit number is written as a string (preferred), or cleared', () => {
    const fixed = checkAll(req(123456), 'schema.type', [/as the string "123456"/, /Clear/]);
    assert.match([...fixed.values()][0], /"TemporaryPassword": "123456"/);
    assert.equal(fixesFor(req(123456), 'schema.type').fixes[0].isPreferred, true);
  });
  test('a number of the wrong length gets nothing beyond clearing', () => {
    checkAll(req(12345), 'schema.type', [/Clear/]);
  });
  test('spaces around a valid code are trimmed', () => {
    checkAll(req(' a1b2c3 '), 'schema.pattern', [/Remove the spaces/, /Clear/]);
  });
});

describe('4953 ExpirationDate', () => {
  const req = (date: string) =>
    pretty({
      SetTemporaryPasswordRequest: {
        Version: '3.1',
        TokenId: 'VSST12345678',
        TemporaryPassword: '123456',
        ExpirationDate: date,
      },
    });
  test('too far ahead: now + 1 day or the 30-day maximum (preferred)', () => {
    const text = req('2027-06-01T00:00:00Z');
    const fixed = checkAll(text, 'expiration.tooFar', [
      /2026-11-30T12:00:00Z \(now \+ 1 day\)/,
      /2026-12-29T12:00:00Z \(now \+ 30 days/,
    ]);
    assert.equal(fixed.size, 2);
    assert.deepEqual(preferred(text, 'expiration.tooFar'), [fixesFor(text, 'expiration.tooFar').fixes[1].title]);
  });
  test('in the past: now + 1 day is preferred', () => {
    const text = req('2020-01-01T00:00:00Z');
    checkAll(text, 'expiration.past', [/now \+ 1 day/, /now \+ 30 days/]);
    assert.match(preferred(text, 'expiration.past')[0], /now \+ 1 day/);
  });
  test('GenerateTemporaryPassword offers its own 7-day maximum', () => {
    const text = pretty({
      GenerateTemporaryPasswordRequest: {
        Version: '3.1',
        TokenId: 'VSST12345678',
        ExpirationDate: '2027-01-01T00:00:00Z',
      },
    });
    checkAll(text, 'expiration.tooFar', [/now \+ 1 day/, /2026-12-06T12:00:00Z \(now \+ 7 days/]);
  });
  test('a date in the wrong format gets both dates', () => {
    checkAll(req('tomorrow'), 'schema.format', [/now \+ 1 day/, /now \+ 30 days/]);
  });
});

describe('enums', () => {
  test('4e08: ACProfile is replaced with each allowed profile', () => {
    const text = pretty({ GetActivationCodeRequest: { Version: '3.1', ACProfile: 'BREW' } });
    const { finding } = fixesFor(text, 'schema.enum');
    assert.equal(finding.code, '4e08');
    checkAll(text, 'schema.enum', [/"MOBILEPHONE"/, /"COMPUTER"/]);
  });
  test('the closest allowed value is preferred', () => {
    const text = pretty({ DeactivateTokenRequest: { Version: '3.1', TokenId: 'VSST12345678', Reason: 'lost' } });
    assert.deepEqual(preferred(text, 'schema.enum'), ['Set Reason to "Lost"']);
    checkAll(
      text,
      'schema.enum',
      Array.from({ length: 8 }, () => /Set Reason to/),
    );
  });
  test('a nested enum (TokenId.type) is fixed in place', () => {
    const text = pretty({ DeactivateTokenRequest: { Version: '3.1', TokenId: { value: '16505551212', type: 'Sms' } } });
    checkAll(text, 'schema.enum', [/"SMS"/, /"Voice"/, /"Service"/]);
  });
});

describe('missing fields', () => {
  test('a missing required field is added with a valid placeholder, in schema order', () => {
    const text = pretty({ DeactivateTokenRequest: { Version: '3.1', Reason: 'Lost' } });
    const [fixed] = checkAll(text, 'schema.required', [/Add required field "TokenId"/]).values();
    assert.ok(fixed.indexOf('"TokenId"') < fixed.indexOf('"Reason"'), fixed);
    assert.deepEqual(preferred(text, 'schema.required'), ['Add required field "TokenId"']);
  });
  test('Synchronize without OTP2 gets OTP2 after OTP1', () => {
    const text = pretty({ SynchronizeRequest: { Version: '3.1', TokenId: 'VSST12345678', OTP1: '123456' } });
    const [fixed] = checkAll(text, 'schema.required', [/Add required field "OTP2"/]).values();
    assert.ok(fixed.indexOf('"OTP1"') < fixed.indexOf('"OTP2"'));
  });
  test('several missing fields: one at a time or all at once', () => {
    const text = '{ "SynchronizeRequest": { "Version": "3.1" } }';
    const fixed = checkAll(text, 'schema.required', [
      /"TokenId"/,
      /all missing required fields \(TokenId, OTP1, OTP2\)/,
    ]);
    assert.equal(analyze([...fixed.values()][1], settings).length, 0);
  });
  test('a missing nested field (Destination.type) is added inside its object', () => {
    const text = pretty({ DeliverTxnOTPRequest: { Version: '3.1', Destination: { value: '16505551212' } } });
    const finding = analyze(text, settings).find((f) => f.rule === 'schema.required' && f.data.missing === 'type');
    assert.ok(finding, JSON.stringify(analyze(text, settings)));
    const [fix] = quickFixes(new VipDocument(text), finding, ctx);
    applyAndCheck(text, finding, fix);
  });
  test('ActivateToken with OTP2 but no OTP1 gets OTP1', () => {
    const text = pretty({ ActivateTokenRequest: { Version: '3.1', TokenId: 'VSST12345678', OTP2: '234567' } });
    const [fixed] = checkAll(text, 'schema.dependency', [/Add field "OTP1"/]).values();
    assert.ok(fixed.indexOf('"OTP1"') < fixed.indexOf('"OTP2"'));
  });
});

describe('names', () => {
  test('a misspelt field is renamed to the closest known field, or removed', () => {
    const text = pretty({ DeactivateTokenRequest: { Version: '3.1', TokenId: 'VSST12345678', Reasn: 'Lost' } });
    const fixed = checkAll(text, 'schema.unknownField', [/Rename "Reasn" to "Reason"/, /Remove "Reasn"/]);
    assert.match([...fixed.values()][0], /"Reason": "Lost"/);
    assert.deepEqual(preferred(text, 'schema.unknownField'), ['Rename "Reasn" to "Reason"']);
  });
  test('removing an unknown field keeps the JSON valid (commas)', () => {
    const text = '{"DeactivateTokenRequest": {"Version": "3.1", "Colour": "red", "TokenId": "VSST12345678"}}';
    const [fixed] = checkAll(text, 'schema.unknownField', [/Remove "Colour"/]).values();
    assert.deepEqual(JSON.parse(fixed), { DeactivateTokenRequest: { Version: '3.1', TokenId: 'VSST12345678' } });
  });
  test('a rename is not offered when the target field is already there', () => {
    const text = pretty({
      DeactivateTokenRequest: { Version: '3.1', TokenId: 'VSST12345678', Reason: 'Lost', Reasn: 'Lost' },
    });
    checkAll(text, 'schema.unknownField', [/Remove "Reasn"/]);
  });
  test('a misspelt operation is renamed to the closest one', () => {
    const text = pretty({ DeactivateTokenRequst: { Version: '3.1', TokenId: 'VSST12345678' } });
    const { finding, fixes } = fixesFor(text, 'document.unknownOperation');
    assert.match(fixes[0].title, /Rename "DeactivateTokenRequst" to "DeactivateTokenRequest"/);
    assert.deepEqual(
      fixes.filter((f) => f.isPreferred),
      [fixes[0]],
    );
    assert.deepEqual(analyze(applyAndCheck(text, finding, fixes[0]), settings), []);
  });
  test('an operation name without its suffix gets Request', () => {
    checkAll(pretty({ DeactivateToken: { Version: '3.1', TokenId: 'VSST12345678' } }), 'document.unknownOperation', [
      /to "DeactivateTokenRequest"/,
    ]);
  });
  test('Id is renamed to RequestId', () => {
    const text = pretty({ DeactivateTokenRequest: { Version: '3.1', Id: 'abc', TokenId: 'VSST12345678' } });
    const [fixed] = checkAll(text, 'requestId.alias', [/Rename "Id" to "RequestId"/]).values();
    assert.deepEqual(analyze(fixed, settings), []);
  });
  test('Id next to RequestId is removed', () => {
    const text = pretty({
      DeactivateTokenRequest: { Version: '3.1', RequestId: 'abc', Id: 'abc', TokenId: 'VSST12345678' },
    });
    checkAll(text, 'requestId.both', [/Remove "Id"/]);
  });
});

describe('value shape', () => {
  test('a numeric OTP is written as a string', () => {
    checkAll(pretty({ ValidateRequest: { Version: '3.1', TokenId: 'VSST12345678', OTP: 123456 } }), 'schema.type', [
      /as the string "123456"/,
    ]);
  });
  test('a RequestId over 40 characters is shortened or replaced', () => {
    const fixed = checkAll(
      pretty({ DeactivateTokenRequest: { Version: '3.1', RequestId: 'x'.repeat(50), TokenId: 'VSST12345678' } }),
      'schema.maxLength',
      [/Shorten RequestId to 40/, /new request id/],
    );
    assert.match([...fixed.values()][0], new RegExp(`"${'x'.repeat(40)}"`));
  });
  test('tab-indented documents get tab-indented insertions', () => {
    const text = '{\n\t"DeactivateTokenRequest": {\n\t\t"Version": "3.1"\n\t}\n}\n';
    const [fixed] = checkAll(text, 'schema.required', [/"TokenId"/]).values();
    assert.match(fixed, /\n\t\t"TokenId": "123456"\n/);
  });
});

describe('document shape and syntax', () => {
  test('an empty object can start one of the common requests', () => {
    const text = '{\n}\n';
    const { finding, fixes } = fixesFor(text, 'document.empty');
    assert.ok(fixes.length >= 3, fixes.map((f) => f.title).join());
    assert.ok(fixes.some((f) => f.title === 'Start a DeactivateToken request'));
    for (const fix of fixes) assert.deepEqual(analyze(applyAndCheck(text, finding, fix), settings), [], fix.title);
  });
  test('a missing comma is inserted after the previous value', () => {
    const text = '{\n  "DeactivateTokenRequest": {\n    "Version": "3.1"\n    "TokenId": "VSST12345678"\n  }\n}\n';
    const { finding, fixes } = fixesFor(text, 'syntax');
    assert.deepEqual(
      fixes.map((f) => [f.title, f.isPreferred]),
      [['Insert the missing comma', true]],
    );
    assert.deepEqual(analyze(applyAndCheck(text, finding, fixes[0]), settings), []);
  });
  test('brackets left open at the end are closed', () => {
    const text = '{ "DeactivateTokenRequest": { "Version": "3.1", "TokenIds": ["a"';
    const finding = analyze(text, settings).find((f) => f.rule === 'syntax')!;
    const fixes = quickFixes(new VipDocument(text), finding, ctx);
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Close the open brackets (]}})'],
    );
    const fixed = applyEdits(text, fixes[0].edits);
    assert.ok(!analyze(fixed, settings).some((f) => f.rule === 'syntax'), fixed);
  });
  test('other syntax errors get no guess', () => {
    const text = '{ "A": nope }';
    const finding = analyze(text, settings).find((f) => f.rule === 'syntax')!;
    assert.deepEqual(quickFixes(new VipDocument(text), finding, ctx), []);
  });
});

describe('every operation', () => {
  const requests = operations.map((op) => ({ op: op.name, text: operationSkeleton(op.name, 'request', ctx) }));
  test('removing any required field: "Add required field" restores a clean document', () => {
    let checked = 0;
    for (const { op, text } of requests) {
      const body = (JSON.parse(text) as Record<string, Record<string, unknown>>)[`${op}Request`];
      for (const field of Object.keys(body)) {
        const { [field]: _removed, ...rest } = body;
        const broken = pretty({ [`${op}Request`]: rest });
        const finding = analyze(broken, settings).find(
          (f) => f.rule === 'schema.required' && f.data?.missing === field,
        );
        assert.ok(finding, `${op} without ${field}`);
        const fix = quickFixes(new VipDocument(broken), finding, ctx).find((x) => x.isPreferred);
        assert.ok(fix, `${op} without ${field}: no preferred fix`);
        assert.deepEqual(analyze(applyEdits(broken, fix.edits), settings), [], `${op} without ${field}`);
        checked++;
      }
    }
    assert.ok(checked > operations.length, `only ${checked} fields checked`);
  });
  test('an invalid value in any enum field: each offered value clears it', () => {
    let checked = 0;
    for (const { op, text } of requests) {
      const body = (JSON.parse(text) as Record<string, Record<string, unknown>>)[`${op}Request`];
      for (const [field, value] of Object.entries(body)) {
        if (typeof value !== 'string' || !/^[A-Z]+$/.test(value)) continue; // enum placeholders
        const broken = pretty({ [`${op}Request`]: { ...body, [field]: 'NOT_AN_OPTION' } });
        const finding = analyze(broken, settings).find((f) => f.rule === 'schema.enum');
        assert.ok(finding, `${op}.${field}`);
        for (const fix of quickFixes(new VipDocument(broken), finding, ctx)) applyAndCheck(broken, finding, fix);
        checked++;
      }
    }
    assert.ok(checked >= 1);
  });
});

describe('robustness', () => {
  test('findings without a path or with a path that no longer exists give no fix', () => {
    const doc = new VipDocument('{ "DeactivateTokenRequest": {');
    assert.deepEqual(quickFixes(doc, { rule: 'syntax' }, ctx), []);
    assert.deepEqual(
      quickFixes(
        doc,
        {
          rule: 'schema.unknownField',
          path: ['DeactivateTokenRequest', 'Nope'],
          data: { field: 'Nope', suggestions: ['Version'] },
        },
        ctx,
      ).length <= 2,
      true,
    );
    assert.doesNotThrow(() =>
      quickFixes(doc, { rule: 'schema.enum', path: ['X', 'Y'], data: { allowed: 'oops' } }, ctx),
    );
  });
  test('a stale finding whose node is gone gets no fix', () => {
    const doc = new VipDocument(pretty({ DeactivateTokenRequest: { Version: '3.1', TokenId: 'VSST12345678' } }));
    assert.deepEqual(
      quickFixes(
        doc,
        { rule: 'version.unsupported', path: ['DeactivateTokenRequest', 'Nope'], data: { supported: ['3.1'] } },
        ctx,
      ),
      [],
    );
    assert.deepEqual(
      quickFixes(
        doc,
        { rule: 'schema.required', path: ['DeactivateTokenRequest', 'Gone'], data: { missing: 'value' } },
        ctx,
      ),
      [],
    );
    assert.deepEqual(
      quickFixes(
        doc,
        {
          rule: 'schema.unknownField',
          path: ['DeactivateTokenRequest', 'Reasn'],
          data: { field: 'Reasn', suggestions: ['Reason'] },
        },
        ctx,
      ),
      [],
    );
  });
});

describe('regressions found by the fuzzers', () => {
  test('fuzz case 7720: adding a missing field before an unterminated comment offers no fix instead of throwing "Overlapping edit"', () => {
    const text = '{\n  "CheckOTPRequest": {\n    "Id":/*';
    const doc = new VipDocument(text);
    for (const finding of analyze(doc)) {
      assert.doesNotThrow(() =>
        quickFixes(doc, finding, { now: new Date('2026-11-29T12:00:00Z'), supportedVersions: ['3.1'] }),
      );
    }
    assert.doesNotThrow(() =>
      quickFixes(
        doc,
        { rule: 'schema.required', path: ['CheckOTPRequest'], data: { missing: 'TokenId' } },
        { now: new Date(), supportedVersions: ['3.1'] },
      ),
    );
  });
});
