// Builds what the extension host loads: the extension bundles (npm run build → dist/) and the e2e
// suite (test/e2e/suite/*.ts → test/e2e/out/suite/*.js, git-ignored).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './tools';

export const suiteOutDir = path.join(repoRoot, 'test/e2e/out/suite');

export function buildExtension(): void {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the extension (node esbuild.mjs) failed');
}

/** Compiles the suite; returns the path of its `run()` entry (index.js). */
export async function buildSuite(): Promise<string> {
  const srcDir = path.join(repoRoot, 'test/e2e/suite');
  const entryPoints = readdirSync(srcDir)
    .filter((f) => f === 'index.ts' || f.endsWith('.e2e.ts'))
    .map((f) => path.join(srcDir, f));
  rmSync(suiteOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The extension host provides `vscode`; mocha must be the one instance index.js runs.
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return path.join(suiteOutDir, 'index.js');
}
