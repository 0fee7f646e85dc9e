// The flow runner over real sockets against fresh simulators: expectations, variables, captures,
// cases, the frozen clock, retry and its refusal, environments (REST and SOAP) and errors.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { operations } from '../../core/data/catalog';
import { loadFlowFile } from '../../core/flows/check';
import { LOCAL_SIMULATOR } from '../../core/flows/localSimulator';
import { runFlow, type StepEvent } from '../../core/flows/runner';
import { retryRefusal } from '../../core/flows/retry';
import { secretFromHex, startSimulator, totp, type RunningSimulator } from '../../core/simulator';
import { CLOCK, flow, runFile, send, tempDir, writeFlow } from './helpers';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (f: unknown) => writeFlow(dir, `f${n++}.vipflow.json`, f);
const run = async (steps: unknown[], extra: Record<string, unknown> = {}) =>
  (await runFile(file(flow(steps, extra))))[0];
const info = (token: string) => send('GetTokenInformation', { TokenId: token });

describe('expectations', () => {
  test('reason codes compare case-insensitively, and a list passes on any of its codes', async () => {
    const r = await run([
      { name: 'upper', send: info('SYMC10000001'), expect: { reasonCode: '0000' } },
      { name: 'unknown token', send: info('SYMC17777777'), expect: { reasonCode: '49F2' } },
      { name: 'either', send: info('SYMC10000004'), expect: { reasonCode: ['4994', '0000'] } },
    ]);
    assert.deepEqual(
      r.steps.map((s) => [s.status, s.reasonCode]),
      [
        ['passed', '0000'],
        ['passed', '49f2'],
        ['passed', '0000'],
      ],
    );
  });

  test('another code fails, with both codes explained from the catalog, at the expect', async () => {
    const r = await run([{ name: 'wrong', send: info('SYMC17777777'), expect: { reasonCode: ['0000', '4994'] } }]);
    const s = r.steps[0];
    assert.equal(s.status, 'failed');
    assert.equal(s.problem?.kind, 'expectation');
    assert.equal(s.problem?.expected, '0000 (Success) or 4994 (Operation not allowed on a locked token)');
    assert.equal(s.problem?.actual, '49f2 (Token ID not found)');
    assert.match(s.problem.message, /^expected 0000 \(Success\) or 4994 .*, got 49f2 \(Token ID not found\)$/);
    const text = fs.readFileSync(r.file, 'utf8').split('\n');
    assert.match(text[s.problem.at.line - 1].slice(s.problem.at.column - 1), /^"expect"/);
  });

  test('fields at dot paths: equal values pass (numbers and booleans as the service writes them), others fail with a diff', async () => {
    const ok = await run([
      {
        name: 'i',
        send: {
          GetTokenInformationRequest: { Version: '3.1', TokenId: 'SYMC10000004', includeBadAttemptsCount: true },
        },
        expect: {
          fields: {
            'TokenInformation.TokenStatus': 'LOCKED',
            'TokenInformation.BadAttemptsCount': 5,
            'TokenCategoryDetails.CategoryId': '70',
          },
        },
      },
    ]);
    assert.equal(ok.status, 'passed');
    const bad = await run([
      {
        name: 'i',
        send: info('SYMC10000004'),
        expect: { fields: { 'TokenInformation.TokenStatus': 'ENABLED', 'TokenInformation.Nothing': 'x' } },
      },
    ]);
    const p = bad.steps[0].problem!;
    assert.equal(bad.status, 'failed');
    assert.equal(
      p.message,
      'TokenInformation.TokenStatus: expected "ENABLED", got "LOCKED"; TokenInformation.Nothing: expected "x", got absent',
    );
    assert.equal(p.expected, 'TokenInformation.TokenStatus: "ENABLED"\nTokenInformation.Nothing: "x"');
  });

  test('a failed step stops the flow: the steps after it are skipped', async () => {
    const r = await run([
      { name: 'a', send: info('SYMC10000001'), expect: { reasonCode: '4994' } },
      { name: 'b', send: info('SYMC10000001') },
    ]);
    assert.deepEqual(
      r.steps.map((s) => s.status),
      ['failed', 'skipped'],
    );
    assert.match(r.steps[1].skipReason!, /step "a" did not pass/);
  });

  test('onStep tells each step as it starts and its result as it ends, skipped steps included', async () => {
    const f = file(
      flow([
        { name: 'a', send: info('SYMC10000001'), expect: { reasonCode: '0000' } },
        { name: 'b', send: info('SYMC10000001'), expect: { reasonCode: '4994' } },
        { name: 'c', send: info('SYMC10000001') },
      ]),
    );
    const events: string[] = [];
    const onStep = (e: StepEvent) =>
      events.push(e.kind === 'started' ? `start ${e.step.name}` : `${e.result.status} ${e.result.name}`);
    const [r] = await runFlow(loadFlowFile(f).flow!, { target: LOCAL_SIMULATOR, onStep });
    assert.deepEqual(events, ['start a', 'passed a', 'start b', 'failed b', 'skipped c']);
    assert.deepEqual(
      r.steps.map((s) => s.status),
      ['passed', 'failed', 'skipped'],
    );
  });
});

