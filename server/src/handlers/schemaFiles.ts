// Where the schemas/ folder is on disk: beside dist/ in the extension, at the repository root in tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let schemasDir: string | null | undefined;

function findSchemasDir(): string | null {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'operations.json'))) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

/** The file URI of `schemas/<relative>`, or undefined when the folder is not shipped. */
export function schemaUri(relative: string): string | undefined {
  if (schemasDir === undefined) schemasDir = findSchemasDir();
  return schemasDir ? pathToFileURL(path.join(schemasDir, ...relative.split('/'))).toString() : undefined;
}
