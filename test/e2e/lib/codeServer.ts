// Starts code-server on 127.0.0.1 with throw-away user data, extensions and XDG dirs, in its own
// process group (see guard.cjs), and stops that whole group.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Tools } from './tools';

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  logFile: string;
  /** Ends the whole process group; safe to call more than once. */
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  tools: Tools;
  logFile: string;
  /** Lets the page's `payload` run extension tests (extensionDevelopmentPath, extensionTestsPath). */
  smokeTestDriver?: boolean;
  /** A fixed port (the playground); default: a free one. */
  port?: number;
  /** Extra user settings, on top of the quiet defaults. */
  settings?: Record<string, unknown>;
  /** `--install-extension` arguments (ids or .vsix files), installed before the server starts. */
  installExtensions?: string[];
  /** Keep workspace trust on, without the startup prompt: the folder opens in Restricted Mode. */
  restricted?: boolean;
}

/** Workspace trust on, no prompt: a folder nobody trusted stays untrusted (Restricted Mode). */
const restrictedSettings: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/** Settings that keep the Welcome page, chat and notifications from stealing focus. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(
  test: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return test();
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { tools } = options;
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'vip-code-server-'));
  const dirs = {
    userData: path.join(tmp, 'user-data'),
    extensions: path.join(tmp, 'extensions'),
    xdgConfig: path.join(tmp, 'xdg-config'),
    xdgData: path.join(tmp, 'xdg-data'),
    xdgCache: path.join(tmp, 'xdg-cache'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.userData, 'User/settings.json'),
    JSON.stringify(
      { ...quietSettings, ...(options.restricted ? restrictedSettings : {}), ...options.settings },
      null,
      2,
    ),
  );
  const config = path.join(tmp, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    // No extension gallery: the workbench would otherwise query open-vsx.org (loopback only here).
    EXTENSIONS_GALLERY: '{}',
    PATH: `${path.join(tools.node24Dir, 'bin')}${path.delimiter}${process.env['PATH'] ?? ''}`,
  };
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', config];
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logFd = openSync(options.logFile, 'w');

  for (const ext of options.installExtensions ?? []) {
    await runToEnd(tools.node24, [tools.codeServerEntry, ...common, '--install-extension', ext], env, logFd);
  }

  const args = [
    tools.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...common,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  // detached: the guard becomes the leader of a new session and process group (setsid).
  const guard: ChildProcess = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'guard.cjs'), tools.node24, ...args],
    {
      detached: true,
      env: { ...env, VIP_GUARD_TEMP_DIR: tmp },
      stdio: ['pipe', logFd, logFd],
    },
  );
  closeSync(logFd);
  const pgid = guard.pid!;
  let exited = false;
  guard.on('exit', () => {
    exited = true;
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGTERM');
      if (!(await waitUntil(() => !groupAlive(pgid), 5000))) {
        process.kill(-pgid, 'SIGKILL');
        if (!(await waitUntil(() => !groupAlive(pgid), 5000)))
          console.error(`warning: process group ${pgid} still listed after SIGKILL (zombies?)`);
      }
      guard.stdin?.destroy();
      rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    })());

  const ready = await waitUntil(async () => exited || (await healthy(origin)), 60_000, 200);
  if (exited || !ready) {
    await stop();
    throw new Error(
      `code-server did not become ready on ${origin} (${exited ? 'it exited' : 'timeout'}); see ${options.logFile}`,
    );
  }
  return { origin, port, logFile: options.logFile, stop };
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', logFd, logFd] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(cmd)} ${args.slice(1).join(' ')} exited with ${code}`)),
    );
  });
}
