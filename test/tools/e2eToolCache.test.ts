// The per-user e2e tool cache (test/e2e/lib/toolCache.ts, tools.ts): reuse, atomic install, and
// one clear sentence with a non-zero exit when an install cannot complete.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ensureTool, toolsCacheRoot, ToolInstallError, type ToolSpec } from '../../test/e2e/lib/toolCache';
import { leaveOutKerberos, repoRoot } from '../../test/e2e/lib/tools';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'vip-toolcache-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A tool spec folder holding a one-dependency package (is-number, tiny and lock-pinned). */
function specFolder(): string {
  const dir = mkdtempSync(path.join(scratch, 'spec-'));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'tiny-tool', private: true, dependencies: { 'is-number': '7.0.0' } }),
  );
  writeFileSync(
    path.join(dir, 'package-lock.json'),
    JSON.stringify({
      name: 'tiny-tool',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'tiny-tool', dependencies: { 'is-number': '7.0.0' } },
        'node_modules/is-number': {
          version: '7.0.0',
          integrity: 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==',
          engines: { node: '>=0.12.0' },
        },
      },
    }),
  );
  return dir;
}

function fakeSpec(overrides: Partial<ToolSpec>): ToolSpec {
  return {
    name: 'tiny',
    label: 'Tiny tool 1.0',
    estimate: '1 KB',
    needsBytes: 1,
    specDir: specFolder(),
    recipeVersion: 1,
    env: process.env,
    install: async () => {},
    verify: () => {},
    ...overrides,
  };
}

/** A loopback port nothing listens on: a registry there refuses every connection at once. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** npm pointed at a registry that cannot be reached, with an empty cache of its own and no retries. */
async function offlineNpmEnv(): Promise<NodeJS.ProcessEnv> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return {
    ...clean,
    npm_config_registry: `http://127.0.0.1:${await closedPort()}/`,
    npm_config_cache: mkdtempSync(path.join(scratch, 'npm-cache-')),
    npm_config_fetch_retries: '0',
    npm_config_offline: 'false',
  };
}

