import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT, contributedSettings, updateSettingsTable } from '../../scripts/settingsTable';

test('the README settings table is generated from package.json and current (run npm run docs to update)', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, updateSettingsTable(readme));
  const settings = contributedSettings().map(([key]) => key);
  assert.ok(settings.length >= 9);
  for (const key of settings)
    assert.ok(readme.includes(`| \`${key}\` |`), `${key} is not in the README settings table`);
});
