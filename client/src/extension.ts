// The VS Code extension: a thin adapter over the bundled language server and core/transport.
// Activation registers commands, the CodeLens and the status bar only; the language client
// (vscode-languageclient, the bulk of the code) loads from dist/language.js right after
// activation returns, and the send machinery from dist/send.js on first use (./bundles.ts).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { languageBundle } from './bundles';
import type { FlowTests } from './flows/controller';
import { recordRun, type RecordedRun } from './flows/record';
import { registerFlowTests } from './flowTests';
import type { LanguageFeatures } from './language';
import { registerSendFeatures } from './send';
import { registerSimulatorForApp } from './simulatorForApp';
import { registerWalkthrough } from './walkthrough';

export { LANGUAGE_ID } from './vipDocuments';
let language: Promise<LanguageFeatures> | undefined;

/** What `activate` returns (the extension's API, used by the tests). */
export interface ExtensionApi {
  /** The language client, once dist/language.js has loaded (it has when `ready` settles). */
  readonly client: LanguageClient | undefined;
  /** Settles when the language server has started (or failed to; then the log says why). */
  ready: Promise<void>;
}

/**
 * Added to the API only when VS Code runs the extension for its tests (ExtensionMode.Test): the
 * figures the e2e activation test records for `npm run bench`. Not part of the public surface.
 */
export interface TestHooks {
  /** Milliseconds from the start of activate() to the language client being created (after activation). */
  languageClientLoadedMs(): number | undefined;
  /** The flows' test controller once loaded (it loads when the workspace has a flow file), and what its runs reported. */
  flowTests(): Promise<FlowTests> | undefined;
  readonly flowRuns: RecordedRun[];
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | (ExtensionApi & { testHooks: TestHooks }) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('VIP API Workbench', { log: true });
  context.subscriptions.push(log);
  registerSendFeatures(context, log);
  registerSimulatorForApp(context, log);
  registerWalkthrough(context);
  const flowRuns: RecordedRun[] = [];
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const flows = registerFlowTests({
    context,
    log,
    wrapRun: testMode ? (run, request) => recordRun(run, flowRuns, request.profile?.label) : undefined,
  });

  // Off the activation path: the event that activated us (a vip-json file opening, or one of our
  // commands) is not held up by loading the language client. A macrotask, so VS Code records the
  // activation as finished first.
  let loadedMs: number | undefined;
  let features: LanguageFeatures | undefined;
  const loading = new Promise<LanguageFeatures>((resolve, reject) =>
    setTimeout(() => {
      try {
        features = languageBundle().startLanguageFeatures(context, log);
        loadedMs = performance.now() - started;
        resolve(features);
      } catch (e) {
        log.error(`The language client did not load: ${e instanceof Error ? e.message : String(e)}`);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    }, 0),
  );
  language = loading;
  const ready = loading.then(
    (f) => f.ready,
    () => undefined,
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('vipApi.newRequest', async (operation?: string) =>
      (await loading).newRequest(operation),
    ),
    vscode.commands.registerCommand('vipApi.openSchema', async (uri?: unknown) => (await loading).openSchema(uri)),
  );

  const api: ExtensionApi = {
    get client() {
      return features?.client;
    },
    ready,
  };
  if (context.extensionMode !== vscode.ExtensionMode.Test) return api;
  return Object.assign(api, {
    testHooks: { languageClientLoadedMs: () => loadedMs, flowTests: () => flows.loaded(), flowRuns },
  });
}

export async function deactivate(): Promise<void> {
  const features = await language?.catch(() => undefined);
  language = undefined;
  await features?.client.stop();
}
