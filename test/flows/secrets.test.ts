// Secrets (OTPs, temporary passwords, delivered codes, variables marked secret) never appear in any
// report: console, JUnit, JSON, TAP. A diff of two secret values says only that they differ.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REDACTED } from '../../core/redact';
import { secretFromHex, totp } from '../../core/simulator';
import { CLOCK, cli, flow, send, tempDir, writeFlow } from './helpers';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const SECRET_VAR = 'Q7w3Zk';
const rid = (fields: Record<string, unknown>, id: string) => ({ ...fields, RequestId: id });

/** Every value the flow handles that must stay hidden; the codes the simulator makes are random, so
 *  the flow also puts each of them where a report would show it if redaction failed. */
const secretFlow = flow(
  [
    { name: 'the code', simulator: { otp: 'SYMC10000001' }, capture: { code: 'OTP' } },
    {
      name: 'validate',
      send: send('Validate', rid({ TokenId: 'SYMC10000001', OTP: '${code}' }, 'r1')),
      expect: { reasonCode: '0000' },
    },
    {
      name: 'temporary',
      send: send('GenerateTemporaryPassword', rid({ TokenId: 'SYMC10000003' }, 'r2')),
      capture: { temporary: 'TemporaryPassword' },
    },
    {
      name: 'set own',
      send: send('SetTemporaryPassword', rid({ TokenId: 'SYMC10000001', TemporaryPassword: '${pin}' }, 'r3')),
      expect: { reasonCode: '0000' },
    },
    { name: 'register', send: send('Register', rid({ TokenId: { value: '15555550199', type: 'SMS' } }, 'r4')) },
    { name: 'delivered', simulator: { deliveries: '15555550199' }, capture: { sms: 'last.code' } },
    {
      name: 'secret diffs',
      send: send('GetTokenInformation', rid({ TokenId: 'SYMC10000001' }, 'r5')),
      expect: {
        fields: {
          'TokenInformation.TokenId': '${temporary}',
          'TokenInformation.Adapter': '${sms}',
          'TokenInformation.TokenKind': '${pin}',
          'TokenInformation.LastUpdate': '${code}',
        },
      },
    },
  ],
  { vars: { pin: { value: SECRET_VAR, secret: true } } },
);

test('no secret in the console, JUnit, JSON or TAP reports; secret diffs say only that the values differ', async () => {
  const file = writeFlow(dir, 'secret.vipflow.json', secretFlow);
  const reports = { junit: path.join(dir, 'r.xml'), json: path.join(dir, 'r.json'), tap: path.join(dir, 'r.tap') };
  const r = await cli(['test', file, ...Object.entries(reports).map(([k, f]) => `--reporter=${k}=${f}`)]);
  assert.equal(r.status, 1, r.stderr);
  const otp = totp(secretFromHex('3132333435363738393031323334353637383930'), Date.parse(CLOCK));
  const outputs: Record<string, string> = {
    console: r.stdout + r.stderr,
    ...Object.fromEntries(Object.entries(reports).map(([k, f]) => [k, fs.readFileSync(f, 'utf8')])),
  };
  for (const [name, text] of Object.entries(outputs)) {
    assert.ok(!text.includes(SECRET_VAR), `${name} shows the secret variable`);
    assert.ok(!text.includes(otp), `${name} shows the OTP`);
    // The random codes (temporary password, delivered SMS code) are six digits: none may show.
    assert.doesNotMatch(text, /(?<![\d.-])\d{6}(?![\d:])/, `${name} shows a six-digit code`);
    for (const path of [
      'TokenInformation.TokenId',
      'TokenInformation.Adapter',
      'TokenInformation.TokenKind',
      'TokenInformation.LastUpdate',
    ]) {
      assert.ok(
        text.includes(`${path}: the secret values differ`) || name === 'junit' || name === 'tap',
        `${name}: ${path} diff\n${text}`,
      );
    }
    assert.ok(text.includes('the secret values differ'), name);
  }
  const json = JSON.parse(outputs.json) as {
    flows: { steps: { transcript: string[]; problem?: { expected: string } }[] }[];
  };
  const steps = json.flows[0].steps;
  assert.ok(
    steps[2].transcript[1].includes(`"TemporaryPassword":"${REDACTED}"`),
    'the generated temporary password is redacted in the transcript',
  );
  assert.equal(
    steps[6].problem?.expected,
    Array.from(
      { length: 4 },
      (_, i) =>
        `${['TokenInformation.TokenId', 'TokenInformation.Adapter', 'TokenInformation.TokenKind', 'TokenInformation.LastUpdate'][i]}: ${REDACTED}`,
    ).join('\n'),
  );
});

test('two secret values that match pass without being shown', async () => {
  const file = writeFlow(
    dir,
    'match.vipflow.json',
    flow([
      { name: 'the code', simulator: { otp: 'SYMC10000001' }, capture: { code: 'OTP' } },
      { name: 'again', simulator: { otp: 'SYMC10000001' }, expect: { fields: { OTP: '${code}' } } },
    ]),
  );
  const r = await cli(['test', file, '--reporter', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes(totp(secretFromHex('3132333435363738393031323334353637383930'), Date.parse(CLOCK))));
});