describe('variables and captures', () => {
  test('vars, captures, ${env:NAME} and command-line vars are substituted; a typed placeholder keeps its type', async () => {
    const f = file(
      flow(
        [
          { name: 'code', simulator: { otp: '${token}' }, capture: { code: 'OTP' } },
          {
            name: 'validate',
            send: send('Validate', { TokenId: '${token}', OTP: '${code}' }),
            expect: { reasonCode: '${ok}' },
          },
          {
            name: 'env',
            send: {
              GetTokenInformationRequest: {
                Version: '3.1',
                TokenId: '${env:FLOW_TOKEN}',
                includeBadAttemptsCount: '${yes}',
              },
            },
            expect: { fields: { 'TokenInformation.TokenId': 'SYMC1000000${digit}' } },
          },
        ],
        { vars: { token: 'SYMC10000005', ok: '0000', yes: true, digit: 1 } },
      ),
    );
    const [r] = await runFile(f, LOCAL_SIMULATOR, {
      vars: { token: 'SYMC10000001' },
      env: { FLOW_TOKEN: 'SYMC10000001' },
    });
    assert.equal(r.status, 'passed', JSON.stringify(r.steps.map((s) => s.problem)));
  });

  test('an undefined variable or environment variable stops the flow with a flow error naming it', async () => {
    const r = await run([{ name: 'x', send: info('${nothing}') }]);
    assert.equal(r.steps[0].status, 'error');
    assert.equal(r.steps[0].problem?.kind, 'flow');
    assert.match(r.steps[0].problem.message, /\$\{nothing\} is not defined/);
    const e = await run([{ name: 'x', send: info('${env:VIP_FLOWS_SURELY_UNSET}') }]);
    assert.match(e.steps[0].problem!.message, /environment variable VIP_FLOWS_SURELY_UNSET is not set/);
  });

  test('a capture of a path the result does not have fails the step', async () => {
    const r = await run([{ name: 'x', send: info('SYMC10000001'), capture: { v: 'TokenInformation.Nope' } }]);
    assert.equal(r.steps[0].status, 'failed');
    assert.match(r.steps[0].problem!.message, /capture v: the result has no TokenInformation.Nope/);
  });

  test('${$requestId} is fresh at every use; ${$now±duration} follows the flow clock', async () => {
    const r = await run([
      { name: 'a', send: send('GetServerTime', { RequestId: '${$requestId}' }), capture: { first: 'RequestId' } },
      {
        name: 'b',
        send: send('GetServerTime', { RequestId: '${$requestId}' }),
        expect: { fields: { RequestId: '${first}' } },
      },
    ]);
    assert.equal(r.steps[0].status, 'passed');
    assert.equal(r.steps[1].status, 'failed', 'a second RequestId differs from the first');
    const t = await run([
      {
        name: 'set',
        send: send('GenerateTemporaryPassword', { TokenId: 'SYMC10000003', ExpirationDate: '${$now+P1D}' }),
        expect: { reasonCode: '0000' },
      },
      {
        name: 'read',
        send: send('GetTemporaryPwdExpiration', { TokenId: 'SYMC10000003' }),
        expect: { fields: { ExpirationDate: '2026-06-02T12:00:00.000Z' } },
      },
      {
        name: 'too far',
        send: send('GenerateTemporaryPassword', { TokenId: 'SYMC10000003', ExpirationDate: '${$now + P31D}' }),
        expect: { reasonCode: '4953' },
      },
      {
        name: 'past',
        send: send('GenerateTemporaryPassword', { TokenId: 'SYMC10000003', ExpirationDate: '${$now-PT1M}' }),
        expect: { reasonCode: '4953' },
      },
    ]);
    assert.equal(t.status, 'passed', JSON.stringify(t.steps.map((s) => s.problem)));
  });
});

