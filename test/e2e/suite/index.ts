// Entry point for the extension host, as @vscode/test-electron and code-server's smoke-test driver
// expect: `run()` loads the compiled *.e2e.js files beside it into Mocha and resolves when all
// pass (rejects otherwise). The last console line, `E2E-RESULT {...}`, gives runner A the counts.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Runner A sets a marker so it can tell the reporter's lines from the workbench's own log lines.
  const mark = process.env['VIP_E2E_LOG_MARK'];
  if (mark) {
    const log = console.log.bind(console);
    Mocha.reporters.Base.consoleLog = (...data: unknown[]) =>
      log(
        format(...data)
          .split('\n')
          .map((l) => mark + l)
          .join('\n'),
      );
  }
  const grep = process.env['VIP_E2E_GREP'];
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
  // activation.e2e.js first (it records the activation time, cold when nothing activated it yet); the others in name order.
  const first = (f: string): number => (f === 'activation.e2e.js' ? 0 : 1);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.e2e.js'))
    .sort((a, b) => first(a) - first(b) || a.localeCompare(b));
  for (const file of files) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const counts = {
          passed: stats?.passes ?? 0,
          failed: stats?.failures ?? failures,
          pending: stats?.pending ?? 0,
        };
        console.log(`E2E-RESULT ${JSON.stringify(counts)}`);
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
