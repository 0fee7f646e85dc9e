// Get/SetAdapterConfiguration in the editor's engine and in `vip-api check` (the bundled CLI): the
// schemas know the settings blocks and their ranges, and a block of another adapter is an error.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../core/engine';
import { checkState, demoState } from '../../core/simulator';
import { ROOT } from '../helpers/lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');

const request = (op: string, fields: Record<string, unknown>) =>
  JSON.stringify({ [`${op}Request`]: { Version: '3.1', ...fields } }, null, 2);

describe('engine', () => {
  test('a good GetAdapterConfiguration and SetAdapterConfiguration have no findings', () => {
    assert.deepEqual(analyze(request('GetAdapterConfiguration', { Adapter: 'OATH_TIME' })), []);
    assert.deepEqual(
      analyze(
        request('SetAdapterConfiguration', {
          Adapter: 'SMS_OTP',
          AdapterInfoSMSOTP: { ValidityPeriod: 120, Message: [{ type: 'REGISTER', value: 'Code _OTP_' }] },
        }),
      ),
      [],
    );
  });
  test('ranges, enums and the adapter/block pairing are checked', () => {
    const findings = analyze(
      request('SetAdapterConfiguration', {
        Adapter: 'OATH_TIME',
        AdapterInfoHOTPTimeBased: { RunTimeSyncWindow: 8 },
        AdapterInfoSMSOTP: { GatewayId: 'NOPE' },
      }),
    );
    const rules = findings.map((f) => `${f.rule} ${f.path?.slice(1).join('.')}`).sort();
    assert.ok(rules.includes('adapter.wrongSettingsBlock AdapterInfoSMSOTP'), rules.join('\n'));
    assert.ok(
      findings.some(
        (f) =>
          f.path?.join('.') === 'SetAdapterConfigurationRequest.AdapterInfoHOTPTimeBased.RunTimeSyncWindow' &&
          f.severity === 'error',
      ),
      'RunTimeSyncWindow is 16–256',
    );
    assert.ok(
      findings.some((f) => f.path?.join('.') === 'SetAdapterConfigurationRequest.AdapterInfoSMSOTP.GatewayId'),
      'GatewayId enum',
    );
    assert.deepEqual(
      analyze(request('SetAdapterConfiguration', { Adapter: 'OCRA' })),
      [],
      'no block: valid, nothing changes',
    );
    assert.ok(
      analyze(request('GetAdapterConfiguration', {})).some((f) => f.severity === 'error' && /Adapter/.test(f.message)),
      'Adapter is required',
    );
  });
});

test('vip-api check knows both operations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-adapter-'));
  fs.writeFileSync(path.join(dir, 'get.vip.json'), request('GetAdapterConfiguration', { Adapter: 'VOICE_OTP' }));
  fs.writeFileSync(
    path.join(dir, 'set.vip.json'),
    request('SetAdapterConfiguration', { Adapter: 'VOICE_OTP', AdapterInfoEventBased: { LookAheadWindow: 5 } }),
  );
  const r = spawnSync(process.execPath, [CLI, 'check', dir], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1, r.stdout);
  assert.match(
    r.stdout,
    /set\.vip\.json:\d+:\d+: error 4e00: AdapterInfoEventBased does not configure VOICE_OTP: send its settings in AdapterInfoVoiceOTP\./,
  );
});

test('a state file with settings out of range is refused with the adapter named', () => {
  const state = demoState();
  assert.ok(state.adapterSettings?.SMS_OTP, 'the demo state has adapter settings');
  state.adapterSettings.SMS_OTP = { ValidityPeriod: 5 };
  assert.throws(
    () => checkState(state, 'state file x.json'),
    /x\.json: adapterSettings\.SMS_OTP is not a valid AdapterInfoSMSOTP: \/ValidityPeriod must be >= 60/,
  );
  assert.throws(
    () => checkState({ ...demoState(), adapterSettings: { NOPE: {} } }, 'y.json'),
    /y\.json: not a valid simulator state/,
  );
});