describe('e2e tool cache', () => {
  test('the cache is per user: VIP_E2E_TOOLS_CACHE, else XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(toolsCacheRoot({ VIP_E2E_TOOLS_CACHE: '/x/tools' }), '/x/tools');
    assert.equal(toolsCacheRoot({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/vip-api-workbench/e2e-tools');
    assert.equal(toolsCacheRoot({}), path.join(os.homedir(), '.cache/vip-api-workbench/e2e-tools'));
  });

  test('a tool is installed once per lockfile; a second ensure reuses the copy without installing', async () => {
    const root = mkdtempSync(path.join(scratch, 'root-'));
    let installs = 0;
    const spec = fakeSpec({
      install: async (ctx) => {
        installs++;
        writeFileSync(path.join(ctx.dir, 'tool.txt'), 'ok');
      },
    });
    const first = await ensureTool(spec, () => {}, root);
    const second = await ensureTool(spec, () => {}, root);
    assert.equal(first, second);
    assert.equal(installs, 1);
    assert.equal(readFileSync(path.join(first, 'tool.txt'), 'utf8'), 'ok');
    assert.match(path.basename(first), /^tiny-[0-9a-f]{16}$/);

    writeFileSync(path.join(spec.specDir, 'package-lock.json'), '{"changed": true}');
    const third = await ensureTool(spec, () => {}, root);
    assert.notEqual(third, first, 'a changed lockfile gets a folder of its own');
    assert.equal(installs, 2);
  });

  test('two installs at once (two clones) leave one whole copy and no staging folders', async () => {
    const root = mkdtempSync(path.join(scratch, 'root-'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let bothStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      bothStarted = resolve;
    });
    let installs = 0;
    const spec = fakeSpec({
      install: async (ctx) => {
        if (++installs === 2) bothStarted();
        await gate;
        writeFileSync(path.join(ctx.dir, 'tool.txt'), 'whole');
      },
    });
    const runs = Promise.all([ensureTool(spec, () => {}, root), ensureTool(spec, () => {}, root)]);
    await started; // both are installing into their own staging folders now
    release();
    const [a, b] = await runs;
    assert.equal(a, b);
    assert.deepEqual(readdirSync(root), [path.basename(a)]);
    assert.equal(readFileSync(path.join(a, 'tool.txt'), 'utf8'), 'whole');
  });

  test('an install that fails keeps nothing half-installed and says why in one sentence', async () => {
    const root = mkdtempSync(path.join(scratch, 'root-'));
    const spec = fakeSpec({
      env: await offlineNpmEnv(),
      install: async (ctx) => ctx.run('npm', ['ci', '--no-audit', '--no-fund']),
    });
    await assert.rejects(
      ensureTool(spec, () => {}, root),
      (err: unknown) => {
        assert.ok(err instanceof ToolInstallError);
        assert.match(
          err.message,
          /^Could not install Tiny tool 1\.0: the npm registry could not be reached \(ECONNREFUSED/,
        );
        assert.match(err.message, /then run the command again\.$/);
        assert.equal(err.message.split('\n').length, 1);
        return true;
      },
    );
    assert.deepEqual(readdirSync(root), [], 'no staging folder and no tool folder are left');
  });

  test('too little free disk space is refused before anything is downloaded', async () => {
    const root = mkdtempSync(path.join(scratch, 'root-'));
    let installs = 0;
    const spec = fakeSpec({
      needsBytes: Number.MAX_SAFE_INTEGER,
      install: async () => {
        installs++;
      },
    });
    await assert.rejects(
      ensureTool(spec, () => {}, root),
      /^ToolInstallError: Cannot install Tiny tool 1\.0: only \d+ MB are free in .* and it needs about \d+ MB; free some disk space or set VIP_E2E_TOOLS_CACHE/,
    );
    assert.equal(installs, 0);
  });

  test("npm test's tool step exits non-zero with that sentence when the registry cannot be reached", async () => {
    const env = { ...(await offlineNpmEnv()), VIP_E2E_TOOLS_CACHE: mkdtempSync(path.join(scratch, 'cache-')) };
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/lib/tools.ts'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1);
    assert.match(stdout, /^Installing Node\.js 24\.\d+\.\d+ from the npm registry into /m, 'it says what it installs');
    assert.match(
      stderr.trim(),
      /^Could not install Node\.js 24\.\d+\.\d+: the npm registry could not be reached \(ECONNREFUSED[^\n]*\.$/,
    );
  });

  test("code-server is installed without kerberos: removed from VS Code's package.json and shrinkwrap", () => {
    const dir = mkdtempSync(path.join(scratch, 'vscode-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { kerberos: '2.1.1', ws: '8' } }));
    writeFileSync(
      path.join(dir, 'npm-shrinkwrap.json'),
      JSON.stringify({
        packages: {
          '': { dependencies: { kerberos: '2.1.1', ws: '8' } },
          'node_modules/kerberos': { version: '2.1.1' },
          'node_modules/kerberos/node_modules/node-addon-api': { version: '7.1.0' },
          'node_modules/ws': { version: '8.0.0' },
        },
      }),
    );
    leaveOutKerberos(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(path.join(dir, 'npm-shrinkwrap.json'), 'utf8')) as {
      packages: Record<string, { dependencies?: Record<string, string> }>;
    };
    assert.deepEqual(pkg.dependencies, { ws: '8' });
    assert.deepEqual(Object.keys(lock.packages), ['', 'node_modules/ws']);
    assert.deepEqual(lock.packages[''].dependencies, { ws: '8' });
    assert.throws(
      () => leaveOutKerberos(dir),
      /no longer lists kerberos/,
      'a code-server without kerberos is noticed, not silently accepted',
    );
  });
});
