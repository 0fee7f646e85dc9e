// Bundles the extension client, the language server and the CLI into dist/.
// jsonc-parser ships a UMD build under "main" that esbuild cannot follow: prefer "module".
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { codeCacheLoader } from './scripts/codeCache.mjs';
import { lazyBuiltins } from './scripts/lazyBuiltins.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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

// Pre-build (git-ignored outputs): the schema validators, precompiled (core/engine/validators.generated.js),
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
const withValidators = { define: { __VIP_VALIDATORS_BUILT_WITH_BUNDLE__: 'true' }, plugins: [sharedValidators] };

const builds = [
  // The extension: activation bundle, then the language client and the send machinery, loaded
  // later from their own files (client/src/bundles.ts) so activation loads little code.
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['client/src/language.ts'], outfile: 'dist/language.js', external: ['vscode'] },
  { entryPoints: ['client/src/send/actions.ts'], outfile: 'dist/send.js', external: ['vscode'] },
  {
    entryPoints: ['server/src/main.ts'],
    outfile: 'dist/server.js',
    define: { ...withValidators.define, __VIP_SIMULATOR_EMBEDDED__: 'true' },
    plugins: [sharedValidators, lazyBuiltins(['crypto', 'child_process']), codeCacheLoader()],
  },
  { entryPoints: ['core/engine/validators.generated.js'], outfile: 'dist/validators.js' },
  { entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, ...withValidators },
];

/** For the watch task in .vscode/tasks.json: its problem matcher waits for these two lines (once for all bundles). */
let building = 0;
const watchLines = {
  name: 'watch-lines',
  setup(build) {
    build.onStart(() => {
      if (building++ === 0) console.log('[watch] build started');
    });
    build.onEnd(() => {
      if (--building === 0) console.log('[watch] build finished');
    });
  },
};

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context({ ...common, ...b, plugins: [...(b.plugins ?? []), watchLines] });
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
