// Browser UI tests on a copy of the playground's workspace (scripts/playground/workspace, whose
// flows/ holds the sample flows): the Testing view lists them, Run All runs them on the Simulator
// profile, a passing flow shows green, and the one that fails on purpose shows its diff in the peek
// at its expect line. Then an environment's profile: its first run asks for confirmation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { getReasonCode } from '../../../core/data/catalog';
import { startSimulator } from '../../../core/simulator';
import { openFromExplorer, repeatUntilVisible, runCommand, type UiTest } from '../lib/ui';

const LOST_PHONE = 'Lost phone: a used code is refused, a deactivated credential is inactive';
const FAILS = 'Fails on purpose: a replayed code is expected to validate';
const EXPECT_LINE = '"expect": { "reasonCode": "0000" }';

/** The text (trimmed) of the editor line at page height `y`. */
async function lineAt(editor: Locator, y: number): Promise<string> {
  for (const line of await editor.locator('.view-lines > .view-line').all()) {
    const box = await line.boundingBox();
    if (box && box.y <= y && y < box.y + box.height)
      return ((await line.textContent()) ?? '').replace(/\u00a0/g, ' ').trim();
  }
  return `(no line at y=${y})`;
}

/** The Testing view's tree, and a row of it by its label. */
async function testingRow(page: Page, label: string): Promise<Locator> {
  await page.locator('.activitybar .action-item a[aria-label^="Testing"]').first().click();
  const row = page.locator('.test-explorer .monaco-list-row', { hasText: label }).first();
  await row.waitFor();
  return row;
}

/** The tests of `workspace` (a fresh copy of the playground's workspace). */
export const flowUiTests = (workspace: string): UiTest[] => [
  {
    name: 'The Testing view lists the sample flows; Run All shows a passing flow green and the failing one with its diff at the expect line',
    screenshot: 'flows-test-explorer',
    async run(page, snap) {
      // The failing sample open first: its failure shows in its editor.
      const editor = await openFromExplorer(page, 'flows', 'fails-on-purpose.vipflow.json');
      await page.locator('.activitybar .action-item a[aria-label^="Testing"]').first().click();
      const tree = page.locator('.test-explorer');
      const row = (label: string) => tree.locator('.monaco-list-row', { hasText: label }).first();
      await row(LOST_PHONE).waitFor();
      await row(FAILS).waitFor();
      await snap('flows-discovered');

      await runCommand(page, 'Test: Run All Tests');
      await row(LOST_PHONE).locator('.codicon-testing-passed-icon').waitFor({ timeout: 60_000 });
      await row(FAILS).locator('.codicon-testing-failed-icon').waitFor({ timeout: 60_000 });

      // The failure's message stands at the end of the expect line; clicked, it opens the peek with the diff.
      const widget = editor.locator('.test-error-content-widget', { hasText: '49b5 (' }).first();
      await widget.waitFor();
      assert.equal(await lineAt(editor, (await widget.boundingBox())!.y + 2), EXPECT_LINE);
      const peek = editor.locator('.test-output-peek');
      await repeatUntilVisible(() => widget.click(), peek);
      const diff = peek.locator('.monaco-diff-editor');
      await diff
        .locator('.view-line', { hasText: `0000 (${getReasonCode('0000')!.message})` })
        .first()
        .waitFor();
      await diff
        .locator('.view-line', { hasText: `49b5 (${getReasonCode('49b5')!.message})` })
        .first()
        .waitFor();
      // The peek opens right below the line of the failure.
      assert.equal(await lineAt(editor, (await peek.boundingBox())!.y - 2), EXPECT_LINE);
      await snap('flows-failure-diff');
    },
  },
  {
    name: 'An environment profile: its first run asks for confirmation, Cancel skips, Run flows runs against the environment',
    screenshot: 'flows-environment-confirmed',
    async run(page, snap) {
      const requests: string[] = [];
      let onRequest: (() => void) | undefined;
      const sim = await startSimulator({
        host: '127.0.0.1',
        port: 0,
        log: (line) => {
          requests.push(line);
          onRequest?.();
        },
      });
      const sent = () => requests.filter((r) => r.includes('GetTokenInformation')).length;
      /** Resolves once the environment has had `n` GetTokenInformation requests; fails after 20 s. */
      const sentAtLeast = (n: number) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${sent()} of ${n} requests within 20 s`)), 20_000);
          onRequest = () => {
            if (sent() < n) return;
            clearTimeout(timer);
            onRequest = undefined;
            resolve();
          };
          onRequest();
        });
      try {
        const flow = {
          name: 'Information on an environment',
          steps: [
            {
              name: 'information',
              send: { GetTokenInformationRequest: { Version: '3.1', TokenId: 'SYMC10000001' } },
              expect: { reasonCode: '0000' },
            },
          ],
        };
        fs.writeFileSync(path.join(workspace, 'flows', 'on-environment.vipflow.json'), JSON.stringify(flow, null, 2));
        fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
        const environments = [{ name: 'Local VIP', url: `${sim.url}/{operation}` }];
        fs.writeFileSync(
          path.join(workspace, '.vscode', 'settings.json'),
          JSON.stringify({ 'vipApi.environments': environments }),
        );
        const row = await testingRow(page, flow.name);
        const dialog = page.locator('.monaco-dialog-box', {
          hasText: 'Run flows against the real environment "Local VIP"?',
        });
        const executeUsing = page.getByRole('menuitem', { name: /Execute Using Profile/ });
        const runOnEnvironment = async (): Promise<void> => {
          // The environment's profile exists once the extension has read the settings file written
          // above: until then the menu has no Execute Using Profile…, so open it again.
          await repeatUntilVisible(async () => {
            await page.keyboard.press('Escape');
            await row.click({ button: 'right' });
          }, executeUsing);
          // The menu acts on a keypress reliably; a click right after it opened may be ignored.
          await executeUsing.hover();
          await page.keyboard.press('Enter');
          await page
            .locator('.quick-input-list .monaco-list-row', { hasText: 'Environment: Local VIP' })
            .first()
            .click();
        };
        await runOnEnvironment();
        await dialog.waitFor();
        await snap('flows-environment-confirmation');
        await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await row.locator('.codicon-testing-skipped-icon').waitFor();
        assert.equal(requests.length, 0, `nothing was sent after Cancel: ${requests.join(', ')}`);
        await runOnEnvironment();
        await dialog.locator('.monaco-button', { hasText: 'Run flows' }).click();
        await row.locator('.codicon-testing-passed-icon').waitFor();
        assert.equal(sent(), 1, requests.join('\n'));
        // Asked once per session: the next run goes without the dialog. Nothing answers a dialog
        // here, so the request arriving is the proof that none was shown.
        await runOnEnvironment();
        await sentAtLeast(2);
        assert.equal(sent(), 2, 'the second run reached the environment once');
      } finally {
        await sim.close();
      }
    },
  },
];
