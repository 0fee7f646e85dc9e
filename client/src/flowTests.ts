// The flows' Test Explorer, from the activation bundle's side: it loads dist/send.js and builds the
// test controller only once the workspace has a flow file (found after activation returns, or
// created or opened later), so activation itself loads nothing more.
import * as vscode from 'vscode';
import { sendBundle } from './bundles';
import type { FlowTests, FlowTestsHost } from './flows/controller';

const FLOW_FILES = '**/*.vipflow.json';

/** The controller, once loaded (undefined while the workspace has no flow file). */
export interface FlowTestsLoader {
  loaded(): Promise<FlowTests> | undefined;
}

export function registerFlowTests(host: FlowTestsHost): FlowTestsLoader {
  let loading: Promise<FlowTests> | undefined;
  const watcher = vscode.workspace.createFileSystemWatcher(FLOW_FILES, false, true, true);
  const triggers = [
    watcher,
    watcher.onDidCreate(() => void load()),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.uri.scheme === 'file' && doc.uri.path.endsWith('.vipflow.json')) void load();
    }),
  ];
  host.context.subscriptions.push(...triggers);
  /** Loads the controller once; then the controller follows the files itself, and these triggers go. */
  function load(): Promise<FlowTests> {
    if (!loading) {
      loading = new Promise((resolve) => resolve(sendBundle().createFlowTests(host)));
      for (const t of triggers) t.dispose();
    }
    return loading;
  }
  setTimeout(() => {
    void vscode.workspace.findFiles(FLOW_FILES, '**/node_modules/**', 1).then((found) => {
      if (found.length) void load();
    });
  }, 0);
  return { loaded: () => loading };
}
