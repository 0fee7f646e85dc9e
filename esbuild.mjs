// Bundles the extension client, the language server and the CLI into dist/.
// jsonc-parser ships a UMD build under "main" that esbuild cannot follow: prefer "module".
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeCacheLoader } from './scripts/codeCache.mjs';
import { lazyBuiltins } from './scripts/lazyBuiltins.mjs';
import { bundlePacker } from './scripts/packBundles.mjs';

// VIP_BUILD_PRODUCTION=1: the same from outside, e.g. to run the e2e suite (which builds with
// `node esbuild.mjs`) on the packed bundles the .vsix carries.
const production = process.argv.includes('--production') || process.env.VIP_BUILD_PRODUCTION === '1';
const watch = process.argv.includes('--watch');
// Where the bundles go: dist/, or $VIP_BUILD_OUTDIR (test/unit/devSetup.test.ts watches into a temp folder).
const outDir = process.env.VIP_BUILD_OUTDIR ?? 'dist';
// The production build (the .vsix) carries all bundles but the activation one brotli-compressed
// (scripts/packBundles.mjs); the development build keeps them plain, with source maps.
const packer = production && !watch ? bundlePacker() : undefined;
const packed = packer ? [packer.plugin()] : [];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  sourcemap: production ? false : 'linked',
  // Minified always: the server starts measurably faster (less to parse); source maps stay linked.
  minify: true,
  logLevel: 'warning',
};

// Pre-build (git-ignored outputs): the schema validators, precompiled (core/schema/validators.generated.js),
// then the simulator, compressed into server/src/simulator.generated.js for dist/server.js.
for (const script of ['scripts/generateValidators.ts', 'scripts/embedSimulator.ts']) {
  execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
}
// The server and the CLI are built with the validators generated from the same schemas (no staleness
// check) and require them from dist/validators.js on their first validation, so that a server start
// does not parse them.
const sharedValidators = {
  name: 'shared-validators',
  setup(build) {
    build.onResolve({ filter: /validators\.generated$/ }, () => ({ path: './validators.js', external: true }));
  },
};
// The version in every bundle comes from package.json (core/version.ts).
const version = { __VIP_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) };
const withValidators = { define: { __VIP_VALIDATORS_BUILT_WITH_BUNDLE__: 'true' }, plugins: [sharedValidators] };

const builds = [
  // The extension: activation bundle, then the language client and the send machinery, loaded
  // later from their own files (client/src/bundles.ts) so activation loads little code.
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['client/src/language.ts'], outfile: 'dist/language.js', external: ['vscode'], plugins: packed },
  // With the shared validators: the flows' Test Explorer checks flow files against their schema.
  {
    entryPoints: ['client/src/send/actions.ts'],
    outfile: 'dist/send.js',
    external: ['vscode'],
    define: withValidators.define,
    plugins: [sharedValidators, ...packed],
  },
  {
    entryPoints: ['server/src/main.ts'],
    outfile: 'dist/server.js',
    define: { ...withValidators.define, __VIP_SIMULATOR_EMBEDDED__: 'true' },
    plugins: [sharedValidators, lazyBuiltins(['crypto', 'child_process']), codeCacheLoader(packer)],
  },
  { entryPoints: ['core/schema/validators.generated.js'], outfile: 'dist/validators.js', plugins: packed },
  { entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, ...withValidators },
];

/**
 * `--watch` (the F5 build task in .vscode/tasks.json): one line when a round of rebuilds starts and
 * one when all of them have finished, which the task's problem matcher waits for, and each error as
 * `[watch] file:line:col: error: text`, which it turns into a problem.
 */
function watchReporter() {
  let running = 0;
  return (b) => ({
    ...b,
    // Last, so that "finished" comes after the other plugins' onEnd (the code-cache wrapper).
    plugins: [
      ...(b.plugins ?? []),
      {
        name: 'watch-reporter',
        setup(build) {
          build.onStart(() => {
            if (running++ === 0) console.log('[watch] build started');
          });
          build.onEnd((result) => {
            for (const e of result.errors) {
              const at = e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ` : '';
              console.log(`[watch] ${at}error: ${e.text}`);
            }
            if (--running === 0) console.log('[watch] build finished');
          });
        },
      },
    ],
  });
}

const options = builds.map((b) => ({
  ...common,
  ...b,
  outfile: path.join(outDir, path.basename(b.outfile)),
  define: { ...version, ...b.define },
}));
if (watch) {
  // All contexts first, then all watches at once: their first builds overlap, so the first round
  // is one "started" … "finished" pair.
  const report = watchReporter();
  const contexts = await Promise.all(options.map((o) => esbuild.context(report(o))));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(options.map((o) => esbuild.build(o)));
  await packer?.write(outDir);
}
