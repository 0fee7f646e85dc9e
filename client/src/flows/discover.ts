// Flow files as Test Explorer items: a flow, then its cases (when it has `cases`), then its steps,
// each with the range of its object in the file (jsonc-parser, via core/flows/parse), so the run
// buttons sit in the gutter. A file that is not a valid flow stays in the tree with its error.
import * as vscode from 'vscode';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { checkFlow } from '../../../core/flows/check';
import { parseFlow, type ParsedFlow } from '../../../core/flows/parse';
import { caseLabel } from '../../../core/flows/runner';
import type { FlowDiagnostic, FlowSpec } from '../../../core/flows/types';

export const FLOW_GLOB = '**/*.vipflow.json';

/** What an item stands for: the flow file, and the case and step inside it. */
export interface ItemData {
  kind: 'flow' | 'case' | 'step';
  uri: vscode.Uri;
  caseIndex?: number;
  stepIndex?: number;
}

const data = new WeakMap<vscode.TestItem, ItemData>();

export function itemData(item: vscode.TestItem): ItemData | undefined {
  return data.get(item);
}

/** The item of the step `index` under a flow (without cases) or a case item. */
export function stepItem(parent: vscode.TestItem, index: number): vscode.TestItem | undefined {
  return parent.children.get(`${parent.id}/step${index}`);
}

export function caseItem(flowItem: vscode.TestItem, index: number): vscode.TestItem | undefined {
  return flowItem.children.get(`${flowItem.id}#case${index}`);
}

/** Reads the flow file and puts its item (with children, or an error) into the controller. */
export async function discoverFile(controller: vscode.TestController, uri: vscode.Uri): Promise<vscode.TestItem> {
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    const item = flowItem(controller, uri, uri.path.split('/').pop() ?? uri.path);
    item.error = vscode.l10n.t('Cannot read the flow file: {0}', e instanceof Error ? e.message : String(e));
    return item;
  }
  return showFlow(controller, uri, text).item;
}

/** The flow's item from `text`: its tree when the text is a flow, else the file's name with the diagnostics as its error. */
export function showFlow(
  controller: vscode.TestController,
  uri: vscode.Uri,
  text: string,
): { item: vscode.TestItem; runnable?: FlowSpec; errors: FlowDiagnostic[] } {
  const parsed = parseFlow(uri.fsPath, text);
  const flow = parsed.flow;
  const item = flowItem(controller, uri, flow?.name ?? uri.path.split('/').pop() ?? uri.path);
  if (!flow) {
    const first = parsed.diagnostics[0];
    item.range = first ? pointRange(first) : undefined;
    item.children.replace([]);
    item.error = diagnosticsText(parsed.diagnostics);
    return { item, errors: parsed.diagnostics };
  }
  item.range = nodeRange(parsed, parsed.root);
  const errors = checkFlow(flow).filter((d) => d.severity === 'error');
  item.error = errors.length ? diagnosticsText(errors) : undefined;
  if (flow.cases) {
    item.children.replace(
      flow.cases.map((c) => {
        const child = controller.createTestItem(`${item.id}#case${c.index}`, caseLabel(c), uri);
        data.set(child, { kind: 'case', uri, caseIndex: c.index });
        child.range = nodeRange(parsed, findNodeAtLocation(parsed.root!, ['cases', c.index]));
        child.children.replace(stepItems(controller, child, flow, parsed, c.index));
        return child;
      }),
    );
  } else item.children.replace(stepItems(controller, item, flow, parsed, undefined));
  return { item, runnable: errors.length ? undefined : flow, errors };
}

function flowItem(controller: vscode.TestController, uri: vscode.Uri, label: string): vscode.TestItem {
  const id = uri.toString();
  const item = controller.items.get(id) ?? controller.createTestItem(id, label, uri);
  item.label = label;
  data.set(item, { kind: 'flow', uri });
  controller.items.add(item);
  return item;
}

function stepItems(
  controller: vscode.TestController,
  parent: vscode.TestItem,
  flow: FlowSpec,
  parsed: ParsedFlow,
  caseIndex: number | undefined,
): vscode.TestItem[] {
  return flow.steps.map((s) => {
    const child = controller.createTestItem(`${parent.id}/step${s.index}`, s.name, parent.uri);
    data.set(child, { kind: 'step', uri: parent.uri!, caseIndex, stepIndex: s.index });
    child.range = nodeRange(parsed, findNodeAtLocation(parsed.root!, ['steps', s.index]));
    return child;
  });
}

function nodeRange(parsed: ParsedFlow, node: Node | undefined): vscode.Range | undefined {
  if (!node) return undefined;
  const start = parsed.positionAt(node.offset);
  const end = parsed.positionAt(node.offset + node.length);
  return new vscode.Range(start.line - 1, start.column - 1, end.line - 1, end.column - 1);
}

function pointRange(d: FlowDiagnostic): vscode.Range {
  const p = new vscode.Position(d.line - 1, d.column - 1);
  return new vscode.Range(p, p);
}

function diagnosticsText(list: FlowDiagnostic[]): string {
  const lines = list.slice(0, 10).map((d) => `${d.line}:${d.column} ${d.message}`);
  return [vscode.l10n.t('Not a valid flow:'), ...lines].join('\n');
}
