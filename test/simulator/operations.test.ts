// Every operation's success path over a real socket, each response checked against its schema.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { operations } from '../../core/data/catalog';
import { validatorFor } from '../../core/schema/validators';
import { ocra, proofOfPossession, secretFromHex, startSimulator, type RunningSimulator } from '../../core/simulator';
import { NOW, code, vip, type Body } from './helpers';

let sim: RunningSimulator;
const covered = new Set<string>();
const SECRET = secretFromHex('3132333435363738393031323334353637383930');

before(async () => {
  sim = await startSimulator({ now: NOW });
});
after(() => sim.close());

/** Calls the operation, expects 0000 and a response that its schema accepts. */
async function ok(operation: string, fields: Record<string, unknown> = {}): Promise<Body> {
  const body = await vip(sim, operation, { RequestId: `req${operation}`, ...fields });
  assert.equal(code(body), '0000', `${operation}: ${JSON.stringify(body.Status)}`);
  assert.equal(body.Status.StatusMessage, 'Success');
  assert.equal(body.RequestId, `req${operation}`, 'RequestId is echoed');
  assert.equal(body.Version, '3.1');
  const validate = validatorFor(operation, 'response');
  assert.ok(
    validate({ [`${operation}Response`]: body }),
    `${operation} response breaks its schema: ${JSON.stringify(validate.errors)}`,
  );
  covered.add(operation);
  return body;
}

test('token life cycle: activate, disable, enable, deactivate, unlock', async () => {
  assert.equal((await ok('ActivateToken', { TokenId: 'SYMC10000005' })).SameInitialState, 'false');
  assert.equal(sim.token('SYMC10000005')?.state, 'ENABLED');
  assert.equal((await ok('DisableToken', { TokenId: 'SYMC10000005', Reason: 'Lost' })).SameInitialState, 'false');
  assert.equal(sim.token('SYMC10000005')?.state, 'DISABLED');
  await ok('EnableToken', { TokenId: 'SYMC10000005' });
  await ok('DeactivateToken', { TokenId: 'SYMC10000005', Reason: 'Stolen' });
  assert.equal(sim.token('SYMC10000005')?.state, 'INACTIVE');
  await ok('UnlockToken', { TokenId: 'SYMC10000004' });
  assert.equal(sim.token('SYMC10000004')?.state, 'ENABLED');
});

test('codes: Validate, ValidateMultiple, Synchronize, CheckOTP', async () => {
  const totp = sim.otp('SYMC10000001')!;
  const validated = await ok('Validate', { TokenId: 'SYMC10000001', OTP: totp });
  assert.deepEqual(validated.TokenCategoryDetails, {
    CategoryId: 70,
    FormFactor: 'MOBILE',
    MovingFactor: 'TIME',
    OtpGeneratedBy: 'SOFTWARE',
  });
  const multi = await ok('ValidateMultiple', {
    TokenIds: ['SYMC10000001', 'VSMT10000002'],
    OTP: sim.otp('VSMT10000002')!,
    SendSuccessfulTokenId: true,
  });
  assert.equal(multi.SuccessfulTokenId, 'VSMT10000002');
  await ok('Synchronize', {
    TokenId: 'VSMT10000002',
    OTP1: sim.otp('VSMT10000002', 20)!,
    OTP2: sim.otp('VSMT10000002', 21)!,
  });
  assert.equal(sim.token('VSMT10000002')?.counter, 1 + 22, 'the counter moves past the two codes');
  await ok('CheckOTP', { TokenId: 'SYMC10000001', OTP1: sim.otp('SYMC10000001')! });
});

