// The built-in simulator for the default "Simulator" environment (and, on a fixed port, for
// `VIP: Start simulator for my app`): `vip-api simulator`, run from the bundled language server
// (`dist/server.js simulator …`) as a child process on 127.0.0.1 on first use and stopped with the
// extension. A separate process keeps the simulator's code out of the extension host and its
// crashes away from it.
import { fork, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';

const READY = /^VIP simulator listening on (\S+)/;

export interface SimulatorHostOptions {
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  startTimeoutMs?: number;
  /** Freezes the simulator's clock at this instant (ISO), as a flow's own simulator has it. */
  now?: string;
  /** Called when the simulator stops by itself (it crashed or was killed), not on close(). */
  onExit?: (why: string) => void;
}

export class SimulatorHost {
  private running?: Promise<{ url: string; child: ChildProcess }>;
  currentUrl?: string;

  constructor(
    /** dist/server.js of the extension (or dist/cli.js: both take the `simulator` arguments). */
    private readonly cliPath: string,
    private readonly log: (line: string) => void,
    private readonly options: SimulatorHostOptions = {},
  ) {}

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 15_000;
  }

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
      const args = ['simulator', '--host', '127.0.0.1', '--port', String(this.options.port ?? 0)];
      if (this.options.now !== undefined) args.push('--now', this.options.now);
      const child = fork(this.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      const stderr: string[] = [];
      let ready = false; // settled: listening, or failed
      let listening = false;
      const fail = (why: string) => {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        child.kill();
        reject(new Error(`${why}${stderr.length ? `: ${stderr.join('').trim().slice(0, 500)}` : ''}`));
      };
      const timer = setTimeout(
        () => fail(`the simulator did not start within ${this.startTimeoutMs / 1000} s`),
        this.startTimeoutMs,
      );
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = READY.exec(line);
        if (!ready && m) {
          ready = listening = true;
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
      // 'close' comes after stderr has been read to its end, so the failure can quote it (e.g. "the port is in use").
      child.once('close', (code, signal) => {
        if (!ready) fail(`the simulator exited before it was ready (${signal ?? `exit code ${code}`})`);
      });
      child.once('exit', (code, signal) => {
        if (listening && this.running) {
          const why = signal ?? `exit code ${code}`;
          this.log(`the simulator stopped (${why}); it restarts on the next use`);
          this.running = undefined;
          this.currentUrl = undefined;
          this.options.onExit?.(why);
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

/** The simulator on `port`, or on the next free port above it (at most `tries` ports): the host and its URL. */
export async function startOnFirstFreePort(
  port: number,
  tries: number,
  makeHost: (port: number) => SimulatorHost,
): Promise<{ host: SimulatorHost; url: string; port: number }> {
  let lastError: unknown;
  for (let p = port; p < port + tries && p <= 65_535; p++) {
    const host = makeHost(p);
    try {
      return { host, url: await host.url(), port: p };
    } catch (e) {
      // Only a port in use moves on; any other failure would fail on every port alike.
      if (!(e instanceof Error && /port is in use/.test(e.message))) throw e;
      lastError = e;
    }
  }
  throw new Error(
    `ports ${port} to ${Math.min(port + tries - 1, 65_535)} are all in use on 127.0.0.1 (${lastError instanceof Error ? lastError.message : String(lastError)})`,
  );
}
