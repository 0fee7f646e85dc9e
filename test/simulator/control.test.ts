// The control API over real sockets, in the TypeScript API and from the CLI: reset, clock, state,
// otp, deliveries; loopback only unless --control-from allows more; off with --no-control.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSimulator } from '../../cli/simulator';
import { ControlAccess, parseDuration } from '../../core/simulator/control';
import { demoState, startSimulator, type RunningSimulator, type SimulatorState } from '../../core/simulator';
import { makePki } from '../helpers/pki';
import { runCli, startSimulatorProcess } from '../security/helpers';
import { NOW, code, request, usageError, vip } from './helpers';

const control = (
  sim: RunningSimulator | string,
  what: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
) => request(typeof sim === 'string' ? sim : sim.url, `/_simulator/${what}`, body, { method });

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator({ now: NOW });
});
after(() => sim.close());

describe('over HTTP', () => {
  test('POST /_simulator/reset: back to the initial state, deliveries and clock included', async () => {
    assert.equal(code(await vip(sim, 'DisableToken', { TokenId: 'SYMC10000001' })), '0000');
    assert.equal(code(await vip(sim, 'SendOTP', { TokenId: '15555550100' })), '0000');
    await control(sim, 'clock', { advance: 'P1D' });
    assert.equal(sim.token('SYMC10000001')!.state, 'DISABLED');
    const reset = await control(sim, 'reset', undefined, 'POST');
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual(sim.state(), demoState());
    assert.deepEqual((await control(sim, 'deliveries')).json, { deliveries: [] });
    assert.deepEqual((await control(sim, 'clock')).json, { now: NOW, frozen: false });
  });

  test('POST /_simulator/clock: {now} and {advance} move the clock that codes and expirations use', async () => {
    await control(sim, 'reset', undefined, 'POST');
    const set = await control(sim, 'clock', { now: '2026-07-01T08:00:00Z' });
    assert.deepEqual(set.json, { now: '2026-07-01T08:00:00.000Z', frozen: true });
    assert.equal(code(await vip(sim, 'GetServerTime')), '0000');
    assert.equal((await vip(sim, 'GetServerTime')).Timestamp, '2026-07-01T08:00:00.000Z');
    // A code 20 steps (10 minutes) ahead: too far now, the current one once the clock has moved on.
    const later = sim.otp('SYMC10000001', 20)!;
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: later })),
      '4923',
      '20 steps ahead is outside the window',
    );
    assert.deepEqual((await control(sim, 'clock', { advance: 'PT10M' })).json, {
      now: '2026-07-01T08:10:00.000Z',
      frozen: true,
    });
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: later })),
      '0000',
      'ten minutes on, the same code is current',
    );
    // A temporary password expires on the simulator's clock.
    assert.equal(
      code(
        await vip(sim, 'SetTemporaryPassword', {
          TokenId: 'SYMC10000003',
          TemporaryPassword: '135790',
          ExpirationDate: '2026-07-01T09:00:00Z',
        }),
      ),
      '0000',
    );
    await control(sim, 'clock', { advance: 'PT1H' });
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: 'SYMC10000003', OTP: '135790' })),
      '4997',
      'expired an hour later',
    );
  });

  test('clock: a bad body is a 400 that says what it takes, and the clock stays', async () => {
    await control(sim, 'clock', { now: '2026-07-01T08:00:00Z' });
    for (const body of [
      {},
      { now: 'soon' },
      { advance: '30s' },
      { advance: 'P1M' },
      { now: NOW, advance: 'PT1S' },
      { advance: 30 },
      '[1',
    ]) {
      const r = await control(sim, 'clock', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(String(r.json.error), /now|advance|JSON/);
    }
    assert.equal((await control(sim, 'clock')).json.now, '2026-07-01T08:00:00.000Z');
  });

  test('GET and PUT /_simulator/state: read, load, and a bad state refused like a bad state file', async () => {
    await control(sim, 'reset', undefined, 'POST');
    const read = await control(sim, 'state');
    assert.deepEqual(read.json, demoState());
    const small: SimulatorState = {
      account: 'ACME',
      tokens: [
        { id: 'ACME0001', adapter: 'OATH_TIME', state: 'ENABLED', secret: '3132333435363738393031323334353637383930' },
      ],
    };
    const put = await control(sim, 'state', small, 'PUT');
    assert.deepEqual(put.json, { loaded: true, tokens: 1 });
    assert.deepEqual(sim.state(), small);
    assert.equal(code(await vip(sim, 'GetTokenInformation', { TokenId: 'ACME0001' })), '0000');
    const bad = await control(
      sim,
      'state',
      { account: 'ACME', tokens: [{ id: 'T', adapter: 'OATH_TIME', state: 'SLEEPING', secret: '00' }] },
      'PUT',
    );
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /not a valid simulator state: \/tokens\/0\/state/);
    assert.deepEqual(sim.state(), small, 'a refused state changes nothing');
    await control(sim, 'reset', undefined, 'POST');
    assert.deepEqual(sim.state(), demoState(), 'reset goes back to the state at start, not the loaded one');
  });

  test('otp and deliveries as before; unknown endpoints 404, wrong methods 405', async () => {
    await control(sim, 'reset', undefined, 'POST');
    assert.deepEqual((await control(sim, 'otp/SYMC10000001')).json, {
      TokenId: 'SYMC10000001',
      OTP: sim.otp('SYMC10000001'),
      time: NOW,
    });
    assert.equal((await control(sim, 'otp/NOPE')).status, 404);
    assert.equal((await control(sim, 'otp/SYMC10000001?offset=x')).status, 400);
    assert.equal((await control(sim, 'otp/%E0%A4%A')).status, 400, 'bad percent-encoding is a 400, not a crash');
    assert.equal((await control(sim, 'deliveries')).status, 200, 'still serving');
    assert.equal((await control(sim, 'teleport')).status, 404);
    const wrong = await control(sim, 'reset');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.allow, 'POST');
  });

  test('--no-control: every /_simulator/ path is 404 (and 200 with the control API on)', async () => {
    const off = await startSimulator({ now: NOW, control: false });
    try {
      for (const [what, body, method] of [
        ['reset', undefined, 'POST'],
        ['state', undefined, 'GET'],
        ['otp/SYMC10000001', undefined, 'GET'],
        ['clock', { advance: 'PT1S' }, 'POST'],
      ] as const) {
        assert.equal((await control(off, what, body, method)).status, 404, what);
        assert.equal((await control(sim, what, body, method)).status, 200, what);
      }
    } finally {
      await off.close();
    }
  });
});

