// The production build (what `npm run package` puts in the .vsix) carries the bundles brotli-packed
// (scripts/packBundles.mjs): dist/language.js, send.js and validators.js are stubs, dist/server.js
// takes its code from the pack. Built here into a folder of its own, then run as the extension runs it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { assertValidates, ROOT, TestLspClient } from '../helpers/lspClient';

let out: string;
const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

before(() => {
  out = tempDir('vip-packed-build-');
  const r = spawnSync(process.execPath, ['esbuild.mjs', '--production'], {
    cwd: ROOT,
    env: { ...process.env, VIP_BUILD_OUTDIR: out },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
});
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('the packed bundles load and export what client/src/bundles.ts and package.json expect', () => {
  for (const stub of ['language.js', 'send.js', 'validators.js'])
    assert.ok(fs.statSync(path.join(out, stub)).size < 200, `${stub} is a stub; its code is in the pack`);
  // In a child process, with a stand-in `vscode` module: only the top-level code runs here.
  const script = `
    const Module = require('node:module');
    const stub = () => new Proxy(function () {}, { get: (t, k) => (k === 'prototype' ? {} : stub()), construct: () => stub(), apply: () => stub() });
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === 'vscode' ? stub() : load.call(this, request, ...rest); };
    const out = {};
    for (const f of ['client', 'language', 'send', 'validators']) out[f] = Object.keys(require(require('node:path').join(process.argv[1], f + '.js'))).sort();
    out.validates = typeof require(require('node:path').join(process.argv[1], 'validators.js')).load('requests/DeactivateToken.json');
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    client: ['LANGUAGE_ID', 'activate', 'deactivate'],
    language: ['startLanguageFeatures'],
    send: ['createFlowTests', 'createSendActions'],
    validators: ['load'],
    validates: 'function',
  });
});

/** A copy of the production build, to break. */
function copyOfBuild(): string {
  const copy = tempDir('vip-packed-copy-');
  for (const f of fs.readdirSync(out)) fs.copyFileSync(path.join(out, f), path.join(copy, f));
  return copy;
}

async function roundTrip(dir: string, env: Record<string, string>): Promise<TestLspClient> {
  const client = new TestLspClient({ serverModule: path.join(dir, 'server.js'), env });
  await client.initialize();
  await assertValidates(client, 'file:///packed/deactivate.vip.json');
  return client;
}

test('the packed server validates, writes its code cache with its text, and the next start needs no pack', async () => {
  const build = copyOfBuild();
  const env = { VIP_API_CODE_CACHE_DIR: tempDir('vip-packed-cache-'), VIP_API_CODE_CACHE_TRACE: '1' };
  const first = await roundTrip(build, env);
  try {
    await first.waitForStderr(/vip-api code cache: written /);
  } finally {
    await first.shutdown();
  }
  // The cache file holds the bundle's text too: a start with it neither loads zlib nor decompresses.
  fs.rmSync(path.join(build, 'bundles.br'));
  const second = await roundTrip(build, env);
  try {
    await second.waitForStderr(/vip-api code cache: accepted /);
  } finally {
    await second.shutdown();
  }
});

test('the packed server runs the embedded simulator', () => {
  const r = spawnSync(process.execPath, [path.join(out, 'server.js'), 'simulator', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /vip-api simulator/);
});

test('a truncated pack stops the server with a clear error, not a crash inside the bundle', () => {
  const broken = copyOfBuild();
  const pack = path.join(broken, 'bundles.br');
  fs.truncateSync(pack, 1000);
  const r = spawnSync(process.execPath, [path.join(broken, 'server.js'), '--stdio'], {
    encoding: 'utf8',
    input: '',
    env: { ...process.env, VIP_API_CODE_CACHE: 'off' },
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /bundles\.br is shorter than its table says: reinstall the extension/);
});
