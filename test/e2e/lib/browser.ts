// Debian's chromium driven by playwright-core (Playwright's own browser download cannot run here).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env['VIP_E2E_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set VIP_E2E_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // The machine has no network but loopback: keep Chromium from trying to reach anything else.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The workbench URL that opens `folder` with the extension loaded from `extensionPath` (and tests, if given). */
export function workbenchUrl(origin: string, port: number, folder: string, extensionPath: string, testsPath?: string): string {
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ...(testsPath ? [['extensionTestsPath', remote(testsPath)] as [string, string]] : []),
    ['skipWelcome', 'true'],
  ];
  return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
