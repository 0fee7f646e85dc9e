// The built-in simulator for the default "Simulator" environment: `vip-api simulator`, run from the
// bundled language server (`dist/server.js simulator …`) as a child process on 127.0.0.1 on first
// use and stopped with the extension. A separate process keeps the simulator's code out of the
// extension host and its crashes away from it.
import { fork, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';

const READY = /^VIP simulator listening on (\S+)/;

export class SimulatorHost {
  private running?: Promise<{ url: string; child: ChildProcess }>;
  currentUrl?: string;

  constructor(
    /** dist/server.js of the extension (or dist/cli.js: both take the `simulator` arguments). */
    private readonly cliPath: string,
    private readonly log: (line: string) => void,
    private readonly startTimeoutMs = 15_000,
  ) {}

  /** The simulator's base URL (no trailing slash), starting it if needed. */
  async url(): Promise<string> {
    this.running ??= this.start().catch((e: unknown) => {
      this.running = undefined;
      throw e;
    });
    const { url } = await this.running;
    this.currentUrl = url.replace(/\/+$/, '');
    return this.currentUrl;
  }

  private start(): Promise<{ url: string; child: ChildProcess }> {
    return new Promise((resolve, reject) => {
      const child = fork(this.cliPath, ['simulator', '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      const stderr: string[] = [];
      let ready = false;
      const fail = (why: string) => {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        child.kill();
        reject(new Error(`${why}${stderr.length ? `: ${stderr.join('').trim().slice(0, 500)}` : ''}`));
      };
      const timer = setTimeout(() => fail(`the simulator did not start within ${this.startTimeoutMs / 1000} s`), this.startTimeoutMs);
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = READY.exec(line);
        if (!ready && m) {
          ready = true;
          clearTimeout(timer);
          resolve({ url: m[1], child });
        } else {
          this.log(line); // request lines; the simulator redacts secrets itself
        }
      });
      child.stderr!.on('data', (d: Buffer) => {
        stderr.push(d.toString());
        if (ready) this.log(d.toString().trimEnd());
      });
      child.once('error', (e) => fail(`the simulator could not be started (${e.message})`));
      child.once('exit', (code, signal) => {
        if (!ready) fail(`the simulator exited before it was ready (${signal ?? `exit code ${code}`})`);
        else if (this.running) {
          this.log(`the simulator stopped (${signal ?? `exit code ${code}`}); it restarts on the next send`);
          this.running = undefined;
          this.currentUrl = undefined;
        }
      });
    });
  }

  async close(): Promise<void> {
    const r = this.running;
    this.running = undefined;
    this.currentUrl = undefined;
    if (!r) return;
    const { child } = await r.catch(() => ({ child: undefined }));
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
