// The flows' Test Explorer in a trusted workspace: the playground's sample flows (copied into the
// workspace at test time) are discovered with their cases and steps at their ranges, an invalid
// file shows its error, runs on the Simulator profile pass and fail as the samples say (the
// failing one with its diff at its expect), the output is the redacted transcript, the
// environment profiles follow the setting, and a continuous run re-runs on save.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { getReasonCode } from '../../../core/data/catalog';
import { codeFor, demoState } from '../../../core/simulator';
import {
  eventually,
  finalStates,
  flowItem,
  hooks,
  outputOf,
  profile,
  runWith,
  stateOf,
  textOf,
  openAFlow,
  writeFlows,
} from './flowTests';
import { activateExtension, closeAllEditors, fixtureUri, setWorkspaceSetting } from './helpers';

const DIR = 'flows-e2e';
/** The flow the "follows the files" test makes, changes and deletes (git-ignored). */
const FOLLOWED = 'followed-e2e.vipflow.json';
const CLOCK = '2026-06-01T12:00:00Z';
const SECRET_PIN = 'pin-8f3e2a71';

const extra = {
  'cases.vipflow.json': JSON.stringify({
    name: 'Two credentials',
    clock: CLOCK,
    cases: [{ token: 'SYMC10000001' }, { token: 'SYMC10000003' }],
    steps: [
      {
        name: 'information',
        send: { GetTokenInformationRequest: { Version: '3.1', TokenId: '${token}' } },
        expect: { reasonCode: '0000' },
      },
    ],
  }),
  'secret-var.vipflow.json': JSON.stringify({
    name: 'A secret variable in a request',
    clock: CLOCK,
    vars: { pin: { value: SECRET_PIN, secret: true } },
    steps: [
      {
        name: 'information',
        send: { GetTokenInformationRequest: { Version: '3.1', RequestId: '${pin}', TokenId: 'SYMC10000001' } },
        expect: { reasonCode: '0000' },
      },
    ],
  }),
  'invalid.vipflow.json': '{ "name": "broken", "steps": [ { "name": "neither request nor send" } ] }',
};

/** Zero-based line of the node at `segments` (its key when it is a property's value). */
function lineOf(file: string, segments: (string | number)[]): number {
  const text = fs.readFileSync(file, 'utf8');
  const node = findNodeAtLocation(parseTree(text)!, segments)!;
  const at = node.parent?.type === 'property' ? node.parent.children![0] : node;
  return text.slice(0, at.offset).split('\n').length - 1;
}

