// Shared by the flow tests: flow files in a temporary folder, runs in-process, and the CLI as a
// child process (from the sources or from dist/cli.js).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadFlowFile } from '../../core/flows/check';
import { LOCAL_SIMULATOR } from '../../core/flows/localSimulator';
import { runFlow, type FlowTarget } from '../../core/flows/runner';
import type { FlowResult } from '../../core/flows/types';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLOCK = '2026-06-01T12:00:00Z';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vip-flows-'));
}

/** Writes `flow` (an object, or text as is) to `dir/name` and returns the path. */
export function writeFlow(dir: string, name: string, flow: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof flow === 'string' ? flow : JSON.stringify(flow, null, 2));
  return file;
}

/** Loads (no diagnostics allowed) and runs a flow file. */
export async function runFile(
  file: string,
  target: FlowTarget = LOCAL_SIMULATOR,
  options: { vars?: Record<string, string>; env?: NodeJS.ProcessEnv } = {},
): Promise<FlowResult[]> {
  const loaded = loadFlowFile(file);
  assert.deepEqual(
    loaded.diagnostics.filter((d) => d.severity === 'error'),
    [],
    'the flow file is valid',
  );
  return runFlow(loaded.flow!, { target, ...options });
}

/** A flow object on the simulator with a fixed clock. */
export function flow(steps: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'test flow', clock: CLOCK, ...extra, steps };
}

export const send = (op: string, fields: Record<string, unknown>) => ({
  [`${op}Request`]: { Version: '3.1', ...fields },
});

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `vip-api …` in a child process, asynchronously (a simulator of the test may have to answer it). */
export function cli(
  args: string[],
  opts: { dist?: boolean; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const argv = opts.dist
    ? [path.join(ROOT, 'dist', 'cli.js'), ...args]
    : [
        '--import',
        pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
        path.join(ROOT, 'cli', 'main.ts'),
        ...args,
      ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      argv,
      { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : NaN) : 0;
        if (Number.isNaN(status)) reject(error instanceof Error ? error : new Error(`${args.join(' ')} failed`));
        else resolve({ status, stdout, stderr });
      },
    );
  });
}
