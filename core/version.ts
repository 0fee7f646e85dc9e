// The product version, from package.json: a bundle gets it from esbuild's `define` at build time
// (esbuild.mjs); run from the sources (tsx) it is read from package.json.
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const __VIP_VERSION__: string | undefined;

let fromSources: string | undefined;

export function productVersion(): string {
  if (typeof __VIP_VERSION__ === 'string') return __VIP_VERSION__;
  fromSources ??= (
    JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  return fromSources;
}
