// `npm start`: the playground. Builds and packages the extension (.vsix), installs it into a fresh
// code-server (VS Code in the browser) on 127.0.0.1, opens a copy of the sample workspace
// (scripts/playground/workspace/) and prints the URL. Ctrl+C stops everything.
//   VIP_PLAYGROUND_PORT=8765   port to use (default 8765, or a free one when it is taken)
// First run: installs Node 24, code-server and Chromium from the npm registry into the per-user
// tool cache (~/.cache/vip-api-workbench/e2e-tools; minutes), shared with the e2e tests.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { startCodeServer, type CodeServer } from '../test/e2e/lib/codeServer';
import { ensureTools, repoRoot } from '../test/e2e/lib/tools';

const samples = path.join(repoRoot, 'scripts/playground/workspace');
const workspace = path.join(repoRoot, '.tools/playground/workspace');
const vsix = path.join(repoRoot, 'vip-api-workbench.vsix');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const tools = await ensureTools();

  console.log('Building and packaging the extension (npm run package)…');
  const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
  if (pkg.status !== 0 || !existsSync(vsix)) throw new Error('npm run package failed');

  // A fresh copy each start, so playing never changes the committed samples.
  rmSync(workspace, { recursive: true, force: true });
  cpSync(samples, workspace, { recursive: true });

  const wanted = Number(process.env['VIP_PLAYGROUND_PORT'] ?? 8765);
  const port = (await portFree(wanted)) ? wanted : undefined;
  console.log(`Starting code-server ${tools.codeServerVersion} with ${path.basename(vsix)} installed…`);
  const server: CodeServer = await startCodeServer({
    tools,
    port,
    logFile: path.join(repoRoot, '.tools/playground/code-server.log'),
    installExtensions: [vsix],
    settings: { 'workbench.startupEditor': 'readme' },
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server…');
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nVIP API Workbench playground: ${url}`);
  console.log(`  workspace: ${path.relative(repoRoot, workspace)} (a fresh copy of scripts/playground/workspace)`);
  console.log(`  log:       ${path.relative(repoRoot, server.logFile)}`);
  console.log('Open the URL in a browser on this machine (or forward the port). Ctrl+C stops it.');
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
