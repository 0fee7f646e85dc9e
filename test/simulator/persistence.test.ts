// --persist: state changes survive a restart, and the file is replaced atomically.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { startSimulator, type SimulatorState } from '../../core/simulator';
import { NOW, code, vip } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-sim-state-'));
const file = path.join(dir, 'state.json');
const initial: SimulatorState = {
  account: 'ACME',
  tokens: [
    { id: 'TOTP0001', adapter: 'OATH_TIME', state: 'ENABLED', secret: '3132333435363738393031323334353637383930' },
    {
      id: 'HOTP0001',
      adapter: 'OATH_EVENT_BASIC',
      state: 'ENABLED',
      secret: '3132333435363738393031323334353637383930',
      counter: 0,
    },
  ],
};

beforeEach(() => fs.writeFileSync(file, JSON.stringify(initial)));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const onDisk = (): SimulatorState => JSON.parse(fs.readFileSync(file, 'utf8')) as SimulatorState;

test('changes survive a restart: state, HOTP counter, temporary password', async () => {
  let sim = await startSimulator({ state: file, persist: true, now: NOW });
  assert.equal(code(await vip(sim, 'DisableToken', { TokenId: 'TOTP0001', Reason: 'Lost' })), '0000');
  const hotpCode = sim.otp('HOTP0001')!;
  assert.equal(code(await vip(sim, 'Validate', { TokenId: 'HOTP0001', OTP: hotpCode })), '0000');
  assert.equal(
    code(await vip(sim, 'SetTemporaryPassword', { TokenId: 'TOTP0001', TemporaryPassword: '424242' })),
    '0000',
  );
  await sim.close();

  assert.equal(onDisk().tokens[0].state, 'DISABLED');
  assert.ok(!fs.readFileSync(file, 'utf8').includes('424242'), 'the temporary password is stored as a hash');

  sim = await startSimulator({ state: file, persist: true, now: NOW });
  try {
    assert.equal(sim.token('TOTP0001')!.state, 'DISABLED');
    assert.equal(sim.token('TOTP0001')!.reportedReason, 'Lost');
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: 'HOTP0001', OTP: hotpCode })),
      '49b5',
      'a used code stays used',
    );
    assert.equal(
      code(await vip(sim, 'Validate', { TokenId: 'TOTP0001', OTP: '424242' })),
      '0000',
      'the temporary password survived',
    );
  } finally {
    await sim.close();
  }
});

test('each write replaces the file (temp file + rename) and leaves no temp file', async () => {
  const sim = await startSimulator({ state: file, persist: true, now: NOW });
  try {
    // Holding the original file open keeps its inode from being reused by a later write.
    const original = fs.openSync(file, 'r');
    const inode = fs.fstatSync(original).ino;
    // Many changes in parallel: the file always parses and ends with the last state.
    const watcher = fs.watch(dir);
    const seen: string[] = [];
    // The watcher's events arrive after the writes: wait for the first one before looking at `seen`.
    const firstChange = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no change of state.json was seen within 5 s')), 5000);
      watcher.on('change', (_type, name) => {
        if (name !== 'state.json' || !fs.existsSync(file)) return;
        seen.push(fs.readFileSync(file, 'utf8'));
        clearTimeout(timer);
        resolve();
      });
    });
    const ops = Array.from({ length: 20 }, (_, i) =>
      vip(sim, i % 2 ? 'EnableToken' : 'DisableToken', { TokenId: 'TOTP0001' }),
    );
    await Promise.all(ops);
    await firstChange.finally(() => watcher.close());
    assert.ok(seen.length > 0, 'the watcher saw the file change');
    assert.notEqual(fs.statSync(file).ino, inode, 'the file was replaced, not rewritten in place');
    assert.deepEqual(JSON.parse(fs.readFileSync(original, 'utf8')), initial, 'the old file was never modified');
    fs.closeSync(original);
    for (const text of seen) assert.doesNotThrow(() => JSON.parse(text), 'a reader never sees a half-written file');
    assert.deepEqual(onDisk(), sim.state());
    assert.deepEqual(fs.readdirSync(dir), ['state.json']);
  } finally {
    await sim.close();
  }
});

test('the state file is written with mode 0600 (it holds OATH secrets)', async () => {
  fs.chmodSync(file, 0o644);
  const sim = await startSimulator({ state: file, persist: true, now: NOW });
  try {
    assert.equal(code(await vip(sim, 'DisableToken', { TokenId: 'TOTP0001' })), '0000');
    assert.equal(onDisk().tokens[0].state, 'DISABLED', 'the change was written');
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
  } finally {
    await sim.close();
  }
});

test('without --persist the file is left alone; reads do not write', async () => {
  const before = fs.readFileSync(file, 'utf8');
  const sim = await startSimulator({ state: file, now: NOW });
  await vip(sim, 'DisableToken', { TokenId: 'TOTP0001' });
  await sim.close();
  assert.equal(fs.readFileSync(file, 'utf8'), before);

  const persisting = await startSimulator({ state: file, persist: true, now: NOW });
  const inode = fs.statSync(file).ino;
  await vip(persisting, 'GetTokenInformation', { TokenId: 'TOTP0001' });
  await persisting.close();
  assert.equal(fs.statSync(file).ino, inode, 'nothing changed, nothing written');
});

test('a broken state file is a clear error', async () => {
  fs.writeFileSync(file, '{"account": "ACME", "tokens": [');
  await assert.rejects(startSimulator({ state: file }), /not valid JSON/);
  fs.writeFileSync(
    file,
    JSON.stringify({ account: 'ACME', tokens: [{ id: 'T', adapter: 'OATH_TIME', state: 'ENABLED' }] }),
  );
  await assert.rejects(startSimulator({ state: file }), /needs a hex "secret"/);
  fs.writeFileSync(
    file,
    JSON.stringify({ account: 'ACME', tokens: [{ id: 'T', adapter: 'OATH_TIME', state: 'SLEEPING', secret: '00' }] }),
  );
  await assert.rejects(startSimulator({ state: file }), /tokens\/0\/state/);
});
