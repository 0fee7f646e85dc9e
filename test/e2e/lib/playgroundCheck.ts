// `npm start` as a user runs it: the playground script packages the extension, starts code-server
// with the .vsix installed and prints a URL. The check opens that URL in the browser, opens a sample
// request and sends it to the simulator with the CodeLens, then stops the playground with Ctrl+C
// (SIGINT) and waits for it to exit.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort } from './codeServer';
import type { Counts } from './extensionTests';
import { repoRoot } from './tools';
import { openFromExplorer, waitForWorkbench } from './ui';

const URL_LINE = /^VIP API Workbench playground: (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m;

export async function checkPlayground(options: {
  browser: Browser;
  screenshotsDir: string;
  browserLog: string;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<Counts> {
  const { log } = options;
  const started = Date.now();
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/playground.ts'], {
    cwd: repoRoot,
    env: { ...process.env, VIP_PLAYGROUND_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = URL_LINE.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`npm start exited (${code}) before printing its URL:\n${output.slice(-2000)}`)),
    );
    setTimeout(
      () => reject(new Error(`npm start printed no URL within ${options.timeoutMs / 1000} s:\n${output.slice(-2000)}`)),
      options.timeoutMs,
    ).unref();
  });

  const name = 'npm start prints the playground URL, which serves the workbench with the extension';
  const shot = path.join(options.screenshotsDir, 'playground.png');
  mkdirSync(options.screenshotsDir, { recursive: true });
  for (const f of [shot, shot.replace(/\.png$/, '-FAILED.png')]) rmSync(f, { force: true });
  const context = await options.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => appendFileSync(options.browserLog, `[playground ${m.type()}] ${m.text()}\n`));
    await page.goto(await url);
    await waitForWorkbench(page);
    // The playground opens its README first (workbench.startupEditor: readme); then the request.
    await page.locator('.tabs-container .tab', { hasText: 'README.md' }).waitFor();
    const editor = await openFromExplorer(page, 'requests', 'deactivate-lost-phone.vip.json');
    await editor.locator('.codelens-decoration a', { hasText: 'Send request' }).first().click();
    await page
      .locator('.monaco-editor .view-lines', { hasText: 'DeactivateTokenResponse' })
      .locator('.view-line', { hasText: '"ReasonCode"' })
      .first()
      .waitFor();
    await page.screenshot({ path: shot });
    child.kill('SIGINT');
    const code = await exited;
    if (code !== 0) throw new Error(`npm start exited with ${code} after Ctrl+C:\n${output.slice(-1000)}`);
    log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s) — ${path.relative(process.cwd(), shot)}`);
    return { passed: 1, failed: 0 };
  } catch (err) {
    const failedShot = shot.replace(/\.png$/, '-FAILED.png');
    await page.screenshot({ path: failedShot }).catch((e: unknown) => log(`  ! screenshot failed: ${String(e)}`));
    log(
      `  ✗ ${name} — ${path.relative(process.cwd(), failedShot)}\n    ${(err instanceof Error ? err.message : String(err)).split('\n').join('\n    ')}`,
    );
    return { passed: 0, failed: 1 };
  } finally {
    await context.close().catch(() => {});
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await exited;
    }
  }
}