describe('who may call it', () => {
  test('--control-from parses addresses and CIDR subnets, and refuses anything else', () => {
    const access = new ControlAccess(['10.0.0.0/8', '192.168.1.20', 'fd00::/64']);
    for (const a of [
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '::ffff:127.0.0.1',
      '10.1.2.3',
      '192.168.1.20',
      '::ffff:10.0.0.1',
      'fd00::2',
    ])
      assert.ok(access.allows(a), a);
    for (const a of ['192.168.1.21', '11.0.0.1', 'fd01::2', '::ffff:192.168.1.21', undefined])
      assert.ok(!access.allows(a), String(a));
    assert.ok(!new ControlAccess().allows('10.1.2.3'), 'loopback only by default');
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', ''])
      assert.throws(() => new ControlAccess([bad]), /control-from takes/, bad);
  });

  // The caller must come from an address that is not loopback: this machine's first other IPv4 address.
  const outside = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  test(
    'from an address that is not loopback: 403, unless --control-from allows it',
    { skip: !outside && 'this machine has no IPv4 address besides loopback' },
    async () => {
      const pki = makePki();
      const tls = { cert: fs.readFileSync(pki.server.cert), key: fs.readFileSync(pki.server.key) };
      const client = { tls: { ca: fs.readFileSync(pki.ca.cert), checkServerIdentity: () => undefined } };
      const closed = await startSimulator({ now: NOW, host: outside, tls });
      const open = await startSimulator({ now: NOW, host: outside, tls, controlFrom: [`${outside}/32`] });
      try {
        const refused = await request(closed.url, '/_simulator/state', undefined, { method: 'GET', ...client });
        assert.equal(refused.status, 403);
        assert.match(String(refused.json.error), /loopback callers only; allow others with --control-from/);
        assert.equal(
          code(await vip(closed.url, 'GetServerTime', {}, client)),
          '0000',
          'VIP operations are served to anyone',
        );
        const allowed = await request(open.url, '/_simulator/state', undefined, { method: 'GET', ...client });
        assert.equal(allowed.status, 200);
        assert.deepEqual(allowed.json, demoState());
      } finally {
        await closed.close();
        await open.close();
        fs.rmSync(pki.dir, { recursive: true, force: true });
      }
    },
  );
});

