// Runner A: the e2e suite in a real VS Code (code-server) on 127.0.0.1, driven by Chromium from the tool cache.
//   npm run test:e2e [-- --suite-only | --ui-only] [--grep TEXT]
// The UI part ends with `npm start` itself: the playground URL opened and used in the browser.
// Installs the pinned tools on first run, builds, starts code-server in its own process group,
// runs the extension-host Mocha suite and the browser UI tests, always ends the process group,
// and prints `N passed, N failed` last. Exit 0 only when everything passed.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './lib/browser';
import { buildExtension, buildSuite } from './lib/build';
import { startCodeServer, type CodeServer } from './lib/codeServer';
import { LOG_MARK, runExtensionTests, type Counts } from './lib/extensionTests';
import { checkPlayground } from './lib/playgroundCheck';
import { ToolInstallError } from './lib/toolCache';
import { ensureTools, repoRoot } from './lib/tools';
import { runUiTests } from './lib/ui';
import { flowUiTests } from './ui/flows.ui';
import { restrictedUiTests } from './ui/trust.ui';
import { uiTests } from './ui/workbench.ui';

const args = process.argv.slice(2);
const grepIndex = args.indexOf('--grep');
const grep = grepIndex >= 0 ? args[grepIndex + 1] : undefined;
const suiteOnly = args.includes('--suite-only');
const uiOnly = args.includes('--ui-only');
const hardTimeoutMs = Number(process.env['VIP_E2E_TIMEOUT_MS'] ?? 15 * 60_000);

const e2eDir = path.join(repoRoot, 'test/e2e');
const artifactsDir = path.join(e2eDir, 'artifacts');
const fixtureWorkspace = path.join(e2eDir, 'fixtures/workspace');
const restrictedWorkspace = path.join(e2eDir, 'fixtures/untrusted-workspace');
const playgroundSamples = path.join(repoRoot, 'scripts/playground/workspace');
const started = Date.now();
const log = (line: string): void => console.log(line);
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;

let server: CodeServer | undefined;
let restrictedServer: CodeServer | undefined;
let browser: Browser | undefined;
let removeSuite: (() => void) | undefined;
/** A copy of the playground's workspace, as `npm start` opens: the flow UI tests add settings and flows to it. */
const flowsWorkspace = path.join(tmpdir(), `vip-e2e-flows-${process.pid}`);
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    await browser?.close().catch(() => {});
    await server?.stop().catch((e: unknown) => console.error(`teardown: ${String(e)}`));
    await restrictedServer?.stop().catch((e: unknown) => console.error(`teardown: ${String(e)}`));
    removeSuite?.();
    rmSync(flowsWorkspace, { recursive: true, force: true });
  })());
}

