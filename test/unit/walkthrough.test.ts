// The Get Started walkthrough (package.json contributes.walkthroughs): its sample request predicts
// exactly the reason code its second step talks about, its files exist and go into the package,
// and `VIP: Explain reason code from log line…` finds the code in the lines its step shows.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { reasonCodesInText } from '../../client/src/reasonCodeInText';
import { analyze } from '../../core/engine';
import { ROOT } from '../helpers/lspClient';

interface Step {
  id: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const walkthrough: { id: string; steps: Step[] } = manifest.contributes.walkthroughs[0];
/** A contributed string as VS Code shows it: `%key%` read from package.nls.json. */
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));
const shown = (text: string): string => text.replace(/^%([^%]+)%$/, (_, key: string) => nls[key] ?? text);
const sample = fs.readFileSync(path.join(ROOT, 'media', 'walkthrough', 'sample-request.vip.json'), 'utf8');

test("the sample request predicts 4e04 and nothing else; with the quick fix's Version it is clean", () => {
  const findings = analyze(sample);
  assert.deepEqual(
    findings.map((f) => [f.severity, f.code]),
    [['error', '4e04']],
  );
  assert.deepEqual(analyze(sample.replace('"Version": "5.0"', '"Version": "3.1"')), []);
});

test('every step has media that exists, a completion event, and its buttons name declared commands', () => {
  const declared = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
  const builtIn = new Set(['editor.action.quickFix']);
  assert.equal(walkthrough.steps.length, 5);
  for (const step of walkthrough.steps) {
    const media = step.media.markdown ?? step.media.image;
    assert.ok(media && fs.existsSync(path.join(ROOT, media)), `${step.id}: media ${media} exists`);
    assert.ok(step.completionEvents?.length, `${step.id}: has completion events`);
    const buttons = [...shown(step.description).matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.ok(buttons.length > 0, `${step.id}: has a button`);
    for (const command of buttons)
      assert.ok(declared.has(command), `${step.id}: ${command} is declared in contributes.commands`);
    for (const event of step.completionEvents) {
      const [kind, name] = event.split(/:(.*)/s);
      assert.match(
        kind,
        /^(onCommand|onSettingChanged|onContext|onView|onLink|extensionInstalled|onStepSelected)$/,
        `${step.id}: ${event}`,
      );
      if (kind === 'onCommand')
        assert.ok(declared.has(name) || builtIn.has(name), `${step.id}: ${name} is a declared command`);
      if (kind === 'onSettingChanged')
        assert.ok(name in manifest.contributes.configuration.properties, `${step.id}: ${name} is a setting`);
    }
  }
});

test('the reason code in a log line: labelled first, else a four-hex-digit word, never a date or an id', () => {
  assert.deepEqual(
    reasonCodesInText('2026-01-05T10:12:03Z WARN vip DeactivateToken ReasonCode=4e04 RequestId=abc123'),
    ['4e04'],
  );
  assert.deepEqual(reasonCodesInText('<Status><ReasonCode>4E04</ReasonCode><StatusMessage>x</StatusMessage>'), [
    '4e04',
  ]);
  assert.deepEqual(reasonCodesInText('"ReasonCode": "49b5", "StatusMessage": "..."'), ['49b5']);
  assert.deepEqual(reasonCodesInText('failed with reason code 6009 (retry later)'), ['6009']);
  assert.deepEqual(reasonCodesInText('4e04'), ['4e04']);
  assert.deepEqual(reasonCodesInText('2026-01-05 12:00 token VSST12345678 answered 4996 then 4e04'), ['4996', '4e04']);
  assert.deepEqual(reasonCodesInText('2026-01-05 12:00 all good'), []);
});