describe('isolation', () => {
  test('each case runs on its own fresh simulator: both deactivate the same credential from ENABLED', async () => {
    const results = await runFile(
      file(
        flow(
          [
            {
              name: 'deactivate',
              send: send('DeactivateToken', { TokenId: '${token}' }),
              expect: { reasonCode: '0000', fields: { SameInitialState: 'false' } },
            },
          ],
          { cases: [{ token: 'SYMC10000001' }, { token: { value: 'SYMC10000001', secret: true } }] },
        ),
      ),
    );
    assert.deepEqual(
      results.map((r) => [r.status, r.caseLabel]),
      [
        ['passed', 'case 1 (token=SYMC10000001)'],
        ['passed', 'case 2 (token=«secret»)'],
      ],
    );
  });

  test('the same credential deactivated twice on one simulator is already INACTIVE (what isolation prevents)', async () => {
    const r = await run([
      {
        name: 'first',
        send: send('DeactivateToken', { TokenId: 'SYMC10000001' }),
        expect: { fields: { SameInitialState: 'false' } },
      },
      {
        name: 'second',
        send: send('DeactivateToken', { TokenId: 'SYMC10000001' }),
        expect: { fields: { SameInitialState: 'false' } },
      },
    ]);
    assert.deepEqual(
      r.steps.map((s) => s.status),
      ['passed', 'failed'],
    );
  });

  test('the clock is frozen at "clock": the code served is the TOTP of that instant', async () => {
    const key = secretFromHex('3132333435363738393031323334353637383930');
    for (const clock of [CLOCK, '2027-03-04T05:06:07Z']) {
      const r = await run(
        [
          {
            name: 'code',
            simulator: { otp: 'SYMC10000001' },
            expect: { fields: { OTP: totp(key, Date.parse(clock)), time: new Date(clock).toISOString() } },
          },
        ],
        { clock },
      );
      assert.equal(r.status, 'passed', clock);
    }
    const other = await run([
      {
        name: 'code',
        simulator: { otp: 'SYMC10000001' },
        expect: { fields: { OTP: totp(key, Date.parse(CLOCK) + 3_600_000) } },
      },
    ]);
    assert.equal(other.status, 'failed');
  });
});

describe('simulator clock', () => {
  const key = secretFromHex('3132333435363738393031323334353637383930');

  test('advanceClock moves the frozen clock: codes, ${$now} and expirations follow it', async () => {
    const r = await run([
      { name: 'move', simulator: { advanceClock: 'PT30S' }, expect: { fields: { now: '2026-06-01T12:00:30.000Z' } } },
      {
        name: 'code',
        simulator: { otp: 'SYMC10000001' },
        expect: { fields: { OTP: totp(key, Date.parse(CLOCK) + 30_000), time: '2026-06-01T12:00:30.000Z' } },
      },
      {
        name: 'set',
        send: send('GenerateTemporaryPassword', { TokenId: 'SYMC10000003', ExpirationDate: '${$now+P1D}' }),
        expect: { reasonCode: '0000' },
      },
      {
        name: 'read',
        send: send('GetTemporaryPwdExpiration', { TokenId: 'SYMC10000003' }),
        expect: { fields: { ExpirationDate: '2026-06-02T12:00:30.000Z' } },
      },
    ]);
    assert.equal(r.status, 'passed', JSON.stringify(r.steps.map((s) => s.problem)));
  });

  test('a code taken before the clock moves past the validation window no longer validates', async () => {
    const steps = (advance: string) => [
      { name: 'code', simulator: { otp: 'SYMC10000001' }, capture: { code: 'OTP' } },
      { name: 'wait', simulator: { advanceClock: advance } },
      {
        name: 'validate',
        send: send('Validate', { TokenId: 'SYMC10000001', OTP: '${code}' }),
        expect: { reasonCode: '0000' },
      },
    ];
    assert.equal((await run(steps('PT1M'))).status, 'passed', 'inside the window (±5 minutes)');
    const late = await run(steps('PT10M'));
    assert.equal(late.status, 'failed');
    assert.match(late.steps[2].problem!.actual!, /^4923 /);
  });

  test('a duration the simulator does not take is refused by the schema', () => {
    const loaded = loadFlowFile(file(flow([{ name: 'wait', simulator: { advanceClock: 'P1M' } }])));
    assert.match(loaded.diagnostics[0]?.message ?? '', /ISO 8601 duration/);
  });
});

