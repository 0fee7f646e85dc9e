// Token states, OTP windows, lockout, temporary passwords and phone credentials, over real sockets
// with a clock the tests move.
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, test } from 'node:test';
import { operations, reasonCodeForState, type TokenState } from '../../core/data/catalog';
import { startSimulator, type RunningSimulator, type SimToken, type SimulatorState } from '../../core/simulator';
import { NOW, code, vip } from './helpers';

const SECRET = '3132333435363738393031323334353637383930';
const STATES: TokenState[] = ['NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE'];
let clock = new Date(NOW);
let sim: RunningSimulator;

function state(): SimulatorState {
  const totp = (id: string, st: TokenState): SimToken => ({ id, adapter: 'OATH_TIME', state: st, secret: SECRET });
  return {
    account: 'ACME',
    settings: { validationWindow: 2, lookAheadWindow: 3, syncWindow: 10, maxFailedAttempts: 3 },
    tokens: [
      ...STATES.map((st) => totp(`TOTP${st}`, st)),
      { id: 'HOTP0001', adapter: 'OATH_EVENT_BASIC', kind: 'HARDWARE', state: 'ENABLED', secret: SECRET, counter: 5 },
      { id: '15550001111', adapter: 'SMS_OTP', state: 'ENABLED' },
      { id: '15550002222', adapter: 'VOICE_OTP', state: 'ENABLED' },
    ],
  };
}

before(async () => {
  sim = await startSimulator({ state: state(), now: () => clock });
});
after(() => sim.close());
// A fresh state for every test: restart is cheap and keeps tests independent.
beforeEach(async () => {
  await sim.close();
  clock = new Date(NOW);
  sim = await startSimulator({ state: state(), now: () => clock });
});

describe('state machine', () => {
  const transitions = operations.filter((op) => op.resultState);
  for (const op of transitions) {
    for (const from of STATES) {
      const expected = from === op.resultState ? 'same' : op.acceptsStates!.includes(from) ? 'moves' : 'refused';
      test(`${op.name} on ${from}: ${expected}`, async () => {
        const body = await vip(sim, op.name, { TokenId: `TOTP${from}` });
        const after = sim.token(`TOTP${from}`)!.state;
        if (expected === 'refused') {
          assert.equal(code(body), reasonCodeForState(from)!.code);
          assert.equal(body.SameInitialState, 'false');
          assert.equal(after, from);
        } else {
          assert.equal(code(body), '0000');
          assert.equal(body.SameInitialState, expected === 'same' ? 'true' : 'false');
          assert.equal(after, op.resultState);
        }
      });
    }
  }

  test('Deactivate records the Reason; GetTokenInformation reports it', async () => {
    assert.equal(code(await vip(sim, 'DeactivateToken', { TokenId: 'TOTPENABLED', Reason: 'Stolen' })), '0000');
    const info = (await vip(sim, 'GetTokenInformation', { TokenId: 'TOTPENABLED' })).TokenInformation as Record<
      string,
      unknown
    >;
    assert.equal(info.TokenStatus, 'INACTIVE');
    assert.equal(info.ReportedReason, 'Stolen');
    assert.equal(info.LastUpdate, NOW);
  });

  test('ActivateToken checks OTP1 when given: a wrong code leaves the credential NEW', async () => {
    assert.equal(code(await vip(sim, 'ActivateToken', { TokenId: 'TOTPNEW', OTP1: sim.otp('TOTPNEW', 50) })), '49b5');
    assert.equal(sim.token('TOTPNEW')!.state, 'NEW');
    assert.equal(code(await vip(sim, 'ActivateToken', { TokenId: 'TOTPNEW', OTP1: sim.otp('TOTPNEW') })), '0000');
    assert.equal(sim.token('TOTPNEW')!.state, 'ENABLED');
  });
});

