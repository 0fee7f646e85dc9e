// Entry point of the bundled language server: `node dist/server.js --stdio`.
// The same bundle also hosts the extension's built-in simulator (`node dist/server.js simulator …`,
// the arguments of `vip-api simulator`): it already holds the engine and schemas the simulator
// needs, so the .vsix carries no separate copy of the CLI.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { isAnalysisWorker, serveAnalysis } from './analysisWorker';
import { startServer } from './server';

/** Set by esbuild.mjs for dist/server.js: the simulator is in server/src/simulator.generated.js. */
declare const __VIP_SIMULATOR_EMBEDDED__: boolean | undefined;

type Simulator = typeof import('../../cli/simulator');

/**
 * The simulator, loaded only in this mode. In dist/server.js it is a separate bundle kept
 * compressed (scripts/embedSimulator.ts): the language server neither parses nor holds its code.
 */
function loadSimulator(): Simulator {
  if (typeof __VIP_SIMULATOR_EMBEDDED__ !== 'undefined' && __VIP_SIMULATOR_EMBEDDED__) {
    const embedded = require('./simulator.generated') as {
      simulator: string;
      shared: Record<string, (() => unknown) | undefined>;
    };
    const code = (require('node:zlib') as typeof import('node:zlib'))
      .brotliDecompressSync(Buffer.from(embedded.simulator, 'base64'))
      .toString();
    const module = { exports: {} as Simulator };
    // The engine and catalog modules it shares with the language server come from this bundle.
    const load = (id: string): unknown => (Object.hasOwn(embedded.shared, id) ? embedded.shared[id]!() : require(id));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- runs our own simulator bundle, embedded at build time, as a CommonJS module
    new Function('exports', 'require', 'module', '__filename', '__dirname', `${code}\n//# sourceURL=vip-simulator.js`)(
      module.exports,
      load,
      module,
      __filename,
      __dirname,
    );
    return module.exports;
  } else {
    return require('../../cli/simulator') as Simulator; // from the sources (tsx)
  }
}

function runLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  // In stdio mode stdout carries the protocol: route console output to the client's log.
  console.log = connection.console.log.bind(connection.console);
  console.info = connection.console.info.bind(connection.console);
  console.warn = connection.console.warn.bind(connection.console);
  console.error = connection.console.error.bind(connection.console);
  console.debug = connection.console.log.bind(connection.console);
  process.on('uncaughtException', (e) =>
    connection.console.error(`Uncaught exception: ${e instanceof Error ? e.stack : String(e)}`),
  );
  process.on('unhandledRejection', (e) =>
    connection.console.error(`Unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`),
  );
  startServer(connection, { workerEntry: __filename });
}

if (isAnalysisWorker()) {
  serveAnalysis(); // the worker thread that analyses large documents (see analysisWorker.ts)
} else if (process.argv[2] === 'simulator') {
  // A bad state file or port is a sentence on stderr and exit code 1, as with `vip-api simulator`.
  void Promise.resolve()
    .then(() => loadSimulator().runSimulator(process.argv.slice(3)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (e: unknown) => {
        process.stderr.write(`vip-api simulator: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      },
    );
} else {
  runLanguageServer();
}
