// The extension's three bundles (esbuild.mjs): dist/client.js is all VS Code loads to activate, so
// it must stay free of the language client and the send machinery, which load from dist/language.js
// and dist/send.js (client/src/bundles.ts).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { ROOT } from '../helpers/lspClient';

test('the activation bundle holds neither the language client nor the transport, SOAP, XML or flow-runner code', async () => {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'client/src/extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const heavy = inputs.filter((f) =>
    /node_modules\/(vscode-languageclient|vscode-jsonrpc|@xmldom)\/|core\/(soap|flows|engine\/(validate|schemaValidation))|client\/src\/flows\/(controller|run|discover|continuous)|core\/transport\/(send|request|preflight)\.ts|schemas\/(requests|responses|reason-codes)/.test(
      f,
    ),
  );
  assert.deepEqual(heavy, [], 'these belong in dist/language.js or dist/send.js');
  // The CodeLens needs the operation names: operations.json, not the whole catalog.
  assert.ok(
    inputs.some((f) => f.endsWith('schemas/operations.json')),
    inputs.join('\n'),
  );
});

test('each built bundle loads and exports what client/src/bundles.ts and package.json expect', () => {
  // In a child process, with a stand-in `vscode` module: only the top-level code runs here.
  const script = `
    const Module = require('node:module');
    const stub = () => new Proxy(function () {}, { get: (t, k) => (k === 'prototype' ? {} : stub()), construct: () => stub(), apply: () => stub() });
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === 'vscode' ? stub() : load.call(this, request, ...rest); };
    const out = {};
    for (const f of ['client', 'language', 'send']) out[f] = Object.keys(require(require('node:path').join(process.argv[1], 'dist', f + '.js'))).sort();
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script, ROOT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const exported = JSON.parse(r.stdout) as Record<string, string[]>;
  assert.ok(exported.client?.includes('activate') && exported.client.includes('deactivate'), r.stdout);
  assert.ok(exported.language?.includes('startLanguageFeatures'), r.stdout);
  assert.ok(exported.send?.includes('createSendActions'), r.stdout);
  assert.ok(exported.send.includes('createFlowTests'), r.stdout);
});