test('temporary passwords: set, generate, send, get and set expiration', async () => {
  await ok('SetTemporaryPassword', {
    TokenId: 'SYMC10000003',
    TemporaryPassword: '246810',
    ExpirationDate: '2026-06-05T00:00:00Z',
    OneTimeUseOnly: true,
  });
  assert.equal(
    (await ok('GetTemporaryPwdExpiration', { TokenId: 'SYMC10000003' })).ExpirationDate,
    '2026-06-05T00:00:00.000Z',
  );
  await ok('SetTemporaryPwdExpiration', { TokenId: 'SYMC10000003', ExpirationDate: '2026-06-10T00:00:00Z' });
  assert.equal(
    (await ok('GetTemporaryPwdExpiration', { TokenId: 'SYMC10000003' })).ExpirationDate,
    '2026-06-10T00:00:00.000Z',
  );
  const generated = await ok('GenerateTemporaryPassword', {
    TokenId: 'SYMC10000001',
    ExpirationDate: '2026-06-02T00:00:00Z',
  });
  assert.match(String(generated.TemporaryPassword), /^[0-9]{6}$/);
  await ok('SendTemporaryPassword', { TokenId: '15555550100', PhoneNumber: '15555550100' });
  const sent = sim.deliveries().at(-1)!;
  assert.equal(sent.kind, 'TemporaryPassword');
  assert.match(String(sent.code), /^[0-9]{6}$/);
});

test('GetTokenInformation reports the §5 fields', async () => {
  const info = (await ok('GetTokenInformation', { TokenId: 'SYMC10000003', includeBadAttemptsCount: true }))
    .TokenInformation as Record<string, unknown>;
  assert.equal(info.TokenId, 'SYMC10000003');
  assert.equal(info.TokenStatus, 'DISABLED');
  assert.equal(info.Adapter, 'OATH_TIME');
  assert.equal(info.TokenKind, 'SOFTWARE');
  assert.equal(info.TempPasswordExpirationDate, '2026-06-10T00:00:00.000Z');
  assert.equal(info.TempPasswordOneTimeUse, 'true');
  assert.equal(info.ReportedReason, 'TemporarilyUnavailable');
  assert.equal(info.BadAttemptsCount, 0);
  assert.ok(info.ExpirationDate && info.LastUpdate);
});

test('phones: Register, SendOTP, DeliverSMS', async () => {
  const registered = await ok('Register', { TokenId: { value: '15555550199', type: 'Voice' }, DeliverOTP: 'false' });
  assert.match(String(registered.OTP), /^[0-9]{6}$/, 'without delivery the code comes back to the caller');
  await ok('ActivateToken', { TokenId: '15555550199', OTP1: registered.OTP });
  assert.equal(sim.token('15555550199')?.adapter, 'VOICE_OTP');
  await ok('SendOTP', { TokenId: '15555550100' });
  await ok('DeliverSMS', { TokenId: '15555550100', SMSDeliveryInfo: { Message: 'Your parcel is on its way' } });
  assert.equal(sim.deliveries().at(-1)?.message, 'Your parcel is on its way');
});

test('account operations: GetServerTime, GetActivationCode', async () => {
  const time = await ok('GetServerTime');
  assert.equal(time.Timestamp, NOW, 'the fixed clock');
  const ac = await ok('GetActivationCode', { ACProfile: 'MOBILEPHONE' });
  assert.match(String(ac.ActivationCode), /^[0-9]{8}$/);
  assert.equal(ac.ACExpiry, '2026-06-02T12:00:00.000Z');
});

test('less common operations: GetAdminCode, ValidateCR, SetTokenAttributes, transaction verification', async () => {
  assert.match(
    String((await ok('GetAdminCode', { TokenId: 'VSMT10000002', RequestCode: 'A1B2C3' })).RecoveryCode),
    /^[0-9]{8}$/,
  );
  const cr = await ok('ValidateCR', {
    TokenIds: ['VSOC10000007'],
    NumericChallenge: '11111111',
    Response: ocra(SECRET, '11111111'),
    CheckOnly: false,
  });
  assert.equal(cr.SuccessfulTokenId, 'VSOC10000007');
  const attrs = await ok('SetTokenAttributes', {
    TokenId: 'SYMC10000001',
    ProofOfPossession: { algorithm: 'HMAC-SHA256', value: proofOfPossession(SECRET, 'SYMC10000001', 'HMAC-SHA256') },
    Attribute: [{ name: 'device', value: 'laptop' }],
  });
  assert.deepEqual(attrs.Attribute, [{ name: 'device', value: 'laptop' }]);

  const submitted = await ok('SubmitTxnVerification', { PhoneNumber: '15555550102', VoiceTemplateName: 'payment' });
  assert.equal((await ok('PollTxnVerification', { TxnId: submitted.TxnId })).TxnOTP, submitted.TxnOTP);
  const delivered = await ok('DeliverTxnOTP', { Destination: { value: '15555550100', type: 'SMS' } });
  const txnCode = sim.deliveries().at(-1)!.code;
  await ok('VerifyTxnOTP', { TxnId: delivered.TxnId, TxnOTP: txnCode });
});

