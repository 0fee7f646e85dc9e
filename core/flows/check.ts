// Loading a flow file for a run: read, parse (./parse), then the checks a schema cannot make:
// request files that exist, retry refused on operations that check codes, reason codes in the
// catalog, no reason code on a simulator step, step names that repeat.
import * as fs from 'node:fs';
import { getReasonCode } from '../data/catalog';
import { FlowError } from './errors';
import { parseFlow } from './parse';
import { requestDocument } from './checkRequest';
import type { FlowDiagnostic, FlowSpec, Position, StepSpec } from './types';

export interface LoadedFlow {
  file: string;
  flow?: FlowSpec;
  /** Errors make the file invalid (no run); warnings are shown. */
  diagnostics: FlowDiagnostic[];
}

export function loadFlowFile(file: string): LoadedFlow {
  const text = readFlowText(file);
  if (typeof text !== 'string') return { file, diagnostics: [text] };
  const parsed = parseFlow(file, text);
  if (!parsed.flow) return { file, diagnostics: parsed.diagnostics };
  const diagnostics = checkFlow(parsed.flow);
  return { file, flow: diagnostics.some((d) => d.severity === 'error') ? undefined : parsed.flow, diagnostics };
}

/** The flow file's text, or the diagnostic that says why it cannot be read. */
export function readFlowText(file: string): string | FlowDiagnostic {
  try {
    // A FIFO would wait for a writer for ever, a device may never end.
    if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return {
      file,
      line: 1,
      column: 1,
      severity: 'error',
      rule: 'read',
      message: `Cannot read the flow file (${why}).`,
    };
  }
}

export function checkFlow(flow: FlowSpec, options: { readRequestFiles?: boolean } = {}): FlowDiagnostic[] {
  const out: FlowDiagnostic[] = [];
  const add = (at: Position, severity: FlowDiagnostic['severity'], rule: string, message: string) =>
    out.push({ file: flow.file, ...at, severity, rule, message });
  const names = new Map<string, number>();
  for (const step of flow.steps) {
    const first = names.get(step.name);
    if (first !== undefined)
      add(
        step.at,
        'warning',
        'step.duplicateName',
        `Step name "${step.name}" repeats step ${first + 1}: reports cannot tell them apart.`,
      );
    else names.set(step.name, step.index);
    if (step.simulator && step.expect?.reasonCodes)
      add(
        step.expect.at,
        'error',
        'expect.simulatorReasonCode',
        `Step "${step.name}" is a simulator step: it has no reason code to expect (use "fields").`,
      );
    for (const spec of [step.expect, step.retry?.until]) {
      for (const code of spec?.reasonCodes ?? []) {
        if (!code.includes('${') && !getReasonCode(code))
          add(
            spec!.at,
            'warning',
            'expect.unknownReasonCode',
            `Reason code ${code} is not in the catalog (vip-api explain lists what is known).`,
          );
      }
    }
    // Request files of an unsaved flow cannot be found (their paths are relative to the flow file).
    if (!step.simulator && (step.send !== undefined || options.readRequestFiles !== false)) checkRequest(step, add);
  }
  return out;
}

/** The request file is readable and a request; a retry is allowed on it. */
function checkRequest(
  step: StepSpec,
  add: (at: Position, severity: 'error', rule: string, message: string) => void,
): void {
  try {
    requestDocument(step);
  } catch (e) {
    if (!(e instanceof FlowError)) throw e;
    if (e.node === 'retry' && step.retry) add(step.retry.at, 'error', 'retry.refused', e.message);
    else add(step.at, 'error', 'step.request', `Step "${step.name}": ${e.message}`);
  }
}
