// Counts over flow results, shared by the reporters and the CLI's exit code.
import type { FlowResult, StepResult } from '../types';

export interface Summary {
  flows: { passed: number; failed: number; error: number; skipped: number };
  steps: { passed: number; failed: number; error: number; skipped: number };
  durationMs: number;
}

export function summarize(results: FlowResult[]): Summary {
  const zero = () => ({ passed: 0, failed: 0, error: 0, skipped: 0 });
  const s: Summary = { flows: zero(), steps: zero(), durationMs: 0 };
  for (const r of results) {
    s.flows[r.status]++;
    s.durationMs += r.durationMs;
    for (const step of r.steps) s.steps[step.status]++;
  }
  return s;
}

/** `Lost phone › case 2 (token=SYMC10000001)`. */
export function flowTitle(r: FlowResult): string {
  return r.caseLabel ? `${r.name} › ${r.caseLabel}` : r.name;
}

/** `flows/lost.vipflow.json:12:7` with the file relative to `cwd` when inside it. */
export function where(file: string, at: { line: number; column: number }, relative: (f: string) => string): string {
  return `${relative(file)}:${at.line}:${at.column}`;
}

export function stepSeconds(step: StepResult): string {
  return (step.durationMs / 1000).toFixed(3);
}
