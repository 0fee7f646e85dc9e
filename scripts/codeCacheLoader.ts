// The loader that dist/server.js consists of (scripts/codeCache.mjs writes it at build time, with
// esbuild turning this file into plain CommonJS and filling in the two constants below): it
// compiles the real bundle with a V8 code cache. What the cache is and where it lives: see the
// comment at the top of scripts/codeCache.mjs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Replaced at build time: the SHA-256 of the wrapped bundle, its length and its text; or, in a
 * production build, `__BUNDLE_PACKED__`: the text is in the pack (scripts/packBundles.mjs) beside
 * this file, and the cache file keeps a copy after the code cache, so that only a start without
 * a cache loads zlib and decompresses (bench/NOTES.md).
 */
declare const __BUNDLE_HASH__: string;
declare const __BUNDLE_LENGTH__: number;
declare const __BUNDLE_TEXT__: string;
declare const __BUNDLE_PACKED__: boolean;

type BundleFunction = (
  exports: unknown,
  req: NodeJS.Require,
  mod: NodeJS.Module,
  filename: string,
  dirname: string,
) => void;

// FNV-1a over 32-bit words (node:crypto would cost more to load than the cache saves on a check).
const checksum = (bytes: Uint8Array): number => {
  if (bytes.byteOffset & 3) bytes = new Uint8Array(bytes); // a copy, aligned
  let h = 0x811c9dc5;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  for (let i = words.length << 2; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
};
const trace = (line: string): void => {
  if (process.env.VIP_API_CODE_CACHE_TRACE === '1') process.stderr.write('vip-api code cache: ' + line + '\n');
};
let dir: string | undefined;
let file: string | undefined;
let data: Buffer | undefined;
let cachedText: string | undefined;
if (process.env.VIP_API_CODE_CACHE === 'off') trace('off');
else {
  try {
    const base =
      process.env.VIP_API_CODE_CACHE_DIR ||
      (process.platform === 'win32'
        ? path.join(
            process.env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'),
            'vip-api-workbench',
            'Cache',
          )
        : path.join(
            process.platform === 'darwin'
              ? path.join(os.homedir(), 'Library', 'Caches')
              : process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
            'vip-api-workbench',
          ));
    const key =
      __BUNDLE_HASH__.slice(0, 24) +
      '-' +
      checksum(
        Buffer.from([process.version, process.versions.v8, process.arch, process.execArgv.join(' ')].join('\n')),
      ).toString(16);
    // Only a directory and file of this user that no one else can write.
    const own = (p: string): boolean => {
      const s = fs.statSync(p, { throwIfNoEntry: false });
      return !s || process.platform === 'win32' || (s.uid === process.getuid?.() && (s.mode & 0o022) === 0);
    };
    const candidate = path.join(base, 'server-' + key + '.cache');
    if (own(base) && own(candidate)) {
      dir = base;
      file = candidate;
    } else trace('not used: ' + base + ' or its file belongs to another user or others can write it');
    if (file && fs.existsSync(file)) {
      const raw = fs.readFileSync(file);
      const body = raw.subarray(8); // after the length and checksum of the body
      const sound = raw.length > 8 && raw.readUInt32LE(0) === body.length && raw.readUInt32LE(4) === checksum(body);
      if (sound && !__BUNDLE_PACKED__) data = body;
      else if (sound && body.length > __BUNDLE_LENGTH__) {
        data = body.subarray(0, body.length - __BUNDLE_LENGTH__);
        cachedText = body.toString('latin1', body.length - __BUNDLE_LENGTH__);
      } else trace('corrupt ' + file);
    } else if (file) trace('none ' + file);
  } catch (e) {
    trace('not used: ' + (e as Error).message);
    data = undefined;
    cachedText = undefined;
  }
}
const text = !__BUNDLE_PACKED__
  ? __BUNDLE_TEXT__
  : (cachedText ?? (require('./unpack.js') as typeof import('./packedBundles')).source(path.basename(__filename)));
// lineOffset: the bundle's own lines and columns, as in its source map (the wrapper takes line 0).
const script = new vm.Script(text, { filename: __filename, lineOffset: -1, cachedData: data });
(script.runInThisContext() as BundleFunction)(exports, require, module, __filename, __dirname);
// V8's own answer: false only when it was given the cache and used it.
if (data) trace((script.cachedDataRejected === false ? 'accepted ' : 'rejected ') + file);
const target = file;
const targetDir = dir;
if (target && targetDir && (!data || script.cachedDataRejected)) {
  setTimeout(() => {
    try {
      const code = script.createCachedData();
      const body = __BUNDLE_PACKED__ ? Buffer.concat([code, Buffer.from(text, 'latin1')]) : code;
      const header = Buffer.alloc(8);
      header.writeUInt32LE(body.length, 0);
      header.writeUInt32LE(checksum(body), 4);
      fs.mkdirSync(targetDir, { recursive: true, mode: 0o700 });
      const tmp = target + '.' + process.pid + '.tmp';
      fs.writeFileSync(tmp, Buffer.concat([header, body]), { mode: 0o600 });
      fs.renameSync(tmp, target);
      trace('written ' + target);
      // Caches of other builds (and writes that never finished) go after a day unused.
      for (const name of fs.readdirSync(targetDir)) {
        const other = path.join(targetDir, name);
        if (name.startsWith('server-') && other !== target && Date.now() - fs.statSync(other).mtimeMs > 86400000)
          fs.rmSync(other, { force: true });
      }
    } catch (e) {
      trace('not written: ' + (e as Error).message); // no cache this time
    }
  }, 3000).unref();
}
