// The Test Explorer for flows (loaded with dist/send.js, see ../flowTests.ts): discovers the
// workspace's *.vipflow.json files and follows them, and runs them with a Simulator profile (the
// default; continuous run re-runs on save) or one profile per configured environment, which only
// trusted workspaces get and whose first run in a session is confirmed.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Environment } from '../../../core/transport/environment';
import { passphraseFor } from '../send/passphrase';
import { isSimulator, readEnvironments } from '../send/environments';
import { SimulatorHost } from '../send/simulatorHost';
import { discoverFile, FLOW_GLOB } from './discover';
import { runUnits, skipAll, unitsOf, type FlowRunSetup } from './run';
import { watchForContinuousRun } from './continuous';

export interface FlowTestsHost {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** In the extension's tests: wraps each run to record what it reports. */
  wrapRun?: (run: vscode.TestRun, request: vscode.TestRunRequest) => vscode.TestRun;
}

export interface FlowTests {
  controller: vscode.TestController;
  profiles(): vscode.TestRunProfile[];
  /** Settles when the first discovery of the workspace has finished. */
  discovered: Promise<void>;
}

export function createFlowTests(host: FlowTestsHost): FlowTests {
  const { context } = host;
  const controller = vscode.tests.createTestController('vipApi.flows', vscode.l10n.t('VIP flows'));
  context.subscriptions.push(controller);
  const discoverAll = async () => {
    const files = await vscode.workspace.findFiles(FLOW_GLOB, '**/node_modules/**');
    const ids = new Set(files.map((f) => f.toString()));
    controller.items.forEach((item) => void (ids.has(item.id) || controller.items.delete(item.id)));
    await Promise.all(files.map((f) => discoverFile(controller, f)));
  };
  controller.refreshHandler = discoverAll;
  const watcher = vscode.workspace.createFileSystemWatcher(FLOW_GLOB);
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate((uri) => void discoverFile(controller, uri)),
    watcher.onDidChange((uri) => void discoverFile(controller, uri)),
    watcher.onDidDelete((uri) => controller.items.delete(uri.toString())),
  );
  const simulator = simulatorProfile(host, controller);
  const environments = environmentProfiles(host, controller);
  return {
    controller,
    profiles: () => [simulator, ...environments.values()],
    discovered: discoverAll(),
  };
}

/** Runs the request's flows, through `host.wrapRun` when the tests record. */
async function runRequest(
  host: FlowTestsHost,
  controller: vscode.TestController,
  request: vscode.TestRunRequest,
  token: vscode.CancellationToken,
  setup: () => Promise<FlowRunSetup | undefined>,
): Promise<void> {
  const created = controller.createTestRun(request);
  const run = host.wrapRun ? host.wrapRun(created, request) : created;
  const units = unitsOf(request, controller);
  const ready = await setup();
  if (!ready) {
    for (const item of units.keys()) skipAll(run, item);
    run.end();
    return;
  }
  await runUnits(controller, run, units, ready, token);
}

function simulatorProfile(host: FlowTestsHost, controller: vscode.TestController): vscode.TestRunProfile {
  const setup = (): Promise<FlowRunSetup> =>
    Promise.resolve({
      target: { kind: 'simulator', start: (now) => startFlowSimulator(host, now) },
      // An untrusted workspace's flows run on the local simulator only, and do not read the environment variables.
      env: vscode.workspace.isTrusted ? process.env : {},
    });
  const profile = controller.createRunProfile(
    vscode.l10n.t('Simulator'),
    vscode.TestRunProfileKind.Run,
    (request, token) =>
      request.continuous
        ? watchForContinuousRun(controller, request, token, (next) => runRequest(host, controller, next, token, setup))
        : runRequest(host, controller, request, token, setup),
    true,
    undefined,
    true,
  );
  host.context.subscriptions.push(profile);
  return profile;
}

/** A flow's own simulator: `dist/server.js simulator --now <clock>` in a child process, as Send's. */
async function startFlowSimulator(host: FlowTestsHost, now: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = host.context.asAbsolutePath('dist/server.js');
  const simulator = new SimulatorHost(server, (line) => host.log.debug(`flow simulator: ${line}`), { now });
  const url = await simulator.url();
  return { url, close: () => simulator.close() };
}

/** The configured environments (not the built-in simulator), in trusted workspaces only. */
function configuredEnvironments(scope?: vscode.Uri): Environment[] {
  if (!vscode.workspace.isTrusted) return [];
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
  const raw = vscode.workspace.getConfiguration('vipApi', folder?.uri).get<unknown>('environments');
  const baseDir = folder?.uri.fsPath ?? os.homedir();
  return readEnvironments(raw, { baseDir }).environments.filter((e) => !isSimulator(e));
}

/** One run profile per environment, following the setting and workspace trust. */
function environmentProfiles(
  host: FlowTestsHost,
  controller: vscode.TestController,
): Map<string, vscode.TestRunProfile> {
  const profiles = new Map<string, vscode.TestRunProfile>();
  const confirmed = new Set<string>();
  const sync = () => {
    const names = new Set(configuredEnvironments().map((e) => e.name));
    for (const [name, profile] of profiles)
      if (!names.has(name)) {
        profile.dispose();
        profiles.delete(name);
      }
    for (const name of names) {
      if (profiles.has(name)) continue;
      const setup = () => environmentSetup(host, name, confirmed);
      const handler = (request: vscode.TestRunRequest, token: vscode.CancellationToken) =>
        runRequest(host, controller, request, token, setup);
      profiles.set(
        name,
        controller.createRunProfile(vscode.l10n.t('Environment: {0}', name), vscode.TestRunProfileKind.Run, handler),
      );
    }
  };
  sync();
  host.context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('vipApi.environments') && sync()),
    vscode.workspace.onDidGrantWorkspaceTrust(sync),
    { dispose: () => profiles.forEach((p) => p.dispose()) },
  );
  return profiles;
}

/** The environment, once the user confirmed running flows on it this session; undefined: skip the run. */
async function environmentSetup(
  host: FlowTestsHost,
  name: string,
  confirmed: Set<string>,
): Promise<FlowRunSetup | undefined> {
  const env = configuredEnvironments().find((e) => e.name === name);
  if (!env) return undefined;
  if (!confirmed.has(name)) {
    const run = vscode.l10n.t('Run flows');
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t('Run flows against the real environment "{0}"?', name),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Flows change real credentials at {0} (they may deactivate, lock or reset them). You are asked once per session.',
          env.url,
        ),
      },
      run,
    );
    if (pick !== run) return undefined;
    confirmed.add(name);
  }
  const passphrase = await passphraseFor(host.context.secrets, env, true);
  return { target: { kind: 'environment', env, passphrase }, env: process.env };
}
