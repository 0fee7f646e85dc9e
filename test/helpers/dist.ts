// Tests of the bundles run what `npm run build` wrote in dist/. A bundle older than the sources it is
// built from would test yesterday's code: such a test stops at once and says to build.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** What the bundles are built from (generated files excluded: the build writes them itself). */
const SOURCES = ['core', 'server/src', 'cli', 'client/src', 'schemas', 'scripts', 'esbuild.mjs'];

let newest: { file: string; mtimeMs: number } | undefined;

function newestSource(): { file: string; mtimeMs: number } {
  if (newest) return newest;
  newest = { file: '', mtimeMs: 0 };
  const visit = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    } else if (!/\.generated\./.test(p) && stat.mtimeMs > newest!.mtimeMs) {
      newest = { file: path.relative(ROOT, p), mtimeMs: stat.mtimeMs };
    }
  };
  for (const source of SOURCES) visit(path.join(ROOT, source));
  return newest;
}

/** Throws "run npm run build" when `bundle` is missing or older than any of its sources. */
export function assertBuilt(bundle: string): void {
  const name = path.relative(ROOT, bundle);
  if (!fs.existsSync(bundle)) throw new Error(`${name} is missing: run npm run build`);
  const source = newestSource();
  if (fs.statSync(bundle).mtimeMs < source.mtimeMs)
    throw new Error(`${name} is older than ${source.file}: run npm run build`);
}
