// What dist/unpack.js consists of in a production build (scripts/packBundles.mjs writes it, with
// esbuild turning this file into plain CommonJS and filling in the table below): the bundles the
// .vsix carries brotli-compressed, and how a bundle gets its code back. Bundles that share code
// (the server and the language client: vscode-jsonrpc and the protocol; the server and send: the
// schemas) travel in one brotli stream, flushed after each bundle, so a bundle's code is the
// decompressed prefix of the stream up to its own end: only the bytes before it are read and
// decompressed, never the bundles after it. Why and what it costs: bench/NOTES.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

interface PackedPart {
  /** The pack file beside this one, e.g. bundles.br. */
  file: string;
  /** Compressed bytes up to the flush after this part. */
  end: number;
  /** Where the part's code starts and how long it is, in the decompressed stream. */
  start: number;
  length: number;
}
/** Replaced at build time: each packed bundle by its file name (server.js, language.js, …). */
declare const __PACKED_PARTS__: Record<string, PackedPart>;

/** The code of the packed bundle `name` (ASCII: esbuild escapes everything else). */
export function source(name: string): string {
  const part = Object.prototype.hasOwnProperty.call(__PACKED_PARTS__, name) ? __PACKED_PARTS__[name] : undefined;
  if (!part) throw new Error(`${name} is not among the packed bundles`);
  const file = path.join(__dirname, part.file);
  const packed = Buffer.allocUnsafe(part.end);
  const fd = fs.openSync(file, 'r');
  try {
    for (let read = 0; read < part.end;) {
      const n = fs.readSync(fd, packed, read, part.end - read, read);
      if (n === 0) throw new Error(`${file} is shorter than its table says: reinstall the extension`);
      read += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  // FLUSH, not FINISH: the stream goes on after this prefix. One output chunk of the known size: no
  // chunks to concatenate, less memory left behind (bench memoryAfter100Files).
  const size = part.start + part.length;
  const code = zlib.brotliDecompressSync(packed, {
    finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    chunkSize: size,
    maxOutputLength: size,
  });
  if (code.length !== size) throw new Error(`${file} does not hold ${name}: reinstall the extension`);
  return code.toString('latin1', part.start);
}

/** Runs the packed bundle `name` as the module `mod` (its stub in dist/), as `require` would run a plain one. */
export function load(mod: NodeJS.Module, name: string): void {
  (mod as NodeJS.Module & { _compile(code: string, filename: string): void })._compile(source(name), mod.filename);
}
