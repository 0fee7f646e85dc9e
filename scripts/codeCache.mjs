// esbuild plugin for dist/server.js (esbuild.mjs): after the build, the bundle is wrapped in a small
// loader that compiles it with a V8 code cache, so that a server start after the first one skips
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

const LOADER = String.raw`"use strict";
(() => {
  const fs = require("fs"), path = require("path"), os = require("os"), vm = require("vm");
  // FNV-1a over 32-bit words (node:crypto would cost more to load than the cache saves on a check).
  const checksum = (bytes) => {
    if (bytes.byteOffset & 3) bytes = new Uint8Array(bytes); // a copy, aligned
    let h = 0x811c9dc5;
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
    for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
    for (let i = words.length << 2; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return h >>> 0;
  };
  const trace = process.env.VIP_API_CODE_CACHE_TRACE === "1" ? (line) => process.stderr.write("vip-api code cache: " + line + "\n") : () => {};
  let dir, file, data;
  if (process.env.VIP_API_CODE_CACHE === "off") trace("off");
  else {
    try {
      const base = process.env.VIP_API_CODE_CACHE_DIR
        || (process.platform === "win32" ? path.join(process.env.LOCALAPPDATA || path.join(os.homedir(), "AppData", "Local"), "vip-api-workbench", "Cache")
        : path.join(process.platform === "darwin" ? path.join(os.homedir(), "Library", "Caches") : process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "vip-api-workbench"));
      const key = __BUNDLE_HASH__.slice(0, 24) + "-" + checksum(Buffer.from([process.version, process.versions.v8, process.arch, process.execArgv.join(" ")].join("\n"))).toString(16);
      // Only a directory and file of this user that no one else can write.
      const own = (p) => { const s = fs.statSync(p, { throwIfNoEntry: false }); return !s || process.platform === "win32" || (s.uid === process.getuid() && (s.mode & 0o022) === 0); };
      const candidate = path.join(base, "server-" + key + ".cache");
      if (own(base) && own(candidate)) {
        dir = base;
        file = candidate;
      } else trace("not used: " + base + " or its file belongs to another user or others can write it");
      if (file && fs.existsSync(file)) {
        const raw = fs.readFileSync(file);
        const body = raw.subarray(8); // after the length and checksum of the body
        if (raw.length > 8 && raw.readUInt32LE(0) === body.length && raw.readUInt32LE(4) === checksum(body)) data = body;
        else trace("corrupt " + file);
      } else if (file) trace("none " + file);
    } catch (e) {
      trace("not used: " + e.message);
      data = undefined;
    }
  }
  // lineOffset: the bundle's own lines and columns, as in its source map (the wrapper takes line 0).
  const script = new vm.Script(__BUNDLE_TEXT__, { filename: __filename, lineOffset: -1, cachedData: data });
  script.runInThisContext()(exports, require, module, __filename, __dirname);
  // V8's own answer: false only when it was given the cache and used it.
  if (data) trace((script.cachedDataRejected === false ? "accepted " : "rejected ") + file);
  if (file && (!data || script.cachedDataRejected)) {
    setTimeout(() => {
      try {
        const body = script.createCachedData();
        const header = Buffer.alloc(8);
        header.writeUInt32LE(body.length, 0);
        header.writeUInt32LE(checksum(body), 4);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const tmp = file + "." + process.pid + ".tmp";
        fs.writeFileSync(tmp, Buffer.concat([header, body]), { mode: 0o600 });
        fs.renameSync(tmp, file);
        trace("written " + file);
        // Caches of other builds (and writes that never finished) go after a day unused.
        for (const name of fs.readdirSync(dir)) {
          const other = path.join(dir, name);
          if (name.startsWith("server-") && other !== file && Date.now() - fs.statSync(other).mtimeMs > 86400000) fs.rmSync(other, { force: true });
        }
      } catch (e) {
        trace("not written: " + e.message); // no cache this time
      }
    }, 3000).unref();
  }
})();
`;

export function codeCacheLoader() {
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
        const text = LOADER.replace('__BUNDLE_HASH__', JSON.stringify(hash)).replace('__BUNDLE_TEXT__', () => JSON.stringify(wrapped));
        fs.writeFileSync(outfile, text);
      });
    },
  };
}