describe('TOTP windows (validation ±2 steps, sync ±10 steps)', () => {
  test('inside the validation window: 0000; each code works once; no going back', async () => {
    const v = (otp: string) => vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: otp }).then(code);
    assert.equal(await v(sim.otp('TOTPENABLED', -2)!), '0000');
    assert.equal(await v(sim.otp('TOTPENABLED', -2)!), '49b5', 'replay');
    assert.equal(await v(sim.otp('TOTPENABLED', 2)!), '0000');
    assert.equal(await v(sim.otp('TOTPENABLED', 1)!), '49b5', 'an earlier step than the last one used');
  });

  test('outside the validation window but inside the sync window: 4923; Synchronize fixes the drift', async () => {
    const ahead = (n: number) => sim.otp('TOTPENABLED', n)!;
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: ahead(7) })), '4923');
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: ahead(11) })),
      '49b5',
      'beyond the sync window',
    );
    assert.equal(
      code(await vip(sim, 'Synchronize', { TokenId: 'TOTPENABLED', OTP1: ahead(7), OTP2: ahead(8) })),
      '0000',
    );
    assert.equal(sim.token('TOTPENABLED')!.driftSteps, 8);
    // The clock of the credential runs 8 steps ahead: its next code validates now.
    clock = new Date(clock.getTime() + 30_000);
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: sim.otp('TOTPENABLED')! })), '0000');
  });

  test('codes follow the clock', async () => {
    const later = sim.otp('TOTPENABLED', 20)!;
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: later })), '49b5');
    clock = new Date(clock.getTime() + 20 * 30_000);
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: later })), '0000');
  });

  test('Synchronize with codes that are not consecutive: 49b5', async () => {
    const body = await vip(sim, 'Synchronize', {
      TokenId: 'TOTPENABLED',
      OTP1: sim.otp('TOTPENABLED', 5)!,
      OTP2: sim.otp('TOTPENABLED', 7)!,
    });
    assert.equal(code(body), '49b5');
  });
});

describe('HOTP windows (look-ahead 3, sync 10)', () => {
  test('look-ahead accepts a skipped counter and moves past it', async () => {
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'HOTP0001', OTP: sim.otp('HOTP0001', 2)! })), '0000');
    assert.equal(sim.token('HOTP0001')!.counter, 8);
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: 'HOTP0001', OTP: sim.otp('HOTP0001', -1)! })),
      '49b5',
      'a used code',
    );
  });

  test('beyond look-ahead, inside sync: 4923; Synchronize resyncs; beyond sync: 49b5', async () => {
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'HOTP0001', OTP: sim.otp('HOTP0001', 6)! })), '4923');
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'HOTP0001', OTP: sim.otp('HOTP0001', 10)! })), '49b5');
    assert.equal(
      code(
        await vip(sim, 'Synchronize', {
          TokenId: 'HOTP0001',
          OTP1: sim.otp('HOTP0001', 6)!,
          OTP2: sim.otp('HOTP0001', 7)!,
        }),
      ),
      '0000',
    );
    assert.equal(sim.token('HOTP0001')!.counter, 5 + 8);
  });

  test('CheckOTP with OTP1 + OTP2 synchronizes', async () => {
    const body = await vip(sim, 'CheckOTP', {
      TokenId: 'HOTP0001',
      OTP1: sim.otp('HOTP0001', 6)!,
      OTP2: sim.otp('HOTP0001', 7)!,
    });
    assert.equal(code(body), '0000');
    assert.equal(sim.token('HOTP0001')!.counter, 13);
  });
});

