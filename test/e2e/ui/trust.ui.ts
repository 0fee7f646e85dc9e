// Browser UI tests on the second code-server, the one with workspace trust on, opened on
// fixtures/untrusted-workspace/ (Restricted Mode). They run after the untrusted suite: granting
// trust here lasts for that server's life.
import { openFromExplorer, repeatUntilVisible, type UiTest } from '../lib/ui';

export const restrictedUiTests: UiTest[] = [
  {
    // SECURITY.md: "Granting trust takes effect at once; the status bar updates."
    name: 'Granting workspace trust takes effect at once: the Send CodeLens appears and the workspace environment becomes selectable',
    screenshot: 'trust-granted',
    async run(page, snap) {
      const editor = await openFromExplorer(page, 'requests', 'deactivate.vip.json');
      const item = page.locator('.statusbar-item', { hasText: 'VIP: Simulator · REST' });
      await item.waitFor();
      // Untrusted: the picker lists only the built-in environments, not the workspace's own.
      await item.click();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Simulator (SOAP)' }).waitFor();
      const rows = await page.locator('.quick-input-list .monaco-list-row').allTextContents();
      if (rows.some((r) => r.includes('Workspace endpoint')))
        throw new Error(`untrusted, yet the workspace environment is offered: ${rows.join(' | ')}`);
      await page.keyboard.press('Escape');

      // The Restricted Mode status bar item opens the Workspace Trust editor (after the untrusted
      // suite has run on this server, the palette does not always list Manage Workspace Trust).
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().click();
      await page
        .locator('.workspace-trust-editor .workspace-trust-buttons .monaco-button', { hasText: 'Trust' })
        .first()
        .click();
      await page.locator('.workspace-trust-editor', { hasText: 'You trust this folder' }).first().waitFor();
      // The trust editor opens as a modal editor over the request: close it.
      await page.locator('.monaco-modal-editor-block .action-label.codicon-close').first().click();
      await page.locator('.monaco-modal-editor-block').waitFor({ state: 'detached' });
      // No reload: the CodeLens and the picker follow the grant.
      await editor.locator('.codelens-decoration a', { hasText: 'Send request ▸ Simulator' }).waitFor();
      const offered = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Workspace endpoint' });
      await repeatUntilVisible(async () => {
        await page.keyboard.press('Escape');
        await item.click();
      }, offered);
      await snap('trust-granted-environments');
      await page.keyboard.press('Escape');
      // And Send works: the built-in simulator starts now (SYMC10000001 is ENABLED in its demo state).
      await editor.locator('.codelens-decoration a', { hasText: 'Send request ▸ Simulator' }).click();
      await page
        .locator('.monaco-editor .view-lines', { hasText: 'DeactivateTokenResponse' })
        .locator('.view-line', { hasText: '"ReasonCode": "0000"' })
        .waitFor();
    },
  },
];