describe('in the TypeScript API', () => {
  test('reset, setClock and loadState do what the HTTP endpoints do', async () => {
    const s = await startSimulator({ now: NOW });
    try {
      await vip(s, 'DisableToken', { TokenId: 'SYMC10000001' });
      s.reset();
      assert.deepEqual(s.state(), demoState());
      assert.deepEqual(s.setClock({ advance: 'PT30S' }), { now: '2026-06-01T12:00:30.000Z', frozen: true });
      assert.equal(s.now().toISOString(), '2026-06-01T12:00:30.000Z');
      s.setClock({ now: '2027-01-01T00:00:00Z' });
      assert.equal((await vip(s, 'GetServerTime')).Timestamp, '2027-01-01T00:00:00.000Z');
      assert.throws(() => s.setClock({ advance: 'soon' }), /ISO 8601 duration/);
      assert.throws(() => s.loadState({ account: 'ACME' } as SimulatorState), /not a valid simulator state/);
      s.loadState({ account: 'ACME', tokens: [] });
      assert.deepEqual(s.state(), { account: 'ACME', tokens: [] });
    } finally {
      await s.close();
    }
  });

  test('ISO 8601 durations', () => {
    assert.equal(parseDuration('PT30S'), 30_000);
    assert.equal(parseDuration('P1DT2H3M4.5S'), ((26 * 60 + 3) * 60 + 4.5) * 1000);
    assert.equal(parseDuration('P2W'), 14 * 86_400_000);
    assert.equal(parseDuration('-PT5M'), -300_000);
    for (const bad of ['P', 'PT', '30S', 'P1Y', 'P1M', 'PT1.5', 'P1DT'])
      assert.throws(() => parseDuration(bad), /ISO 8601 duration/, bad);
  });
});