describe('lockout after MaxFailedAttempts (3)', () => {
  test('three wrong codes lock; CheckOTP works on LOCKED and changes nothing; UnlockToken restores', async () => {
    const wrong = sim.otp('TOTPENABLED', 40)!;
    for (let i = 1; i <= 3; i++) {
      assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: wrong })), '49b5');
      assert.equal(sim.token('TOTPENABLED')!.failedAttempts, i);
    }
    assert.equal(sim.token('TOTPENABLED')!.state, 'LOCKED');
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: sim.otp('TOTPENABLED')! })), '4994');

    assert.equal(code(await vip(sim, 'CheckOTP', { TokenId: 'TOTPENABLED', OTP1: wrong })), '49b5');
    assert.equal(code(await vip(sim, 'CheckOTP', { TokenId: 'TOTPENABLED', OTP1: sim.otp('TOTPENABLED')! })), '0000');
    assert.equal(sim.token('TOTPENABLED')!.state, 'LOCKED', 'CheckOTP does not change the state');
    assert.equal(sim.token('TOTPENABLED')!.failedAttempts, 3, 'nor the failure count');

    assert.equal(code(await vip(sim, 'UnlockToken', { TokenId: 'TOTPENABLED' })), '0000');
    assert.equal(sim.token('TOTPENABLED')!.failedAttempts, 0);
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: sim.otp('TOTPENABLED')! })), '0000');
  });

  test('a success resets the count of consecutive failures', async () => {
    const wrong = sim.otp('TOTPENABLED', 40)!;
    await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: wrong });
    await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: wrong });
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: sim.otp('TOTPENABLED')! })), '0000');
    await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: wrong });
    assert.equal(sim.token('TOTPENABLED')!.state, 'ENABLED');
    assert.equal(sim.token('TOTPENABLED')!.failedAttempts, 1);
  });
});

describe('temporary passwords', () => {
  test('one-time use on a DISABLED credential: Validate accepts it once', async () => {
    assert.equal(
      code(
        await vip(sim, 'SetTemporaryPassword', {
          TokenId: 'TOTPDISABLED',
          TemporaryPassword: 'ab12cd',
          OneTimeUseOnly: 'true',
        }),
      ),
      '0000',
    );
    const first = await vip(sim, 'Validate', { TokenId: 'TOTPDISABLED', OTP: 'ab12cd' });
    assert.equal(code(first), '0000');
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPDISABLED', OTP: 'ab12cd' })), '4997');
    assert.equal(sim.token('TOTPDISABLED')!.state, 'DISABLED');
  });

  test('a reusable password works until it expires; GetTokenInformation reports the expiry', async () => {
    await vip(sim, 'SetTemporaryPassword', {
      TokenId: 'TOTPENABLED',
      TemporaryPassword: '975310',
      ExpirationDate: '2026-06-01T13:00:00Z',
    });
    const info = (await vip(sim, 'GetTokenInformation', { TokenId: 'TOTPENABLED' })).TokenInformation as Record<
      string,
      unknown
    >;
    assert.equal(info.TempPasswordExpirationDate, '2026-06-01T13:00:00.000Z');
    assert.equal(info.TempPasswordOneTimeUse, 'false');
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: '975310' })), '0000');
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: '975310' })), '0000');
    clock = new Date('2026-06-01T13:00:00Z');
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: '975310' })), '49b5', 'expired');
    const later = (await vip(sim, 'GetTokenInformation', { TokenId: 'TOTPENABLED' })).TokenInformation as Record<
      string,
      unknown
    >;
    assert.equal(later.TempPasswordExpirationDate, undefined);
  });

  test('expiry limits: Set ≤ 30 days (4953), Generate ≤ 7 days; an empty value clears', async () => {
    const set = (ExpirationDate: string) =>
      vip(sim, 'SetTemporaryPassword', { TokenId: 'TOTPENABLED', TemporaryPassword: '123456', ExpirationDate }).then(
        code,
      );
    assert.equal(await set('2026-07-01T12:00:00Z'), '0000', 'exactly 30 days');
    assert.equal(await set('2026-07-01T12:00:01Z'), '4953');
    assert.equal(await set(NOW), '4953', 'not later than now');
    const gen = (ExpirationDate: string) =>
      vip(sim, 'GenerateTemporaryPassword', { TokenId: 'TOTPENABLED', ExpirationDate }).then(code);
    assert.equal(await gen('2026-06-08T12:00:00Z'), '0000');
    assert.equal(await gen('2026-06-08T12:00:01Z'), '4953');
    assert.equal(
      code(
        await vip(sim, 'SetTemporaryPwdExpiration', { TokenId: 'TOTPENABLED', ExpirationDate: '2026-07-02T00:00:00Z' }),
      ),
      '4953',
    );
    assert.equal(
      code(await vip(sim, 'SetTemporaryPassword', { TokenId: 'TOTPENABLED', TemporaryPassword: '' })),
      '0000',
    );
    assert.equal(sim.token('TOTPENABLED')!.tempPassword, undefined);
    assert.equal(
      code(
        await vip(sim, 'SetTemporaryPwdExpiration', { TokenId: 'TOTPENABLED', ExpirationDate: '2026-06-02T00:00:00Z' }),
      ),
      '4990',
    );
  });

  test('a generated password validates and is never stored in clear', async () => {
    const generated = await vip(sim, 'GenerateTemporaryPassword', { TokenId: 'TOTPENABLED' });
    const password = String(generated.TemporaryPassword);
    assert.ok(!JSON.stringify(sim.state()).includes(`"${password}"`));
    assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: password })), '0000');
  });
});

