// What the .vsix would contain (`vsce ls`): only what runs. The package itself is built in .ci/run.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/lspClient';

test('the extension package holds the bundles, schemas, grammar, icon and docs, and nothing else', () => {
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').sort();
  for (const needed of [
    'package.json',
    'package.nls.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'language-configuration.json',
    'dist/client.js',
    'dist/language.js',
    'dist/send.js',
    'dist/server.js',
    'dist/validators.js',
    'images/icon.png',
    'syntaxes/vip-json.tmLanguage.json',
    'schemas/reason-codes.json',
    'schemas/operations.json',
    'schemas/common.json',
    'schemas/requests/DeactivateToken.json',
  ]) {
    assert.ok(files.includes(needed), `${needed} missing from the package`);
  }
  // The Get Started walkthrough's media and the sample request its first step opens.
  const steps: { media: { markdown?: string; image?: string } }[] = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
  ).contributes.walkthroughs.flatMap((w: { steps: unknown[] }) => w.steps);
  for (const needed of [
    ...steps.map((s) => s.media.markdown ?? s.media.image),
    'media/walkthrough/sample-request.vip.json',
  ]) {
    assert.ok(files.includes(needed!), `${needed} missing from the package`);
  }
  const unexpected = files.filter(
    (f) =>
      !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|language-configuration\.json|package\.nls\.json|l10n\/bundle\.l10n\.json|images\/icon\.png|dist\/[a-z]+\.(js|br)|syntaxes\/[^/]+\.json|schemas\/.+\.json|media\/walkthrough\/[^/]+\.(md|png|vip\.json))$/.test(
        f,
      ),
  );
  assert.deepEqual(unexpected, [], 'only what runs goes into the .vsix');
  assert.ok(
    !files.includes('dist/cli.js'),
    'the extension runs the simulator from dist/server.js; the CLI ships through npm',
  );
});