describe('retry', () => {
  test('polls until the condition holds, or fails after the attempts', async () => {
    const ok = await run([
      {
        name: 'p',
        send: info('SYMC10000001'),
        retry: { until: { fields: { 'TokenInformation.TokenStatus': 'ENABLED' } }, attempts: 3, intervalMs: 0 },
      },
    ]);
    assert.equal(ok.steps[0].status, 'passed');
    assert.equal(ok.steps[0].attempts, 1);
    const never = await run([
      {
        name: 'p',
        send: info('SYMC10000001'),
        retry: { until: { fields: { 'TokenInformation.TokenStatus': 'LOCKED' } }, attempts: 3, intervalMs: 1 },
      },
    ]);
    assert.equal(never.steps[0].status, 'failed');
    assert.equal(never.steps[0].attempts, 3);
    assert.match(
      never.steps[0].problem!.message,
      /^retry: "until" not met after 3 attempts: TokenInformation.TokenStatus: expected "LOCKED", got "ENABLED"$/,
    );
  });

  test('is refused, naming the reason, on every operation whose codeCheck fields are sent, and allowed without them', () => {
    const checked = operations.filter((o) => o.codeCheck);
    assert.deepEqual(checked.map((o) => o.name).sort(), [
      'ActivateToken',
      'CheckOTP',
      'Synchronize',
      'Validate',
      'ValidateCR',
      'ValidateMultiple',
      'VerifyTxnOTP',
    ]);
    for (const op of operations) {
      const body = Object.fromEntries((op.codeCheck?.fields ?? ['OTP']).map((f) => [f, '123456']));
      if (op.codeCheck)
        assert.match(retryRefusal(op, body)!, new RegExp(`^"retry" is refused on ${op.name}: `), op.name);
      else assert.equal(retryRefusal(op, body), undefined, op.name);
    }
    const validate = operations.find((o) => o.name === 'Validate')!;
    assert.match(
      retryRefusal(validate, { OTP: '1' })!,
      /uses up the security code in OTP, and each wrong code counts towards lockout, so a blind retry burns codes or locks the credential/,
    );
    const activate = operations.find((o) => o.name === 'ActivateToken')!;
    assert.equal(retryRefusal(activate, { TokenId: 'x' }), undefined, 'ActivateToken without codes may be polled');
  });

  test('a flow with a refused retry is invalid, with the diagnostic at its retry', () => {
    const f = file(
      flow([
        {
          name: 'poll',
          send: send('Validate', { TokenId: 'SYMC10000001', OTP: '123456' }),
          retry: { until: { reasonCode: '0000' } },
        },
      ]),
    );
    const loaded = loadFlowFile(f);
    assert.equal(loaded.flow, undefined);
    const d = loaded.diagnostics.find((x) => x.rule === 'retry.refused');
    assert.ok(d, JSON.stringify(loaded.diagnostics));
    assert.match(d.message, /refused on Validate/);
    const text = fs.readFileSync(f, 'utf8').split('\n');
    assert.match(text[d.line - 1].slice(d.column - 1), /^"retry"/);
    const allowed = file(
      flow([{ name: 'poll', send: info('SYMC10000001'), retry: { until: { reasonCode: '0000' } } }]),
    );
    assert.deepEqual(loadFlowFile(allowed).diagnostics, []);
  });
});

describe('environments', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ host: '127.0.0.1', now: CLOCK });
  });
  after(() => sim.close());

  test('a flow runs against a REST and a SOAP environment through the transport', async () => {
    const f = file(
      flow([
        {
          name: 'info',
          send: info('SYMC10000004'),
          expect: { reasonCode: '0000', fields: { 'TokenInformation.TokenStatus': 'LOCKED' } },
        },
      ]),
    );
    for (const env of [
      { name: 'rest', url: `${sim.url}/{operation}` },
      { name: 'soap', url: sim.url, transport: 'soap' as const },
    ]) {
      const [r] = await runFile(f, { kind: 'environment', env });
      assert.equal(r.status, 'passed', env.name);
      assert.match(r.steps[0].transcript[0], env.transport ? /\/mgmt\/soap/ : /\/get-token-information/);
    }
  });

  test('a flow with simulator steps is skipped on an environment, with the reason, never failed', async () => {
    const f = file(
      flow([
        { name: 'info', send: info('SYMC10000001') },
        { name: 'the code', simulator: { otp: 'SYMC10000001' } },
      ]),
    );
    const [r] = await runFile(f, { kind: 'environment', env: { name: 'staging', url: `${sim.url}/{operation}` } });
    assert.equal(r.status, 'skipped');
    assert.equal(
      r.skipReason,
      'step "the code" is a simulator step: this flow runs only on the simulator, not on environment "staging"',
    );
    assert.ok(r.steps.every((s) => s.status === 'skipped'));
  });

  test('a transport error stops the flow as a transport problem', async () => {
    const closed = await startSimulator({ host: '127.0.0.1' });
    const url = `${closed.url}/{operation}`;
    await closed.close();
    const [r] = await runFile(
      file(
        flow([
          { name: 'info', send: info('SYMC10000001') },
          { name: 'next', send: info('SYMC10000001') },
        ]),
      ),
      { kind: 'environment', env: { name: 'gone', url } },
    );
    assert.equal(r.status, 'error');
    assert.equal(r.steps[0].problem?.kind, 'transport');
    assert.match(r.steps[0].problem.message, /Connection refused/);
    assert.equal(r.steps[1].status, 'skipped');
  });
});
