// A per-user cache of the e2e tools (Node 24, code-server, Chromium), installed from the npm registry.
// Each tool lives in `<cache>/<name>-<hash>/`, where the hash covers its committed package.json,
// package-lock.json and install recipe: a second clone, or `git clean -xdf`, finds it there instead
// of spending minutes reinstalling, and a changed lockfile gets a folder of its own. An install goes
// into a staging folder that is renamed into place only when complete, so two clones installing at
// once each end up using one whole copy and nobody ever sees half of one.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Log = (line: string) => void;

/** `$VIP_E2E_TOOLS_CACHE`, else `$XDG_CACHE_HOME/vip-api-workbench/e2e-tools`, else `~/.cache/…`. */
export function toolsCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env['VIP_E2E_TOOLS_CACHE']) return path.resolve(env['VIP_E2E_TOOLS_CACHE']);
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'vip-api-workbench', 'e2e-tools');
}

/** What an install step needs: where it runs, how to run npm there, and how to report. */
export interface InstallContext {
  dir: string;
  env: NodeJS.ProcessEnv;
  log: Log;
  /** Runs a command in `cwd` (default `dir`) with `extraEnv` added; rejects with its last lines of output. */
  run(cmd: string, args: string[], cwd?: string, extraEnv?: NodeJS.ProcessEnv): Promise<void>;
  /** Names what the install is doing now, for the progress lines. */
  phase(text: string): void;
}

export interface ToolSpec {
  /** Folder name under test/e2e/tools/ with package.json + package-lock.json, and the cache prefix. */
  name: string;
  /** What the user is told, e.g. "code-server 4.139.1". */
  label: string;
  /** Rough size and time, said before a first install, e.g. "~700 MB, 2-4 min". */
  estimate: string;
  /** Free disk space needed to start the install. */
  needsBytes: number;
  specDir: string;
  /** Bumped whenever `install` changes, so a cached copy made the old way is not reused. */
  recipeVersion: number;
  env: NodeJS.ProcessEnv;
  install(ctx: InstallContext): Promise<void>;
  /** Checks a finished copy (staged or cached); throws a sentence when something is missing. */
  verify(dir: string): void;
}

/** One sentence for the user: the tool, the cause, what to do. */
export class ToolInstallError extends Error {
  override readonly name = 'ToolInstallError';
}

const MARKER = '.installed.json';

export function toolHash(spec: Pick<ToolSpec, 'specDir' | 'recipeVersion'>): string {
  const h = createHash('sha256');
  h.update(`recipe ${spec.recipeVersion}\n`);
  for (const f of ['package.json', 'package-lock.json']) h.update(readFileSync(path.join(spec.specDir, f)));
  return h.digest('hex').slice(0, 16);
}

