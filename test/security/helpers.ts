// Shared by the security and robustness tests: the CLI bundled fresh from the sources (so a test
// runs the code it sits next to, not a stale dist/), run as a real process with a hard time limit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export const root = path.resolve(__dirname, '../..');

let bundled: Promise<string> | undefined;

/** A hash of every source the CLI bundle is made from (the bundle is reused while it matches). */
function sourceHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ts|json)$/.test(e.name)) h.update(full).update(fs.readFileSync(full));
    }
  };
  for (const d of ['cli', 'core', 'client/src', 'schemas']) walk(path.join(root, d));
  h.update(fs.readFileSync(path.join(root, 'package-lock.json')));
  return h.digest('hex').slice(0, 16);
}

/**
 * Bundles cli/main.ts like esbuild.mjs does, into os.tmpdir()/vip-sec-cli-<source hash>/: test
 * processes share one bundle per state of the sources (built once, renamed into place).
 */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = path.join(os.tmpdir(), `vip-sec-cli-${sourceHash()}`);
    const outfile = path.join(dir, 'cli.js');
    if (fs.existsSync(outfile)) return outfile;
    const esbuild = await import('esbuild');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-sec-cli-build-'));
    fs.chmodSync(tmp, 0o755); // readable by the unprivileged user some tests run it as
    await esbuild.build({
      entryPoints: [path.join(root, 'cli/main.ts')],
      outfile: path.join(tmp, 'cli.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      mainFields: ['module', 'main'],
      logLevel: 'error',
      absWorkingDir: root,
    });
    // Preloaded into simulator children: they exit when the test process goes away (its end of
    // their stdin closes), so a killed test run leaves no simulator behind. Unref'd: the open
    // pipe alone must not keep a stopped simulator running.
    fs.writeFileSync(
      path.join(tmp, 'watchdog.cjs'),
      "const s = process.stdin; s.on('close', () => process.kill(process.pid, 'SIGTERM')).resume(); s.unref();\n",
    );
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another test process was first
    }
    return outfile;
  })();
  return bundled;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** True when the run was killed for exceeding its time limit. */
  timedOut: boolean;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Hard limit; the child is killed (by its pid) after it and the run reports timedOut. */
  timeoutMs?: number;
  /** Run as this user and group (root only), e.g. nobody, so that permission bits apply. */
  uid?: number;
  gid?: number;
}

/** Environment for children: no inherited npm_* or NODE_OPTIONS (tsx's loader must not leak in). */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_') && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, ...extra };
}

/** Runs `node <bundled cli> ...args` and collects everything it writes. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const cli = await cliBundle();
  return runNode([cli, ...args], opts);
}

export function runNode(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const t0 = performance.now();
  const ids = opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.gid ?? opts.uid };
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? root,
    env: childEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...ids,
  });
  return collect(child, opts.timeoutMs ?? 20_000, t0);
}

function collect(child: ChildProcess, timeoutMs: number, t0: number): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0, timedOut });
    });
  });
}

/** Every byte of every file under `dir` (recursively), as latin1 text for substring scans. */
export function filesUnder(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push({ file: full, text: fs.readFileSync(full).toString('latin1') });
    }
  };
  walk(dir);
  return out;
}

export interface SimulatorProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then waits for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `vip-api simulator ...args` and resolves once it prints "listening on <url>". */
export async function startSimulatorProcess(args: string[], opts: CliOptions = {}): Promise<SimulatorProcess> {
  const cli = await cliBundle();
  const watchdog = path.join(path.dirname(cli), 'watchdog.cjs');
  const child = spawn(process.execPath, ['-r', watchdog, cli, 'simulator', ...args], {
    cwd: opts.cwd ?? root,
    env: childEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail('did not print "listening on" within 10 s'), opts.timeoutMs ?? 10_000);
    function fail(why: string) {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.kill('SIGKILL');
      reject(new Error(`vip-api simulator ${args.join(' ')}: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }
    function check() {
      const m = /VIP simulator listening on (\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(m[1]);
      }
    }
    child.stdout.on('data', check);
    void exited.then((code) => fail(`exited with ${code} before listening`));
  });
  return {
    url,
    child,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
