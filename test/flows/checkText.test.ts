// The editor's and `vip-api check`'s view of a flow (core/flows/editor): the sample flows, which run
// and pass (samples.test.ts), get no finding at all, so none of the checks cries wolf on real flows;
// and placeholders are skipped value by value, not request by request.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
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