function finish(counts: Counts, note?: string): never {
  if (note) console.error(note);
  log(`\ne2e finished in ${elapsed()}`);
  log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

async function main(): Promise<void> {
  const tools = await ensureTools(log);
  // The hard limit covers everything after the (one-time, minutes-long) tool install.
  setTimeout(() => {
    void cleanup().then(() =>
      finish({ passed: 0, failed: 1 }, `e2e: hard timeout after ${hardTimeoutMs / 1000} s; process group ended`),
    );
  }, hardTimeoutMs).unref();

  log(`Building the extension and the e2e suite… (${elapsed()})`);
  buildExtension();
  const suite = await buildSuite();
  const untrustedSuite = await buildSuite('untrusted');
  removeSuite = suite.remove;
  const testsPath = suite.entry;
  mkdirSync(artifactsDir, { recursive: true });
  const browserLog = path.join(artifactsDir, 'browser.log');
  const hostLog = path.join(artifactsDir, 'extension-host.log');
  for (const f of [browserLog, hostLog]) rmSync(f, { force: true });
  process.env['VIP_E2E_LOG_MARK'] = LOG_MARK; // inherited by code-server's extension host

  if (grep) process.env['VIP_E2E_GREP'] = grep; // read by suite/index.ts in the extension host
  server = await startCodeServer({ tools, logFile: path.join(artifactsDir, 'code-server.log'), smokeTestDriver: true });
  log(`code-server ${tools.codeServerVersion} ready on ${server.origin} (${elapsed()})`);
  browser = await launchBrowser(tools.chromium);

  const total: Counts = { passed: 0, failed: 0 };
  const add = (c: Counts): void => {
    total.passed += c.passed;
    total.failed += c.failed;
  };
  const selectUi = <T extends { name: string }>(tests: T[]): T[] =>
    suiteOnly ? [] : grep ? tests.filter((t) => t.name.includes(grep)) : tests;
  const screenshotsDir = path.join(e2eDir, 'screenshots');
  if (!uiOnly) {
    log(`\nExtension-host suite (Mocha in VS Code's extension host):`);
    add(
      await runExtensionTests({
        browser,
        server,
        extensionPath: repoRoot,
        testsPath,
        folder: fixtureWorkspace,
        timeoutMs: 5 * 60_000,
        browserLog,
        hostLog,
        log,
      }),
    );
  }
  const restrictedUi = selectUi(restrictedUiTests);
  if (!uiOnly || restrictedUi.length) {
    // A second code-server with workspace trust on: the same extension in Restricted Mode.
    restrictedServer = await startCodeServer({
      tools,
      logFile: path.join(artifactsDir, 'code-server-restricted.log'),
      smokeTestDriver: true,
      restricted: true,
    });
    if (!uiOnly) {
      log(`\nExtension-host suite in an untrusted workspace (Restricted Mode, ${restrictedServer.origin}):`);
      add(
        await runExtensionTests({
          browser,
          server: restrictedServer,
          extensionPath: repoRoot,
          testsPath: untrustedSuite.entry,
          folder: restrictedWorkspace,
          timeoutMs: 2 * 60_000,
          browserLog,
          hostLog,
          log,
        }),
      );
    }
    // After the suite: these grant trust, which lasts for this server's life.
    if (restrictedUi.length) {
      log(`\nBrowser UI tests in an untrusted workspace (Restricted Mode):`);
      add(
        await runUiTests({
          browser,
          server: restrictedServer,
          tests: restrictedUi,
          extensionPath: repoRoot,
          folder: restrictedWorkspace,
          screenshotsDir,
          timeoutMs: 90_000,
          browserLog,
          log,
        }),
      );
    }
    await restrictedServer.stop();
    restrictedServer = undefined;
  }
  const ui = selectUi(uiTests);
  if (ui.length) {
    log(`\nBrowser UI tests (Playwright on the workbench page):`);
    add(
      await runUiTests({
        browser,
        server,
        tests: ui,
        extensionPath: repoRoot,
        folder: fixtureWorkspace,
        screenshotsDir,
        timeoutMs: 90_000,
        browserLog,
        log,
      }),
    );
  }
  const flowUi = selectUi(flowUiTests(flowsWorkspace));
  if (flowUi.length) {
    cpSync(playgroundSamples, flowsWorkspace, { recursive: true });
    log(`\nBrowser UI tests on a copy of the playground's workspace (its sample flows):`);
    add(
      await runUiTests({
        browser,
        server,
        tests: flowUi,
        extensionPath: repoRoot,
        folder: flowsWorkspace,
        screenshotsDir,
        timeoutMs: 120_000,
        browserLog,
        log,
      }),
    );
  }
  if (!suiteOnly && (!grep || 'npm start playground'.includes(grep))) {
    log(`\nThe playground (npm start, as a user runs it):`);
    add(await checkPlayground({ browser, screenshotsDir, browserLog, timeoutMs: 4 * 60_000, log }));
  }
  await cleanup();
  finish(total);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void cleanup().then(() => finish({ passed: 0, failed: 1 }, `e2e: interrupted by ${signal}`));
  });
}
process.on('unhandledRejection', (err) => {
  console.error('e2e: unhandled rejection', err);
  void cleanup().then(() => finish({ passed: 0, failed: 1 }));
});
main().catch(async (err: unknown) => {
  console.error(err instanceof ToolInstallError ? `e2e: ${err.message}` : err);
  await cleanup();
  finish({ passed: 0, failed: 1 });
});
