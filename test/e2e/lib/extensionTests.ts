// Runs the Mocha suite inside code-server's extension host, the way @vscode/test-electron does in
// the desktop app: the page's `payload` names the extension and the tests entry; the smoke-test
// driver reports console lines through window.codeAutomationLog and the result through
// window.codeAutomationExit.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { workbenchUrl } from './browser';
import type { CodeServer } from './codeServer';

export interface Counts {
  passed: number;
  failed: number;
}

/** Prefix of the suite reporter's lines (suite/index.ts reads it from VIP_E2E_LOG_MARK). */
export const LOG_MARK = '[vip-e2e] ';

export async function runExtensionTests(options: {
  browser: Browser;
  server: CodeServer;
  extensionPath: string;
  testsPath: string;
  folder: string;
  timeoutMs: number;
  browserLog: string;
  hostLog: string;
  log: (line: string) => void;
}): Promise<Counts> {
  const { browser, server, log } = options;
  const seeLog = `see ${path.relative(process.cwd(), options.hostLog)}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    page.on('console', (m) =>
      appendFileSync(
        options.browserLog,
        `[suite page ${m.type()}] ${m.text()}${m.type() === 'error' ? ` (${m.location().url})` : ''}\n`,
      ),
    );
    let counts: Counts | undefined;
    let onExit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => {
      onExit = resolve;
    });
    // Every line goes to the log file; the suite's reporter lines (marked) also to the console.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      appendFileSync(options.hostLog, `[${type}] ${text}\n`);
      const result = /^E2E-RESULT (\{.*\})$/m.exec(text);
      if (result) counts = JSON.parse(result[1]) as Counts;
      for (const line of text.split('\n')) if (line.startsWith(LOG_MARK)) log(`  ${line.slice(LOG_MARK.length)}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => onExit(code));
    await page.goto(workbenchUrl(server.origin, server.port, options.folder, options.extensionPath, options.testsPath));

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') {
      log(`  ! the extension tests did not finish within ${options.timeoutMs / 1000} s (${seeLog})`);
      return { passed: counts?.passed ?? 0, failed: (counts?.failed ?? 0) + 1 };
    }
    if (!counts) {
      log(
        `  ! the extension host exited with ${code} without reporting results (${seeLog} and ${path.relative(process.cwd(), server.logFile)})`,
      );
      return { passed: 0, failed: 1 };
    }
    if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
    if (counts.failed > 0) log(`  (full extension-host log: ${seeLog.slice(4)})`);
    return counts;
  } finally {
    await context.close().catch(() => {});
  }
}
