// Flows in an untrusted workspace (Restricted Mode): the Test Explorer discovers them and runs them
// on the Simulator only. The workspace's own environment (fixtures/untrusted-workspace/.vscode/
// settings.json) gets no run profile, and `${env:…}` reads no environment variable.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  finalStates,
  flowItem,
  hooks,
  openAFlow,
  profile,
  runWith,
  stateOf,
  textOf,
  writeFlows,
} from '../suite/flowTests';
import { activateExtension } from '../suite/helpers';

const readsHome = JSON.stringify({
  name: 'Reads an environment variable',
  // The workspace's environment: the Simulator profile runs on the simulator whatever the flow names.
  target: 'Workspace endpoint',
  steps: [
    {
      name: 'home',
      send: { GetTokenInformationRequest: { Version: '3.1', TokenId: '${env:HOME}' } },
      expect: { reasonCode: '0000' },
    },
  ],
});

describe('flows in Restricted Mode', () => {
  let root: string;
  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner must open this folder untrusted');
    root = writeFlows('flows-e2e', { 'reads-home.vipflow.json': readsHome });
    await activateExtension();
    await openAFlow(root);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('offers the Simulator profile only, and runs flows there', async () => {
    const lost = await flowItem(root, 'lost-phone.vipflow.json');
    const tests = await hooks().flowTests()!;
    assert.deepEqual(
      tests.profiles().map((p) => p.label),
      ['Simulator'],
    );
    const run = await runWith(await profile('Simulator'), [lost]);
    assert.equal(finalStates(run).get(lost.id)?.kind, 'passed');
  });

  it('a flow reads no environment variable there: ${env:HOME} is not set', async () => {
    const flow = await flowItem(root, 'reads-home.vipflow.json');
    const run = await runWith(await profile('Simulator'), [flow]);
    const home = stateOf(run, flow, 'home');
    assert.equal(home?.kind, 'errored');
    assert.match(textOf(home.messages?.[0].message), /\$\{env:HOME\}: the environment variable HOME is not set/);
  });
});
