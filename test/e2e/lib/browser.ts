// Chromium from the tool cache (@sparticuz/chromium, see tools.ts) driven by playwright-core:
// Playwright's own browser download cannot run here, and no system browser is needed.
import { chromium, type Browser } from 'playwright-core';
import type { Tools } from './tools';

/** Keeps Chromium from trying to reach anything but loopback (the machine has no other network). */
const loopbackOnlyArgs = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Flags the package recommends for AWS Lambda that do not fit here: `--single-process` ends the
 * whole browser when the first browser context closes (every test has its own), and the two
 * web-security flags would let the workbench do what a user's browser forbids.
 */
const lambdaOnlyArgs = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

export async function launchBrowser(browser: Tools['chromium']): Promise<Browser> {
  const executablePath = process.env['VIP_E2E_CHROMIUM'] ?? browser.executablePath;
  return chromium.launch({
    executablePath,
    headless: true,
    // The flags the package recommends for its build (headless shell, no sandbox, SwiftShader), then ours.
    args: [...browser.args.filter((a) => !lambdaOnlyArgs.has(a)), ...loopbackOnlyArgs],
  });
}

/** The workbench URL that opens `folder` with the extension loaded from `extensionPath` (and tests, if given). */
export function workbenchUrl(
  origin: string,
  port: number,
  folder: string,
  extensionPath: string,
  testsPath?: string,
): string {
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ...(testsPath ? [['extensionTestsPath', remote(testsPath)] as [string, string]] : []),
    ['skipWelcome', 'true'],
  ];
  return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
