// esbuild plugin for the language-server bundle (esbuild.mjs): Node built-in modules that the server
// and its libraries import at the top but use only on rare paths are loaded on first use instead
// of at start-up. `crypto` (vscode-jsonrpc: random pipe names and UUIDs; the engine: request IDs)
// and `child_process` (vscode-languageserver's module-resolution helpers, which the server never
// calls) cost ~10 ms of every server start to initialise (`--cpu-prof`).
// Each import gets a module of getters, one per export of the built-in (the same names: they are
// read from the Node that builds), that require the real module when one is first read.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** @param {string[]} names built-in modules, without `node:` */
export function lazyBuiltins(names) {
  const filter = new RegExp(`^(node:)?(${names.join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(build) {
      build.onResolve({ filter }, (args) => {
        const name = args.path.replace(/^node:/, '');
        // The getters' own require is the real module.
        if (args.namespace === 'lazy-builtin') return { path: `node:${name}`, external: true };
        return { path: name, namespace: 'lazy-builtin' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
        const keys = Object.keys(require(`node:${args.path}`));
        const lines = [
          '"use strict";',
          'let real;',
          `const load = () => (real ??= require(${JSON.stringify(`node:${args.path}`)}));`,
          ...keys.map(
            (k) =>
              `Object.defineProperty(exports, ${JSON.stringify(k)}, { enumerable: true, get: () => load()[${JSON.stringify(k)}] });`,
          ),
        ];
        return { contents: lines.join('\n'), loader: 'js', resolveDir: process.cwd() };
      });
    },
  };
}
