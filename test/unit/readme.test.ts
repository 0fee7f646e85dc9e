import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT, updateReadme } from '../../scripts/reasonCodeTables';

test('the README reason-code tables match the catalog and the engine (run npm run docs to update)', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, updateReadme(readme));
});

test('the README test command is the one .ci/run calls', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  assert.match(readme, /\| Run all tests \| `npm test` \|/);
  assert.match(ci, /^npm test$/m);
});

test('the README map ("How it is built") names every folder of core/ and every top-level source folder, and only existing ones', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const map = /## How it is built[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const named = (indent: string): string[] =>
    [...map.matchAll(new RegExp(`^${indent}([a-z]+)/ `, 'gm'))].map((m) => m[1]);
  const folders = (dir: string): string[] =>
    fs
      .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  assert.deepEqual(named('  ').sort(), folders('core'), 'core/ subfolders in the map');
  for (const top of named(''))
    assert.ok(fs.existsSync(path.join(ROOT, top)), `${top}/ is in the map but not in the tree`);
  for (const top of ['schemas', 'core', 'server', 'client', 'cli', 'syntaxes', 'scripts', 'test', 'bench'])
    assert.ok(named('').includes(top), `${top}/ is missing from the map`);
});