describe('SMS and voice credentials', () => {
  test('Register → delivered code → ActivateToken with OTP1 → SendOTP → Validate', async () => {
    assert.equal(code(await vip(sim, 'Register', { TokenId: { value: '15550003333', type: 'SMS' } })), '0000');
    const registered = sim.deliveries().at(-1)!;
    assert.deepEqual(
      { ...registered, code: undefined },
      {
        time: NOW,
        operation: 'Register',
        tokenId: '15550003333',
        channel: 'SMS',
        to: '15550003333',
        kind: 'OTP',
        code: undefined,
      },
    );
    assert.equal(code(await vip(sim, 'ActivateToken', { TokenId: '15550003333' })), '4e1d');
    assert.equal(code(await vip(sim, 'ActivateToken', { TokenId: '15550003333', OTP1: registered.code })), '0000');
    assert.equal(code(await vip(sim, 'Register', { TokenId: '15550003333' })), '4e1b', 'already registered');

    assert.equal(code(await vip(sim, 'SendOTP', { TokenId: '15550002222' })), '0000');
    const voice = sim.deliveries().at(-1)!;
    assert.equal(voice.channel, 'Voice');
    assert.equal(code(await vip(sim, 'Validate', { TokenId: '15550002222', OTP: voice.code })), '0000');
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: '15550002222', OTP: voice.code })),
      '49b5',
      'a phone code works once',
    );
  });

  test('a phone code expires after phoneOtpValiditySeconds', async () => {
    await vip(sim, 'SendOTP', { TokenId: '15550001111' });
    clock = new Date(clock.getTime() + 301_000);
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: '15550001111', OTP: sim.deliveries().at(-1)!.code })),
      '49b5',
    );
  });

  test('the delivery log is also served at /_simulator/deliveries', async () => {
    await vip(sim, 'SendOTP', { TokenId: '15550001111' });
    const res = await fetch(`${sim.url}/_simulator/deliveries`);
    const json = (await res.json()) as { deliveries: { code: string }[] };
    assert.equal(json.deliveries.at(-1)!.code, sim.deliveries().at(-1)!.code);
  });

  test('4f05: phone operations on an OATH credential and Synchronize on a phone credential', async () => {
    assert.equal(code(await vip(sim, 'SendOTP', { TokenId: 'HOTP0001' })), '4f05');
    assert.equal(code(await vip(sim, 'Register', { TokenId: 'HOTP0001' })), '4f05');
    assert.equal(
      code(await vip(sim, 'Synchronize', { TokenId: '15550001111', OTP1: '123456', OTP2: '234567' })),
      '4f05',
    );
  });
});

test('the OTP helper endpoint gives the next accepted code', async () => {
  const res = await fetch(`${sim.url}/_simulator/otp/TOTPENABLED`);
  const { OTP } = (await res.json()) as { OTP: string };
  assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP })), '0000');
  const next = (await (await fetch(`${sim.url}/_simulator/otp/TOTPENABLED`)).json()) as { OTP: string };
  assert.notEqual(next.OTP, OTP, 'the used code is skipped');
  assert.equal(code(await vip(sim, 'Validate', { TokenId: 'TOTPENABLED', OTP: next.OTP })), '0000');
  assert.equal((await fetch(`${sim.url}/_simulator/otp/NOPE`)).status, 404);
});
