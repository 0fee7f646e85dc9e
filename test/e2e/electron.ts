// Runner B: the same Mocha suite in the desktop VS Code, with @vscode/test-electron.
//   npm run test:electron                       downloads VS Code (needs internet)
//   VSCODE_EXECUTABLE=/path/to/code npm run test:electron   uses an installed VS Code
//   VSCODE_VERSION=1.99.0 npm run test:electron  downloads that version (default: stable)
// Not used in CI here (these machines cannot download VS Code): runner A (run.ts) runs the suite
// in code-server instead. Exit 0 only when all tests passed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtension, buildSuite } from './lib/build';
import { repoRoot } from './lib/tools';

async function main(): Promise<number> {
  buildExtension();
  const suite = await buildSuite();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'vip-vscode-user-'));
  const extensionsDir = mkdtempSync(path.join(os.tmpdir(), 'vip-vscode-ext-'));
  const vscodeExecutablePath = process.env['VSCODE_EXECUTABLE'];
  try {
    return await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: process.env['VSCODE_VERSION'] ?? 'stable' }),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite.entry,
      launchArgs: [
        path.join(repoRoot, 'test/e2e/fixtures/workspace'),
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--disable-extensions', // other installed extensions; the one under test still loads
        // test-electron itself adds --skip-welcome, --skip-release-notes, --disable-workspace-trust…
      ],
    });
  } finally {
    suite.remove();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(extensionsDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:electron failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
