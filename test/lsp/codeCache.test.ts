// dist/server.js compiles its bundle with a V8 code cache (scripts/codeCache.mjs): written once,
// a few seconds into a start that had none, into a per-user directory; anything wrong with it
// (corrupt, other owner, writable by others, turned off) means the server starts without it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TestLspClient } from '../helpers/lspClient';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function cacheDir(mode = 0o700): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-code-cache-'));
  fs.chmodSync(dir, mode);
  dirs.push(dir);
  return dir;
}

const cacheFiles = (dir: string): string[] => fs.readdirSync(dir).filter((f) => /^server-.+\.cache$/.test(f));

/** Resolves when `dir` holds a complete cache file (renamed into place, so never half-written). */
function cacheWritten(dir: string, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const [name] = cacheFiles(dir);
      if (!name) return false;
      watcher.close();
      clearTimeout(timer);
      resolve(path.join(dir, name));
      return true;
    };
    const watcher = fs.watch(dir, () => void check());
    const timer = setTimeout(() => { watcher.close(); reject(new Error(`no cache file in ${dir} within ${timeoutMs} ms`)); }, timeoutMs);
    check();
  });
}

async function startServer(env: Record<string, string>): Promise<TestLspClient> {
  const client = new TestLspClient({ env });
  const init = await client.initialize();
  assert.ok(init.capabilities.hoverProvider, 'the server answered initialize');
  return client;
}

/** A full round trip: a 4e04 request gets its diagnostic, so the bundle really runs. */
async function works(client: TestLspClient): Promise<void> {
  const uri = 'file:///cache-check.vip.json';
  await client.open(uri, '{"DeactivateTokenRequest": {"Version": "5.0", "RequestId": "r1", "TokenId": "SYMC10000001"}}');
  const diagnostics = await client.diagnosticsForVersion(uri, 1);
  assert.ok(diagnostics.some((d) => d.code === '4e04'), JSON.stringify(diagnostics));
}

test('a first start writes the cache; the next start uses it; off, or a directory others can write, gets none', async () => {
  const on = cacheDir();
  const off = cacheDir();
  const shared = cacheDir(0o777);
  const servers = await Promise.all([
    startServer({ VIP_API_CODE_CACHE_DIR: on }),
    startServer({ VIP_API_CODE_CACHE_DIR: off, VIP_API_CODE_CACHE: 'off' }),
    startServer({ VIP_API_CODE_CACHE_DIR: shared }),
  ]);
  try {
    await Promise.all(servers.map(works));
    const file = await cacheWritten(on);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the cache file is private');
    // The three started together and the cache is written on a timer: the other two had theirs by now.
    assert.deepEqual(cacheFiles(off), [], 'VIP_API_CODE_CACHE=off writes nothing');
    assert.deepEqual(cacheFiles(shared), [], 'a directory others can write is not used');
  } finally {
    await Promise.all(servers.map((s) => s.shutdown()));
  }
  const second = await startServer({ VIP_API_CODE_CACHE_DIR: on });
  try {
    await works(second);
  } finally {
    await second.shutdown();
  }
});

test('a corrupt cache file is ignored: the server starts, and writes a good one in its place', async () => {
  const dir = cacheDir();
  const first = await startServer({ VIP_API_CODE_CACHE_DIR: dir });
  const file = await cacheWritten(dir).finally(() => first.shutdown());
  const good = fs.readFileSync(file);
  fs.writeFileSync(file, Buffer.concat([good.subarray(0, 8), Buffer.alloc(good.length - 8, 0xab)]), { mode: 0o600 });
  const corrupt = fs.readFileSync(file);

  const server = await startServer({ VIP_API_CODE_CACHE_DIR: dir });
  try {
    await works(server);
    // Rewritten (renamed into place) a few seconds in: wait for the file to differ from the corrupt bytes.
    await new Promise<void>((resolve, reject) => {
      const changed = (): boolean => { try { return !fs.readFileSync(file).equals(corrupt); } catch { return false; } };
      if (changed()) return resolve();
      const watcher = fs.watch(dir, () => { if (changed()) { watcher.close(); clearTimeout(timer); resolve(); } });
      const timer = setTimeout(() => { watcher.close(); reject(new Error('the corrupt cache was not replaced')); }, 15_000);
    });
    const replaced = fs.readFileSync(file);
    assert.equal(replaced.readUInt32LE(0), replaced.length - 8, 'the new file is complete');
  } finally {
    await server.shutdown();
  }
});
