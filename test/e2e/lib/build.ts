// Builds what the extension host loads: the extension bundles (npm run build → dist/) and the e2e
// suite (test/e2e/suite/*.ts → test/e2e/out/run-<pid>/*.js, git-ignored).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './tools';

const outRoot = path.join(repoRoot, 'test/e2e/out');

export function buildExtension(): void {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the extension (node esbuild.mjs) failed');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles the suite into test/e2e/out/run-<pid>/ (one folder per run, so runs in the same tree
 * do not clobber each other; folders of runs that are gone are removed). Returns the path of its
 * `run()` entry (index.js) and a function that removes the folder. The folder stays inside the
 * repo so that `require('mocha')` resolves to the project's mocha.
 */
export async function buildSuite(suite = 'suite'): Promise<{ entry: string; remove: () => void }> {
  mkdirSync(outRoot, { recursive: true });
  for (const dir of readdirSync(outRoot)) {
    const pid = /^run-(\d+)$/.exec(dir)?.[1];
    if (!pid || !alive(Number(pid))) rmSync(path.join(outRoot, dir), { recursive: true, force: true });
  }
  const outDir = path.join(outRoot, `run-${process.pid}`, suite);
  const srcDir = path.join(repoRoot, 'test/e2e', suite);
  // Every suite folder runs with the same Mocha entry (suite/index.ts).
  const entryPoints = [
    path.join(repoRoot, 'test/e2e/suite/index.ts'),
    ...readdirSync(srcDir)
      .filter((f) => f.endsWith('.e2e.ts'))
      .map((f) => path.join(srcDir, f)),
  ];
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    entryNames: '[name]', // flat: index.js beside the *.e2e.js it loads, whatever folder they come from
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
  return {
    entry: path.join(outDir, 'index.js'),
    remove: () => rmSync(path.dirname(outDir), { recursive: true, force: true }),
  };
}
