// The production build's packing (esbuild.mjs --production, what `npm run package` puts in the .vsix):
// the bundles VS Code does not load to activate travel brotli-compressed instead of as plain
// JavaScript, which the .vsix (a zip) could only deflate. Each of them is left in dist/ as a one-line
// stub that runs its code from the pack (scripts/packedBundles.ts, built into dist/unpack.js);
// dist/server.js stays the code-cache loader (scripts/codeCache.mjs), which takes the bundle from
// the pack too. dist/client.js, what activation loads, stays plain. Sizes and costs: bench/NOTES.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { buildSync } from 'esbuild';

/**
 * The pack files and their bundles, in stream order. The server, the language client and send share
 * much code (vscode-jsonrpc and the protocol; the schemas, jsonc-parser), which one stream compresses
 * once; the server comes first because its start is measured (bench coldStart) and decompresses only
 * its own prefix. The validators compress on their own almost as well and load only on the first
 * validation, so they do not lengthen anyone's prefix.
 */
export const PACKS = {
  'bundles.br': ['server.js', 'language.js', 'send.js'],
  'validators.br': ['validators.js'],
};

const BROTLI = {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
};

/** One brotli stream of `parts`, flushed after each: the stream and, per part, the compressed bytes up to its flush. */
async function flushedStream(parts) {
  const compress = zlib.createBrotliCompress(BROTLI);
  const chunks = [];
  compress.on('data', (c) => chunks.push(c));
  const ends = [];
  for (const part of parts) {
    await new Promise((resolve) => compress.write(part, resolve));
    await new Promise((resolve) => compress.flush(zlib.constants.BROTLI_OPERATION_FLUSH, resolve));
    ends.push(chunks.reduce((n, c) => n + c.length, 0));
  }
  const ended = new Promise((resolve, reject) => compress.on('end', resolve).on('error', reject));
  compress.end();
  await ended;
  return { stream: Buffer.concat(chunks), ends };
}

/** scripts/packedBundles.ts as one CommonJS script, with the table of the packed parts filled in. */
function unpackText(table) {
  const result = buildSync({
    entryPoints: [path.join(import.meta.dirname, 'packedBundles.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    minify: true,
    define: { __PACKED_PARTS__: JSON.stringify(table) },
  });
  return result.outputFiles[0].text;
}

const isAscii = (bytes) => bytes.every((b) => b < 0x80);

export function bundlePacker() {
  const parts = new Map();
  const packed = new Set(Object.values(PACKS).flat());
  return {
    /** Takes the code of bundle `name` (e.g. server.js) for its pack. */
    add(name, code) {
      if (!packed.has(name)) throw new Error(`${name} has no pack in scripts/packBundles.mjs`);
      const bytes = Buffer.from(code);
      // dist/unpack.js decodes as latin1 (one byte per character, the cheapest string V8 makes).
      if (!isAscii(bytes)) throw new Error(`${name} is not ASCII; dist/unpack.js could not decode it`);
      parts.set(name, bytes);
    },
    /** esbuild plugin: the bundle's code goes into its pack and its file becomes a stub that runs it from there. */
    plugin() {
      return {
        name: 'pack-bundle',
        setup: (build) => {
          build.onEnd((result) => {
            if (result.errors.length) return;
            const outfile = build.initialOptions.outfile;
            const name = path.basename(outfile);
            this.add(name, fs.readFileSync(outfile));
            fs.writeFileSync(outfile, `"use strict";require("./unpack.js").load(module,${JSON.stringify(name)});\n`);
          });
        },
      };
    },
    /** Writes the pack files and dist/unpack.js into `outDir`, once every packed bundle was added. */
    async write(outDir) {
      const table = {};
      for (const [file, names] of Object.entries(PACKS)) {
        const missing = names.filter((n) => !parts.has(n));
        if (missing.length) throw new Error(`not packed (no build handed them over): ${missing.join(', ')}`);
        const { stream, ends } = await flushedStream(names.map((n) => parts.get(n)));
        let start = 0;
        names.forEach((name, i) => {
          const length = parts.get(name).length;
          table[name] = { file, end: ends[i], start, length };
          start += length;
        });
        fs.writeFileSync(path.join(outDir, file), stream);
      }
      fs.writeFileSync(path.join(outDir, 'unpack.js'), unpackText(table));
    },
  };
}
