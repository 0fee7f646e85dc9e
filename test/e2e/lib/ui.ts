// A small harness for the browser UI tests: each test gets a fresh page on the workbench (the
// fixture folder with the extension loaded), a time limit, and a screenshot at the end — named
// after the test on success, `…-FAILED.png` on failure — in test/e2e/screenshots/ (git-ignored).
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { workbenchUrl } from './browser';
import type { CodeServer } from './codeServer';
import type { Counts } from './extensionTests';

export interface UiTest {
  name: string;
  /** Screenshot file name (without .png); defaults to the name in kebab case. */
  screenshot?: string;
  /** `snap(name)` saves an extra screenshot `<name>.png` mid-test (e.g. an open menu). */
  run(page: Page, snap: (name: string) => Promise<void>): Promise<void>;
}

export async function runUiTests(options: {
  browser: Browser;
  server: CodeServer;
  tests: UiTest[];
  extensionPath: string;
  folder: string;
  screenshotsDir: string;
  timeoutMs: number;
  browserLog: string;
  log: (line: string) => void;
}): Promise<Counts> {
  const { log } = options;
  const counts: Counts = { passed: 0, failed: 0 };
  mkdirSync(options.screenshotsDir, { recursive: true });
  for (const test of options.tests) {
    const started = Date.now();
    const context = await options.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('console', (m) =>
      appendFileSync(
        options.browserLog,
        `[ui "${test.name}" ${m.type()}] ${m.text()}${m.type() === 'error' ? ` (${m.location().url})` : ''}\n`,
      ),
    );
    const shot =
      test.screenshot ??
      test.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
    let error: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      await page.goto(workbenchUrl(options.server.origin, options.server.port, options.folder, options.extensionPath));
      await waitForWorkbench(page);
      const snap = async (name: string): Promise<void> => {
        await page.screenshot({ path: path.join(options.screenshotsDir, `${name}.png`) });
      };
      const running = test.run(page, snap);
      running.catch(() => {}); // after a timeout it may still reject: handled here, reported below
      await Promise.race([
        running,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${options.timeoutMs / 1000} s`)),
            options.timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      error = err;
    } finally {
      clearTimeout(timer);
    }
    const file = path.join(options.screenshotsDir, `${shot}${error ? '-FAILED' : ''}.png`);
    rmSync(path.join(options.screenshotsDir, `${shot}${error ? '' : '-FAILED'}.png`), { force: true }); // the other outcome's, from an earlier run
    await page.screenshot({ path: file }).catch((e: unknown) => log(`  ! screenshot failed: ${String(e)}`));
    await context.close().catch(() => {});
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (error) {
      counts.failed++;
      log(`  ✗ ${test.name} (${secs} s) — ${path.relative(process.cwd(), file)}`);
      log(`    ${(error instanceof Error ? error.message : inspect(error)).split('\n').join('\n    ')}`);
    } else {
      counts.passed++;
      log(`  ✓ ${test.name} (${secs} s) — ${path.relative(process.cwd(), file)}`);
    }
  }
  return counts;
}

/** Waits until the workbench shows the Explorer with the fixture folder. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/** Clicks through the Explorer tree (folders, then the file) and waits for the file's editor tab. */
export async function openFromExplorer(page: Page, ...segments: string[]): Promise<Locator> {
  const explorer = page.locator('.explorer-folders-view');
  for (const segment of segments) {
    await explorer.getByRole('treeitem', { name: segment, exact: true }).click();
  }
  const name = segments[segments.length - 1];
  const tab = page.locator(`.tabs-container .tab[data-resource-name="${name}"]`);
  await tab.waitFor();
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Runs a command from the command palette (F1) by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * The notification that contains `text`, in the notification center (opened by its command until
 * the notification arrives). Toasts do not show in the headless browser; the center does.
 */
export async function openNotification(page: Page, text: string): Promise<Locator> {
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  await repeatUntilVisible(() => runCommand(page, 'Notifications: Show Notifications'), item);
  return item;
}

/**
 * Runs `action` until `popup` is visible, waiting a little for it after each try, until
 * `timeoutMs`. Popups asked for before the language server is ready (a hover, the quick-fix menu)
 * stay empty, and the editor asks again only on the next gesture: so repeat the gesture.
 */
export async function repeatUntilVisible(
  action: () => Promise<void>,
  popup: Locator,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await action();
    try {
      await popup.waitFor({ timeout: Math.max(1, Math.min(3000, deadline - Date.now())) });
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
  }
}

/** Hovers `target` (moving away first, so each try is a new hover) until `popup` is visible. */
export async function hoverUntilVisible(
  page: Page,
  target: Locator,
  popup: Locator,
  timeoutMs = 30_000,
): Promise<void> {
  await repeatUntilVisible(
    async () => {
      await page.mouse.move(1, 1);
      await target.hover();
    },
    popup,
    timeoutMs,
  );
}
