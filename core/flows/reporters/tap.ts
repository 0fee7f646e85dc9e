// TAP version 14: one subtest per flow (and case), one test point per step; a failure's YAML block
// has the message, where, and expected/actual. JSON strings are valid YAML scalars.
import type { FlowResult, StepResult } from '../types';
import { flowTitle, where } from './summary';

const clean = (s: string) => s.replace(/[\r\n#]+/g, ' ');

export function toTap(results: FlowResult[], relative: (f: string) => string): string {
  const out = ['TAP version 14', `1..${results.length}`];
  results.forEach((r, i) => {
    out.push(`# Subtest: ${clean(flowTitle(r))}`, `    1..${r.steps.length}`);
    r.steps.forEach((step, j) => out.push(...point(step, j + 1, r, relative)));
    const directive = r.status === 'skipped' ? ` # SKIP ${clean(r.skipReason ?? '')}` : '';
    out.push(
      `${r.status === 'failed' || r.status === 'error' ? 'not ok' : 'ok'} ${i + 1} - ${clean(flowTitle(r))}${directive}`,
    );
  });
  return out.join('\n') + '\n';
}

function point(step: StepResult, n: number, r: FlowResult, relative: (f: string) => string): string[] {
  const ok = step.status === 'passed' || step.status === 'skipped';
  const directive = step.status === 'skipped' ? ` # SKIP ${clean(step.skipReason ?? '')}` : '';
  const lines = [`    ${ok ? 'ok' : 'not ok'} ${n} - ${clean(step.name)}${directive}`];
  const p = step.problem;
  if (p) {
    lines.push(
      '      ---',
      `      message: ${JSON.stringify(p.message)}`,
      `      severity: ${step.status === 'failed' ? 'fail' : 'error'}`,
      `      kind: ${p.kind}`,
      `      at: ${JSON.stringify(where(r.file, p.at, relative))}`,
    );
    if (p.expected !== undefined)
      lines.push(`      expected: ${JSON.stringify(p.expected)}`, `      actual: ${JSON.stringify(p.actual ?? '')}`);
    if (step.reasonCode) lines.push(`      reasonCode: ${JSON.stringify(step.reasonCode)}`);
    lines.push('      ...');
  }
  return lines;
}
