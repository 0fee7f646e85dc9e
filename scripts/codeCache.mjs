// esbuild plugin for dist/server.js (esbuild.mjs): after the build, the bundle is wrapped in a small
// loader (scripts/codeCacheLoader.ts, a real file the linter and type checker see) that compiles it with a V8 code cache, so that a server start after the first one skips
// most of the parsing and compiling of its ~630 KB (bench coldStart, spawn → initialize result vs
// `node -e 0`: 1.62× without the cache, 1.36× with it; see bench/NOTES.md).
// Node 20 has no module.enableCompileCache(); this is the same thing for one file.
//
// The cache:
// - one file per bundle (SHA-256 of its text), Node/V8 version, architecture and V8 flags, in a
//   per-user directory: $VIP_API_CODE_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache (Linux),
//   ~/Library/Caches (macOS), %LOCALAPPDATA% (Windows), then `vip-api-workbench/`;
// - written once, ~3 s after a start that found none (or had it rejected by V8), so that it holds the
//   functions of the start and of the first requests: atomically
//   (temporary file, then rename), with its length and a checksum checked before use, in a
//   directory created 0700; a directory or file owned by another user is not used; caches of
//   other builds are removed when a day old;
// - any error (unreadable, unwritable, corrupt, rejected by V8) means: compile without it;
// - VIP_API_CODE_CACHE=off disables it;
// - VIP_API_CODE_CACHE_TRACE=1 writes one line per decision to stderr (for tests): off, not used,
//   none, corrupt, accepted, rejected, written, not written.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * scripts/codeCacheLoader.ts as one CommonJS script, with the bundle's hash, length and text filled in;
 * or, with `wrapped` undefined, a loader that takes the text from the production build's pack (dist/unpack.js).
 */
function loaderText(hash, length, wrapped) {
  const result = buildSync({
    entryPoints: [path.join(import.meta.dirname, 'codeCacheLoader.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    minifySyntax: true,
    external: ['./unpack.js'],
    define: {
      __BUNDLE_HASH__: JSON.stringify(hash),
      __BUNDLE_LENGTH__: String(length),
      __BUNDLE_TEXT__: JSON.stringify(wrapped ?? ''),
      __BUNDLE_PACKED__: String(wrapped === undefined),
    },
  });
  return result.outputFiles[0].text;
}

/** `packer`: the production build's (scripts/packBundles.mjs), which then carries the bundle's text. */
export function codeCacheLoader(packer) {
  return {
    name: 'code-cache-loader',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length) return;
        const outfile = build.initialOptions.outfile;
        const bundle = fs.readFileSync(outfile, 'utf8');
        // The bundle as one function (exports, require, module, __filename, __dirname), like Node's own wrapper.
        const wrapped = `(function (exports, require, module, __filename, __dirname) {\n${bundle}\n})`;
        const hash = crypto.createHash('sha256').update(wrapped).digest('hex');
        packer?.add(path.basename(outfile), wrapped);
        fs.writeFileSync(outfile, loaderText(hash, wrapped.length, packer ? undefined : wrapped));
      });
    },
  };
}
