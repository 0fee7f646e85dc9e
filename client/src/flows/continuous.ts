// Continuous run ("watch"): after each save of a flow file, or of a request file one of its steps
// uses, the flows concerned run again, one run at a time, until the user stops watching.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseFlow } from '../../../core/flows/parse';
import { itemData } from './discover';
import { unitsOf } from './run';

/** The flow items (of those `request` covers) that read `file`: the flow file itself or a request file of a step. */
export function flowsUsing(
  controller: vscode.TestController,
  request: vscode.TestRunRequest,
  file: string,
  readText: (file: string) => string | undefined,
): vscode.TestItem[] {
  const target = path.resolve(file);
  return [...unitsOf(request, controller).keys()].filter((item) => {
    const flowFile = itemData(item)!.uri.fsPath;
    if (path.resolve(flowFile) === target) return true;
    const text = readText(flowFile);
    const flow = text === undefined ? undefined : parseFlow(flowFile, text).flow;
    return flow?.steps.some((s) => s.request !== undefined && path.resolve(s.request) === target) ?? false;
  });
}

export function watchForContinuousRun(
  controller: vscode.TestController,
  request: vscode.TestRunRequest,
  token: vscode.CancellationToken,
  runNext: (request: vscode.TestRunRequest) => Promise<void>,
): Promise<void> {
  let queue = Promise.resolve();
  const readText = (file: string) =>
    vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file)?.getText() ?? readFileText(file);
  const saved = vscode.workspace.onDidSaveTextDocument((doc) => {
    if (token.isCancellationRequested) return;
    const flows = flowsUsing(controller, request, doc.uri.fsPath, readText);
    if (!flows.length) return;
    const next = new vscode.TestRunRequest(flows, undefined, request.profile, true);
    queue = queue.then(() => (token.isCancellationRequested ? undefined : runNext(next)));
  });
  return new Promise((resolve) =>
    token.onCancellationRequested(() => {
      saved.dispose();
      void queue.then(resolve);
    }),
  );
}

function readFileText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // a flow file gone since: it uses nothing
  }
}
