// The house rules that a reader relies on, kept by a test: no function in the source folders is longer
// than a screen (about 60 lines) unless a comment right above it says why, and no module imports
// itself through others (type-only imports count: a cycle of types is still a knot to untie).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '../..');
const SOURCE_FOLDERS = ['core', 'server/src', 'client/src', 'cli'];
const MAX_FUNCTION_LINES = 60;
/** A comment `// long: <reason>` on the line above a function allows it to be longer. */
const JUSTIFIED = /\/\/\s*long:\s*\S/;

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(full);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(path.join(root, folder));
  return files;
}

interface LongFunction {
  where: string;
  lines: number;
}

function longFunctions(file: string): LongFunction[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line;
  const lines = text.split('\n');
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = lineOf(node.getStart(source));
      const length = lineOf(node.end) - start + 1;
      if (length > MAX_FUNCTION_LINES && !JUSTIFIED.test(lines[start - 1] ?? '')) {
        found.push({ where: `${path.relative(root, file)}:${start + 1}`, lines: length });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test(`no function in ${SOURCE_FOLDERS.join(', ')} is over ${MAX_FUNCTION_LINES} lines without a "// long:" reason above it`, () => {
  const offenders = sourceFiles().flatMap(longFunctions);
  assert.deepEqual(offenders, [], offenders.map((o) => `${o.where} (${o.lines} lines)`).join('\n'));
});

/** Relative imports and re-exports of a file, resolved to files (type-only ones included). */
function localImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const targets: string[] = [];
  for (const statement of source.statements) {
    const spec =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec.text);
    const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });
    if (resolved) targets.push(resolved);
  }
  return targets;
}

/** The cycles among the files, each as the list of files around it (depth-first search, one per back edge). */
export function importCycles(files: string[], importsOf: (file: string) => string[]): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of importsOf(file)) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

test('the cycle finder finds a cycle of three and none in a chain', () => {
  const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['e'], e: [] };
  assert.deepEqual(
    importCycles(Object.keys(graph), (f) => graph[f] ?? []),
    [['a', 'b', 'c', 'a']],
  );
  assert.deepEqual(
    importCycles(['d', 'e'], (f) => graph[f] ?? []),
    [],
  );
});

test(`no import cycles in ${SOURCE_FOLDERS.join(', ')} (type-only imports included)`, () => {
  const cycles = importCycles(sourceFiles(), localImports);
  assert.deepEqual(cycles, [], cycles.map((c) => c.map((f) => path.relative(root, f)).join(' → ')).join('\n'));
});
