// Entry point of the bundled language server: `node dist/server.js --stdio`.
// The same bundle also hosts the extension's built-in simulator (`node dist/server.js simulator …`,
// the arguments of `vip-api simulator`): it already holds the engine and schemas the simulator
// needs, so the .vsix carries no separate copy of the CLI.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { isAnalysisWorker, serveAnalysis } from './analysisWorker';
import { startServer } from './server';

function runLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  // In stdio mode stdout carries the protocol: route console output to the client's log.
  console.log = connection.console.log.bind(connection.console);
  console.info = connection.console.info.bind(connection.console);
  console.warn = connection.console.warn.bind(connection.console);
  console.error = connection.console.error.bind(connection.console);
  console.debug = connection.console.log.bind(connection.console);
  process.on('uncaughtException', (e) => connection.console.error(`Uncaught exception: ${e instanceof Error ? e.stack : String(e)}`));
  process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));
  startServer(connection, { workerEntry: __filename });
}

if (isAnalysisWorker()) {
  serveAnalysis(); // the worker thread that analyses large documents (see analysisWorker.ts)
} else if (process.argv[2] === 'simulator') {
  // Loaded only in this mode: the language server does not pay for it at start-up.
  const { runSimulator } = require('../../cli/simulator') as typeof import('../../cli/simulator');
  void runSimulator(process.argv.slice(3)).then((code) => {
    process.exitCode = code;
  });
} else {
  runLanguageServer();
}