/** The tool's folder in the cache, installing it first unless a complete copy is there. */
export async function ensureTool(spec: ToolSpec, log: Log, root = toolsCacheRoot(spec.env)): Promise<string> {
  const dir = path.join(root, `${spec.name}-${toolHash(spec)}`);
  if (existsSync(path.join(dir, MARKER))) {
    spec.verify(dir);
    return dir;
  }
  mkdirSync(root, { recursive: true });
  checkFreeSpace(spec, root);
  const staging = path.join(root, `.staging-${spec.name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const started = Date.now();
  log(`Installing ${spec.label} from the npm registry into ${dir} (first run only; ${spec.estimate})…`);
  try {
    await installInto(spec, staging, log, started);
    spec.verify(staging);
    writeFileSync(path.join(staging, MARKER), JSON.stringify({ tool: spec.label, seconds: secondsSince(started) }));
    publish(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!(err instanceof ToolInstallError))
      log(`  ${spec.label}: the install failed; its last output:\n${indent(String(err))}`);
    throw err instanceof ToolInstallError ? err : new ToolInstallError(describeFailure(spec, err, root));
  }
  log(`Installed ${spec.label} in ${secondsSince(started)} s (${dir}).`);
  return dir;
}

async function installInto(spec: ToolSpec, staging: string, log: Log, started: number): Promise<void> {
  mkdirSync(staging, { recursive: true });
  for (const f of ['package.json', 'package-lock.json'])
    copyFileSync(path.join(spec.specDir, f), path.join(staging, f));
  let lastLine = '';
  const ticker = setInterval(() => {
    log(`  … ${spec.label}: ${secondsSince(started)} s${lastLine ? `, ${lastLine.slice(0, 100)}` : ''}`);
  }, 5_000);
  const ctx: InstallContext = {
    dir: staging,
    env: spec.env,
    log,
    phase: (text) => log(`  ${spec.label}: ${text}`),
    run: (cmd, args, cwd = staging, extraEnv = {}) =>
      runCommand(cmd, args, cwd, { ...spec.env, ...extraEnv }, (line) => {
        lastLine = line;
      }),
  };
  try {
    await spec.install(ctx);
  } finally {
    clearInterval(ticker);
  }
}

/** Renames the staged copy into place; when another process got there first, keeps theirs. */
function publish(staging: string, dir: string): void {
  try {
    renameSync(staging, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(path.join(dir, MARKER))) {
      rmSync(staging, { recursive: true, force: true });
      return;
    }
    throw err;
  }
}

function checkFreeSpace(spec: ToolSpec, root: string): void {
  const stats = statfsSync(root);
  const free = stats.bavail * stats.bsize;
  if (free < spec.needsBytes) {
    throw new ToolInstallError(
      `Cannot install ${spec.label}: only ${mb(free)} MB are free in ${root} and it needs about ${mb(spec.needsBytes)} MB; ` +
        `free some disk space or set VIP_E2E_TOOLS_CACHE to a folder on a larger disk, then run the command again.`,
    );
  }
}

/** The output that explains a failed npm run: a registry that cannot be reached, a full disk, … */
export function describeFailure(spec: Pick<ToolSpec, 'label'>, err: unknown, root: string): string {
  const text = err instanceof Error ? err.message : String(err);
  const what = `Could not install ${spec.label}`;
  if (/ENOSPC|no space left/i.test(text)) {
    return `${what}: the disk is full (ENOSPC) in ${root}; free some disk space or set VIP_E2E_TOOLS_CACHE to a folder on a larger disk, then run the command again.`;
  }
  if (
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|fetch failed/i.test(text)
  ) {
    return `${what}: the npm registry could not be reached (${firstMatch(text)}); check the network and npm's registry and proxy settings (npm config get registry), then run the command again.`;
  }
  if (/EACCES|EPERM/.test(text)) {
    return `${what}: permission denied in ${root}; make that folder writable or set VIP_E2E_TOOLS_CACHE to one that is, then run the command again.`;
  }
  return `${what}: ${lastLines(text)}; see the output above, then run the command again (nothing half-installed was kept).`;
}

function firstMatch(text: string): string {
  const m = /(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)[^\n]*/.exec(text);
  return (m?.[0] ?? lastLines(text)).trim().slice(0, 160);
}

/** npm's own summary (`npm error code X` and its first sentence), else the last lines of output. */
function lastLines(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim());
  const codeAt = lines.findIndex((l) => /^npm error code /.test(l));
  const explained = codeAt >= 0 ? lines.slice(codeAt + 1).find((l) => /^npm error \S/.test(l)) : undefined;
  const thrown = lines.find(
    (l) => /^(\w*Error|Error)\b|\b(E[A-Z]{3,})\b/.test(l) && !/^(Error: )?\S+ .* failed \(/.test(l),
  );
  const chosen = codeAt >= 0 ? [lines[codeAt], explained ?? ''] : [thrown ?? lines[lines.length - 1] ?? 'no output'];
  return chosen
    .join(': ')
    .replace(/npm error /g, '')
    .replace(/\s+/g, ' ')
    .slice(0, 240);
}

function runCommand(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const relay = (chunk: Buffer): void => {
      for (const raw of chunk.toString().split('\n')) {
        const line = raw.trimEnd();
        if (!line.trim()) continue;
        onLine(line.trim());
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}) in ${cwd}:\n${tail.join('\n')}`),
        );
    });
  });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function secondsSince(started: number): number {
  return Math.round((Date.now() - started) / 1000);
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}