test('adapter configuration: read, change, read back; the lockout follows MaxFailedAttempts', async () => {
  const before = await ok('GetAdapterConfiguration', { Adapter: 'OATH_TIME' });
  assert.deepEqual(
    Object.keys(before).filter((k) => k.startsWith('AdapterInfo')),
    ['AdapterInfoHOTPTimeBased'],
    'only the block of the adapter asked for',
  );
  assert.deepEqual(before.AdapterInfoHOTPTimeBased, {
    MaxFailedAttempts: 5,
    ValidationRuntimeWindow: 10,
    RunTimeSyncWindow: 100,
    AutoSyncEnable: 'false',
    RunTimeAutoSyncWindow: 20,
    AutoSyncThreshold: 5,
    SuccessiveTimeStep: 1,
    InitialValidationWindow: 10,
  });
  const sms = await ok('GetAdapterConfiguration', { Adapter: 'SMS_OTP' });
  assert.equal((sms.AdapterInfoSMSOTP as { ValidityPeriod: number }).ValidityPeriod, 300);
  assert.deepEqual(
    Object.keys((await ok('GetAdapterConfiguration', { Adapter: 'SECURID' })).AdapterInfoTimeBased as object),
    ['MaxFailedAttempts'],
    'an adapter without stored settings: the lockout count of settings',
  );

  await ok('SetAdapterConfiguration', {
    Adapter: 'OATH_TIME',
    AdapterInfoHOTPTimeBased: { MaxFailedAttempts: 2, AutoSyncEnable: true },
  });
  const after = (await ok('GetAdapterConfiguration', { Adapter: 'OATH_TIME' })).AdapterInfoHOTPTimeBased as Record<
    string,
    unknown
  >;
  assert.equal(after.MaxFailedAttempts, 2);
  assert.equal(after.AutoSyncEnable, 'true');
  assert.equal(after.RunTimeSyncWindow, 100, 'settings not sent stay');
  assert.equal(sim.state().adapterSettings?.OATH_TIME?.AutoSyncEnable, true, 'kept as a JSON boolean');

  // Two failed codes now lock an OATH_TIME credential (the demo's settings say 5).
  assert.equal(sim.token('SYMC10000001')?.failedAttempts ?? 0, 0);
  assert.equal(code(await vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: '000000' })), '49b5');
  assert.equal(sim.token('SYMC10000001')?.state, 'ENABLED');
  assert.equal(code(await vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: '000000' })), '49b5');
  assert.equal(sim.token('SYMC10000001')?.state, 'LOCKED');

  const wrong = await vip(sim, 'SetAdapterConfiguration', {
    Adapter: 'OATH_TIME',
    AdapterInfoSMSOTP: { ValidityPeriod: 120 },
  });
  assert.equal(code(wrong), '4e00');
  assert.match(
    String(wrong.Status.ErrorDetail),
    /AdapterInfoSMSOTP does not configure OATH_TIME: send its settings in AdapterInfoHOTPTimeBased/,
  );
  await ok('SetAdapterConfiguration', { Adapter: 'OATH_TIME' });
  assert.equal(
    (sim.state().adapterSettings?.OATH_TIME as { MaxFailedAttempts: number }).MaxFailedAttempts,
    2,
    'nothing sent, nothing changed',
  );
  assert.equal(
    code(
      await vip(sim, 'SetAdapterConfiguration', {
        Adapter: 'OATH_TIME',
        AdapterInfoHOTPTimeBased: { MaxFailedAttempts: 65 },
      }),
    ),
    '4e00',
    'out of range',
  );
  assert.equal(
    code(await vip(sim, 'GetAdapterConfiguration', { Adapter: 'OATH_TIME', AuthorizerAccountId: 'STRANGER' })),
    '4e03',
  );
});

test('every operation of the catalog was exercised above', () => {
  assert.deepEqual([...covered].sort(), operations.map((op) => op.name).sort());
});
