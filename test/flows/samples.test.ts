// The playground's sample flows (scripts/playground/workspace/flows) run: every one passes except
// fails-on-purpose, which fails exactly at the expect of its replay step.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT, runFile } from './helpers';

const SAMPLES = path.join(ROOT, 'scripts', 'playground', 'workspace', 'flows');
const files = fs
  .readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.vipflow.json'))
  .sort();

test('the samples are the five scenarios of the issue', () => {
  assert.deepEqual(files, [
    'fails-on-purpose.vipflow.json',
    'lockout-and-unlock.vipflow.json',
    'lost-phone.vipflow.json',
    'sms-register-activate.vipflow.json',
    'temporary-password-disabled.vipflow.json',
  ]);
});

for (const name of files) {
  test(`sample ${name}`, async () => {
    const file = path.join(SAMPLES, name);
    const [result] = await runFile(file);
    if (name !== 'fails-on-purpose.vipflow.json') {
      assert.equal(
        result.status,
        'passed',
        JSON.stringify(result.steps.map((s) => [s.name, s.status, s.problem?.message])),
      );
      return;
    }
    assert.deepEqual(
      result.steps.map((s) => s.status),
      ['passed', 'passed', 'failed', 'skipped'],
    );
    const failed = result.steps[2];
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const replay = lines.findIndex((l) => l.includes('"replay the same code"'));
    const expectLine = lines.findIndex((l, i) => i > replay && l.includes('"expect"'));
    assert.deepEqual(failed.problem?.at, { line: expectLine + 1, column: lines[expectLine].indexOf('"expect"') + 1 });
    assert.equal(failed.problem?.expected, '0000 (Success)');
    assert.equal(failed.problem?.actual, '49b5 (Failed with an invalid security code)');
  });
}
