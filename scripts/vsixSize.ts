// The .vsix size target (bench/RESULTS.md), checked by `npm run package` right after vsce writes the
// package, so that a change that grows it past the target fails the build where it happens, not
// only in the next benchmark run. `tsx scripts/vsixSize.ts <file.vsix>`.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** At most 400 KB (1 KB = 1024 bytes, as bench/RESULTS.md counts). */
export const VSIX_LIMIT_BYTES = 400 * 1024;

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx scripts/vsixSize.ts <file.vsix>');
  const size = fs.statSync(file).size;
  const kb = (n: number) => (n / 1024).toFixed(1) + ' KB';
  if (size > VSIX_LIMIT_BYTES) {
    console.error(
      `${path.basename(file)} is ${kb(size)}, over its ${VSIX_LIMIT_BYTES / 1024} KB target: see bench/NOTES.md on the .vsix`,
    );
    process.exit(1);
  }
  console.log(`${path.basename(file)}: ${kb(size)} (target ≤ ${VSIX_LIMIT_BYTES / 1024} KB)`);
}
