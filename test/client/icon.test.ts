// images/icon.png is what scripts/icon.ts draws (so it can be redrawn from code) and what the
// Marketplace wants: a 128×128 PNG; package.json points at it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ICON_FILE, SIZE, drawIcon, encodePng } from '../../scripts/icon';

test('images/icon.png is current (npx tsx scripts/icon.ts), a 128×128 RGBA PNG, and the package icon', () => {
  const file = fs.readFileSync(ICON_FILE);
  assert.ok(file.equals(encodePng(drawIcon())), 'images/icon.png is stale: run npx tsx scripts/icon.ts');
  assert.equal(file.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(file.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.deepEqual([file.readUInt32BE(16), file.readUInt32BE(20), file[25]], [SIZE, SIZE, 6]);
  assert.equal(SIZE, 128);
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { icon?: string };
  assert.equal(path.resolve(__dirname, '../..', pkg.icon ?? ''), ICON_FILE);
});