describe('flows in the Test Explorer', () => {
  let root: string;
  before(async () => {
    // Written first: when this file runs alone, activation finds them (a watcher only just
    // registered may miss files created at once); in the whole suite the extension is active already.
    root = writeFlows(DIR, extra);
    await activateExtension();
    await openAFlow(root);
  });
  after(async () => {
    await setWorkspaceSetting('environments', undefined);
    await closeAllEditors();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(fixtureUri(FOLLOWED).fsPath, { force: true });
  });

  it('discovers flow files: flow → cases → steps, each at its range; an invalid file keeps its item with the error', async () => {
    const lost = await flowItem(root, 'lost-phone.vipflow.json');
    assert.equal(lost.label, 'Lost phone: a used code is refused, a deactivated credential is inactive');
    const steps: string[] = [];
    lost.children.forEach((c) => steps.push(c.label));
    assert.deepEqual(steps, ['current code', 'validate', 'the same code again', 'deactivate', 'now inactive']);
    const validate = lost.children.get(`${lost.id}/step1`)!;
    assert.equal(validate.range?.start.line, lineOf(lost.uri!.fsPath, ['steps', 1]));
    assert.ok(
      validate.range && validate.range.end.line > validate.range.start.line,
      'the range covers the step object',
    );

    const cases = await flowItem(root, 'cases.vipflow.json');
    const labels: string[] = [];
    cases.children.forEach((c) => labels.push(`${c.label}: ${c.children.size} step`));
    assert.deepEqual(labels, ['case 1 (token=SYMC10000001): 1 step', 'case 2 (token=SYMC10000003): 1 step']);

    const invalid = await flowItem(root, 'invalid.vipflow.json');
    assert.equal(invalid.label, 'invalid.vipflow.json');
    assert.match(
      textOf(invalid.error),
      /Not a valid flow:\n1:\d+ Step steps\.0: give exactly one of "request", "send" or "simulator"/,
    );
    assert.equal(invalid.children.size, 0);
  });

  it('follows the files: a changed flow shows its new steps, a deleted one goes', async () => {
    // In the workspace's own folder, watched since the workbench started: the workbench's watcher
    // may not report files in a folder created just before them (flows-e2e/ is made by before()).
    const file = fixtureUri(FOLLOWED).fsPath;
    const flow = (step: string) =>
      JSON.stringify({ name: 'Followed', steps: [{ name: step, send: { GetServerTimeRequest: { Version: '3.1' } } }] });
    fs.writeFileSync(file, flow('before'));
    const tests = await hooks().flowTests()!;
    const id = vscode.Uri.file(file).toString();
    const item = await eventually(() => tests.controller.items.get(id), `the test item of ${FOLLOWED}`);
    const firstStep = () => item.children.get(`${item.id}/step0`)?.label;
    await eventually(() => (firstStep() === 'before' ? true : undefined), 'the first step');
    fs.writeFileSync(file, flow('after'));
    await eventually(() => (firstStep() === 'after' ? true : undefined), 'the renamed step');
    fs.rmSync(file);
    await eventually(() => (tests.controller.items.get(item.id) ? undefined : true), 'the item to go');
  });

  it('the Simulator profile runs flows: a passing one passes step by step, the failing sample fails at its expect with the diff', async () => {
    const lost = await flowItem(root, 'lost-phone.vipflow.json');
    const fails = await flowItem(root, 'fails-on-purpose.vipflow.json');
    const run = await runWith(await profile('Simulator'), [lost, fails]);
    const states = finalStates(run);
    assert.equal(states.get(lost.id)?.kind, 'passed');
    lost.children.forEach((step) => {
      const s = states.get(step.id);
      assert.equal(s?.kind, 'passed', step.label);
      assert.equal(typeof s.durationMs, 'number', `${step.label} has a duration`);
    });
    assert.equal(states.get(fails.id)?.kind, 'failed');
    assert.equal(stateOf(run, fails, 'validate')?.kind, 'passed');
    assert.equal(stateOf(run, fails, 'never reached')?.kind, 'skipped');
    const failed = stateOf(run, fails, 'replay the same code');
    assert.equal(failed?.kind, 'failed');
    const [message] = failed.messages!;
    const ok = `0000 (${getReasonCode('0000')!.message})`;
    const replayed = `49b5 (${getReasonCode('49b5')!.message})`;
    assert.equal(message.expectedOutput, ok);
    assert.equal(message.actualOutput, replayed);
    assert.match(textOf(message.message), new RegExp(`expected ${escape(ok)}, got ${escape(replayed)}`));
    assert.equal(message.location?.uri.toString(), fails.uri!.toString());
    assert.equal(message.location.range.start.line, lineOf(fails.uri!.fsPath, ['steps', 2, 'expect']));
  });

  it('the run output is the redacted transcript: no OTP, temporary password or secret variable', async () => {
    const items = await Promise.all(
      ['lost-phone', 'temporary-password-disabled', 'secret-var'].map((n) => flowItem(root, `${n}.vipflow.json`)),
    );
    const run = await runWith(await profile('Simulator'), items);
    for (const item of items) assert.equal(finalStates(run).get(item.id)?.kind, 'passed', item.label);
    const output = outputOf(run);
    assert.match(output, /→ POST http:\/\/127\.0\.0\.1:\d+\/validate \{[^\r\n]*"OTP":"«redacted»"/);
    assert.match(output, /\r\n/, 'lines end in CRLF');
    assert.doesNotMatch(output, /[^\r]\n/, 'no bare LF');
    const otp = codeFor(demoState(), 'SYMC10000001', new Date(CLOCK))!;
    assert.ok(!output.includes(otp), 'the OTP of the frozen clock is not in the output');
    assert.match(output, /"TemporaryPassword":"«redacted»"/);
    assert.doesNotMatch(output, /"TemporaryPassword":"(?!«redacted»)/);
    assert.ok(output.includes('"RequestId":"«redacted»"'), 'the secret variable is redacted where it was sent');
    assert.ok(!output.includes(SECRET_PIN), 'the secret variable is not in the output');
  });

  it('a case runs alone; a cancelled run reports its items skipped', async () => {
    const cases = await flowItem(root, 'cases.vipflow.json');
    const second = cases.children.get(`${cases.id}#case1`)!;
    const run = await runWith(await profile('Simulator'), [second]);
    const states = finalStates(run);
    assert.equal(states.get(second.id)?.kind, 'passed');
    assert.equal(states.get(`${cases.id}#case0`), undefined, 'the first case did not run');
    // Run the flow with its first case excluded: only the second runs.
    const runProfile = await profile('Simulator');
    const runs = hooks().flowRuns;
    const before = runs.length;
    const first = cases.children.get(`${cases.id}#case0`)!;
    await runProfile.runHandler(
      new vscode.TestRunRequest([cases], [first], runProfile),
      new vscode.CancellationTokenSource().token,
    );
    const withoutFirst = finalStates(runs[before]);
    assert.equal(withoutFirst.get(second.id)?.kind, 'passed');
    assert.equal(withoutFirst.get(first.id), undefined, 'the excluded case did not run');
    const cancelled = new vscode.CancellationTokenSource();
    cancelled.cancel();
    const skipped = await runWith(await profile('Simulator'), [cases], cancelled.token);
    assert.equal(finalStates(skipped).get(cases.id)?.kind, 'skipped');
  });

  it('one run profile per configured environment, following the setting', async () => {
    await setWorkspaceSetting('environments', [{ name: 'staging', url: 'https://127.0.0.1:9/{operation}' }]);
    const tests = await hooks().flowTests()!;
    const labels = () => tests.profiles().map((p) => p.label);
    await eventually(() => (labels().includes('Environment: staging') ? true : undefined), 'the staging profile');
    assert.deepEqual(labels(), ['Simulator', 'Environment: staging']);
    const simulator = await profile('Simulator');
    assert.equal(simulator.isDefault, true);
    assert.equal(simulator.supportsContinuousRun, true);
    await setWorkspaceSetting('environments', undefined);
    await eventually(() => (labels().length === 1 ? true : undefined), 'the staging profile to go');
    assert.deepEqual(labels(), ['Simulator']);
  });

  it('a continuous run re-runs a flow when a request file it uses is saved', async () => {
    const lost = await flowItem(root, 'lost-phone.vipflow.json');
    const simulator = await profile('Simulator');
    const watching = new vscode.CancellationTokenSource();
    const runs = hooks().flowRuns;
    const before = runs.length;
    const done = simulator.runHandler(new vscode.TestRunRequest([lost], undefined, simulator, true), watching.token);
    const doc = await vscode.workspace.openTextDocument(path.join(root, 'requests', 'validate-otp.vip.json'));
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), ' ');
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    const rerun = await eventually(() => runs.slice(before).find((r) => r.ended), 'the re-run after the save');
    assert.equal(finalStates(rerun).get(lost.id)?.kind, 'passed');
    watching.cancel();
    await done;
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
