// The terminal report: one line per step (✔/✖, name, reason code, time); under a failure, expected
// vs actual with both codes explained, at file:line:col of the `expect`.
import type { FlowDiagnostic, FlowResult, StepResult } from '../types';
import { flowTitle, summarize, where, type Summary } from './summary';

export function formatFlow(r: FlowResult, relative: (f: string) => string): string {
  const head = `${r.status === 'passed' ? '✔' : r.status === 'skipped' ? '-' : '✖'} ${flowTitle(r)} (${relative(r.file)})`;
  const lines = [head];
  if (r.status === 'skipped' && r.skipReason) lines.push(`    skipped: ${r.skipReason}`);
  else for (const step of r.steps) lines.push(...formatStep(step, r.file, relative));
  return lines.join('\n') + '\n';
}

function formatStep(step: StepResult, file: string, relative: (f: string) => string): string[] {
  const ms = `${Math.round(step.durationMs)} ms`;
  if (step.status === 'skipped') return [`  - ${step.name} (skipped: ${step.skipReason ?? ''})`];
  const code = step.reasonCode ? ` · ${step.reasonCode}` : '';
  const tries = step.attempts && step.attempts > 1 ? ` · ${step.attempts} attempts` : '';
  const mark = step.status === 'passed' ? '✔' : '✖';
  const lines = [`  ${mark} ${step.name}${code}${tries} · ${ms}`];
  const p = step.problem;
  if (p) {
    const label = p.kind === 'transport' ? 'transport error: ' : p.kind === 'flow' ? 'flow error: ' : '';
    lines.push(`      ${where(file, p.at, relative)}: ${label}${p.message}`);
    if (p.expected !== undefined)
      lines.push(...block('expected: ', p.expected), ...block('actual:   ', p.actual ?? ''));
    for (const d of p.details ?? []) lines.push(`        ${d}`);
  }
  return lines;
}

function block(label: string, text: string): string[] {
  return text.split('\n').map((l, i) => `        ${i === 0 ? label : ' '.repeat(label.length)}${l}`);
}

export function formatDiagnostic(d: FlowDiagnostic, relative: (f: string) => string): string {
  return `${where(d.file, d, relative)}: ${d.severity} ${d.rule}: ${d.message}\n`;
}

export function formatSummary(s: Summary): string {
  const f = s.flows;
  const st = s.steps;
  return `flows: ${f.passed} passed, ${f.failed} failed, ${f.error} errors, ${f.skipped} skipped; steps: ${st.passed} passed, ${st.failed} failed, ${st.error} errors, ${st.skipped} skipped (${Math.round(s.durationMs)} ms)\n`;
}

export { summarize };
