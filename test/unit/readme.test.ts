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
