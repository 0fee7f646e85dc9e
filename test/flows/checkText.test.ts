// The editor's and `vip-api check`'s view of a flow (core/flows/editor): the sample flows, which run
// and pass (samples.test.ts), get no finding at all, so none of the checks cries wolf on real flows;
// and placeholders are skipped value by value, not request by request.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readRequestFile } from '../../core/flows/checkRequest';
import { checkFlowText } from '../../core/flows/editor';
import { ROOT } from './helpers';

const SAMPLES = path.join(ROOT, 'scripts', 'playground', 'workspace', 'flows');

for (const name of fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.vipflow.json'))) {
  test(`sample ${name}: no finding`, () => {
    const file = path.join(SAMPLES, name);
    const { findings } = checkFlowText(fs.readFileSync(file, 'utf8'), file);
    assert.deepEqual(findings, []);
  });
}

test('a placeholder hides only the findings about its own value', () => {
  const text = JSON.stringify({
    name: 'p',
    vars: { n: 3 },
    steps: [{ name: 's', send: { ValidateRequest: { Version: '${n}', TokenId: 'T', OTP: '12' } } }],
  });
  const { findings } = checkFlowText(text, undefined);
  assert.deepEqual(
    findings.map((f) => [f.code, text.slice(f.offset, f.offset + f.length)]),
    [['4e00', '"12"']],
  );
});

test('an unsaved flow does not read request files (their paths would resolve against the working directory)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-unsaved-flow-'));
  const cwd = process.cwd();
  try {
    fs.writeFileSync(
      path.join(dir, 'validate.vip.json'),
      '{ "ValidateRequest": { "Version": "3.1", "TokenId": "T", "OTP": "123456" } }',
    );
    process.chdir(dir); // where `request: "validate.vip.json"` would be found
    const retry = { until: { reasonCode: '0000' } };
    const text = JSON.stringify({ name: 'u', steps: [{ name: 's', request: 'validate.vip.json', retry }] });
    assert.deepEqual(checkFlowText(text, undefined).findings, []);
    // Saved beside the request file, the same flow is checked and its retry refused.
    const saved = checkFlowText(text, path.join(dir, 'u.vipflow.json')).findings.map((f) => f.rule);
    assert.deepEqual(saved, ['retry.refused']);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('request files are read once while unchanged; a change is read again, and callers get copies', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-request-memo-'));
  try {
    const file = path.join(dir, 'r.vip.json');
    fs.writeFileSync(file, '{ "GetServerTimeRequest": { "Version": "3.1" } }');
    const first = readRequestFile(file) as Record<string, Record<string, unknown>>;
    first.GetServerTimeRequest.Version = 'changed by a caller';
    assert.deepEqual(readRequestFile(file), { GetServerTimeRequest: { Version: '3.1' } });
    fs.writeFileSync(file, '{ "GetServerTimeRequest": { "Version": "2.0" } }');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(readRequestFile(file), { GetServerTimeRequest: { Version: '2.0' } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
