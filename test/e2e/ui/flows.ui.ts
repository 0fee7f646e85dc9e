// Browser UI test on the playground's workspace (scripts/playground/workspace, whose flows/ holds
// the sample flows): the Testing view lists them, Run All runs them on the Simulator profile, a
// passing flow shows green, and the one that fails on purpose shows its diff in the peek at its
// expect line.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { getReasonCode } from '../../../core/data/catalog';
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

export const flowUiTests: UiTest[] = [
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
];
