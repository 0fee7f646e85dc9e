// The version that `vip-api --version` and the language server's serverInfo report is package.json's:
// put into the bundles by esbuild at build time, read from package.json when run from the sources.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { BUNDLED_SERVER, ROOT, TestLspClient } from '../helpers/lspClient';

const run = promisify(execFile);
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test("vip-api --version from the bundle (dist/cli.js) prints package.json's version, also with no package.json beside it", async () => {
  const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-version-'));
  // Away from the project the bundle has no package.json to read: the version must be built in.
  fs.copyFileSync(path.join(ROOT, 'dist', 'cli.js'), path.join(alone, 'cli.js'));
  try {
    for (const cli of [path.join(ROOT, 'dist', 'cli.js'), path.join(alone, 'cli.js')]) {
      const { stdout } = await run(process.execPath, [cli, '--version'], { cwd: alone });
      assert.equal(stdout, `${VERSION}\n`, cli);
    }
  } finally {
    fs.rmSync(alone, { recursive: true, force: true });
  }
});

test("vip-api --version from the sources (tsx) prints package.json's version", async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cli', 'main.ts'), '--version'], {
    cwd: ROOT,
  });
  assert.equal(stdout, `${VERSION}\n`);
});

test("the language server reports package.json's version in serverInfo (bundle and sources)", async () => {
  for (const serverModule of [BUNDLED_SERVER, path.join(ROOT, 'server', 'src', 'main.ts')]) {
    const client = new TestLspClient({ serverModule });
    try {
      const result = await client.initialize();
      assert.equal(result.serverInfo?.version, VERSION, serverModule);
    } finally {
      await client.shutdown();
    }
  }
});