describe('from the CLI', () => {
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const exit = await runSimulator(['control', ...args], {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
    });
    return { exit, out: out.join(''), err: err.join('') };
  };

  test('reset, clock, state, otp, deliveries', async () => {
    await control(sim, 'reset', undefined, 'POST');
    await vip(sim, 'DisableToken', { TokenId: 'SYMC10000001' });
    assert.deepEqual(JSON.parse((await cli('reset', '--url', sim.url)).out), { reset: true, now: NOW, frozen: false });
    assert.equal(sim.token('SYMC10000001')!.state, 'ENABLED');
    assert.deepEqual(JSON.parse((await cli('clock', '--advance', 'PT1M', '--url', sim.url)).out), {
      now: '2026-06-01T12:01:00.000Z',
      frozen: true,
    });
    assert.deepEqual(
      JSON.parse((await cli('clock', '--now', '2026-06-02T00:00:00Z', '--url', sim.url)).out).now,
      '2026-06-02T00:00:00.000Z',
    );
    assert.deepEqual(JSON.parse((await cli('clock', '--url', sim.url)).out).now, '2026-06-02T00:00:00.000Z');
    assert.deepEqual(JSON.parse((await cli('state', '--url', sim.url)).out), sim.state());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-control-'));
    try {
      const file = path.join(dir, 'state.json');
      fs.writeFileSync(file, JSON.stringify({ account: 'ACME', tokens: [] }));
      assert.deepEqual(JSON.parse((await cli('state', '--load', file, '--url', sim.url)).out), {
        loaded: true,
        tokens: 0,
      });
      assert.deepEqual(sim.state(), { account: 'ACME', tokens: [] });
      fs.writeFileSync(file, JSON.stringify({ account: 'ACME' }));
      const refused = await cli('state', '--load', file, '--url', sim.url);
      assert.equal(refused.exit, 1);
      assert.match(refused.err, /HTTP 400: the state: not a valid simulator state/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await cli('reset', '--url', sim.url);
    assert.equal(
      JSON.parse((await cli('otp', 'VSMT10000002', '--offset', '1', '--url', sim.url)).out).OTP,
      '287082',
      'RFC 4226 counter 1',
    );
    await vip(sim, 'SendOTP', { TokenId: '15555550100' });
    assert.equal(JSON.parse((await cli('deliveries', '--url', sim.url)).out).deliveries[0].to, '15555550100');
  });

  test('usage errors exit 2; a refused call exits 1 with the reason', async () => {
    for (const args of [
      [],
      ['teleport', '--url', sim.url],
      ['reset'],
      ['reset', '--url', 'ftp://x'],
      ['clock', '--now', NOW, '--advance', 'PT1S', '--url', sim.url],
      ['reset', '--load', 'x', '--url', sim.url],
      ['otp', '--url', sim.url],
      ['reset', '--wat', '--url', sim.url],
    ]) {
      const r = await cli(...args);
      assert.equal(r.exit, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /Usage:/);
    }
    const off = await startSimulator({ control: false });
    try {
      const r = await cli('reset', '--url', off.url);
      assert.equal(r.exit, 1);
      assert.match(r.err, /HTTP 404/);
    } finally {
      await off.close();
    }
    const bad = await cli('clock', '--advance', 'soon', '--url', sim.url);
    assert.equal(bad.exit, 1);
    assert.match(bad.err, /HTTP 400: advance takes an ISO 8601 duration/);
  });

  test('as processes: `vip-api simulator` serves it, `vip-api simulator control` drives it, --no-control turns it off', async () => {
    const on = await startSimulatorProcess(['--now', NOW]);
    const off = await startSimulatorProcess(['--no-control']);
    try {
      assert.equal(code(await vip(on.url, 'DisableToken', { TokenId: 'SYMC10000001' })), '0000');
      const reset = await runCli(['simulator', 'control', 'reset', '--url', on.url]);
      assert.equal(reset.code, 0, reset.stderr);
      assert.equal(JSON.parse(reset.stdout).reset, true);
      const state = await runCli(['simulator', 'control', 'state', '--url', on.url]);
      assert.equal(
        JSON.parse(state.stdout).tokens.find((t: { id: string }) => t.id === 'SYMC10000001').state,
        'ENABLED',
      );
      const refused = await runCli(['simulator', 'control', 'state', '--url', off.url]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /HTTP 404: .*control API is off/);
    } finally {
      assert.equal(await on.stop(), 0);
      assert.equal(await off.stop(), 0);
    }
  });

  test('--no-control and --control-from on the command line', async () => {
    const { simulatorOptions } = await import('../../cli/simulator');
    assert.equal((simulatorOptions(['--no-control']) as { control?: boolean }).control, false);
    assert.deepEqual(
      (simulatorOptions(['--control-from', '10.0.0.0/8, 192.168.1.20']) as { controlFrom?: string[] }).controlFrom,
      ['10.0.0.0/8', '192.168.1.20'],
    );
    assert.match(usageError(simulatorOptions(['--no-control', '--control-from', '10.0.0.1'])), /exclude each other/);
  });
});
