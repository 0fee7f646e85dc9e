// Bundles the extension client, the language server and the CLI into dist/.
// jsonc-parser ships a UMD build under "main" that esbuild cannot follow: prefer "module".
import * as esbuild from 'esbuild';

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

const builds = [
  // The extension: activation bundle, then the language client and the send machinery, loaded
  // later from their own files (client/src/bundles.ts) so activation loads little code.
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['client/src/language.ts'], outfile: 'dist/language.js', external: ['vscode'] },
  { entryPoints: ['client/src/send/actions.ts'], outfile: 'dist/send.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
