// The JSON report: the results as the runner made them (redacted), with positions, plus a summary
// and the diagnostics of invalid flow files.
import type { FlowDiagnostic, FlowResult } from '../types';
import { summarize } from './summary';

export function toJson(results: FlowResult[], diagnostics: FlowDiagnostic[], relative: (f: string) => string): string {
  const flows = results.map((r) => ({ ...r, file: relative(r.file) }));
  return (
    JSON.stringify(
      {
        version: 1,
        summary: summarize(results),
        flows,
        diagnostics: diagnostics.map((d) => ({ ...d, file: relative(d.file) })),
      },
      null,
      2,
    ) + '\n'
  );
}
