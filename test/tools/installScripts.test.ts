// npm 11 runs a dependency's install scripts only when package.json's `allowScripts` approves it, and
// warns after every `npm ci` about the ones it has no decision for. Each one gets a decision here:
// esbuild's postinstall checks its platform binary (approved); @vscode/vsce-sign's sets up signing,
// which `npm run package` does not use (denied).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from '../helpers/lspClient';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmMajor = Number(execFileSync(npm, ['--version'], { encoding: 'utf8' }).split('.')[0]);

test(
  'every dependency with an install script is approved or denied in package.json allowScripts',
  { skip: npmMajor < 11 && `npm ${npmMajor} has no allowScripts` },
  () => {
    const listed = execFileSync(npm, ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(listed, /No packages with unreviewed install scripts/, listed);
  },
);
