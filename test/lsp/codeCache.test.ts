// dist/server.js compiles its bundle with a V8 code cache (scripts/codeCache.mjs): written once,
// a few seconds into a start that had none, into a per-user directory; anything wrong with it
// (corrupt, other owner, writable by others, turned off) means the server starts without it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { assertValidates, TestLspClient } from '../helpers/lspClient';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function cacheDir(mode = 0o700): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-code-cache-'));
  fs.chmodSync(dir, mode);
  dirs.push(dir);
  return dir;
}

const cacheFiles = (dir: string): string[] => fs.readdirSync(dir).filter((f) => /^server-.+\.cache$/.test(f));

/** The loader says what it decided on stderr (VIP_API_CODE_CACHE_TRACE=1): wait for that line. */
const traced = (client: TestLspClient, decision: string): Promise<string> =>
  client.waitForStderr(new RegExp(`vip-api code cache: ${decision}(?: (.*))?\\n`)).then((m) => m[1] ?? '');

async function startServer(env: Record<string, string>): Promise<TestLspClient> {
  const client = new TestLspClient({ env: { VIP_API_CODE_CACHE_TRACE: '1', ...env } });
  const init = await client.initialize();
  assert.ok(init.capabilities.hoverProvider, 'the server answered initialize');
  return client;
}

/** A full round trip, so the bundle really runs. */
const works = (client: TestLspClient) => assertValidates(client, 'file:///cache-check.vip.json');

test('a first start writes the cache; the next start uses it; off, or a directory others can write, gets none', async () => {
  const on = cacheDir();
  const off = cacheDir();
  const shared = cacheDir(0o777);
  const servers = await Promise.all([
    startServer({ VIP_API_CODE_CACHE_DIR: on }),
    startServer({ VIP_API_CODE_CACHE_DIR: off, VIP_API_CODE_CACHE: 'off' }),
    startServer({ VIP_API_CODE_CACHE_DIR: shared }),
  ]);
  let file: string;
  try {
    await Promise.all(servers.map(works));
    const expected = await traced(servers[0], 'none');
    file = await traced(servers[0], 'written');
    assert.equal(file, expected);
    assert.deepEqual(cacheFiles(on), [path.basename(file)]);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the cache file is private');
    // Neither of the others looks for a cache file, so neither schedules writing one.
    await traced(servers[1], 'off');
    assert.match(await traced(servers[2], 'not used:'), /others can write it/);
    assert.deepEqual(cacheFiles(off), [], 'VIP_API_CODE_CACHE=off writes nothing');
    assert.deepEqual(cacheFiles(shared), [], 'a directory others can write is not used');
  } finally {
    await Promise.all(servers.map((s) => s.shutdown()));
  }
  const second = await startServer({ VIP_API_CODE_CACHE_DIR: on });
  try {
    assert.equal(await traced(second, 'accepted'), file, 'V8 accepted the cache the first start wrote');
    await works(second);
  } finally {
    await second.shutdown();
  }
  assert.doesNotMatch(second.stderr.join(''), /written/, 'an accepted cache is not written again');
});

test('a corrupt cache file is ignored: the server starts, and writes a good one in its place', async () => {
  const dir = cacheDir();
  const first = await startServer({ VIP_API_CODE_CACHE_DIR: dir });
  const file = await traced(first, 'written').finally(() => first.shutdown());
  const good = fs.readFileSync(file);
  fs.writeFileSync(file, Buffer.concat([good.subarray(0, 8), Buffer.alloc(good.length - 8, 0xab)]), { mode: 0o600 });

  const server = await startServer({ VIP_API_CODE_CACHE_DIR: dir });
  try {
    assert.equal(await traced(server, 'corrupt'), file);
    await works(server);
    assert.equal(await traced(server, 'written'), file, 'replaced a few seconds in');
    const replaced = fs.readFileSync(file);
    assert.equal(replaced.readUInt32LE(0), replaced.length - 8, 'the new file is complete');
    assert.ok(!replaced.subarray(8).equals(Buffer.alloc(good.length - 8, 0xab)), 'not the corrupt bytes');
  } finally {
    await server.shutdown();
  }
});
