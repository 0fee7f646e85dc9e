// Entry point of the bundled language server: `node dist/server.js --stdio`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// In stdio mode stdout carries the protocol: route console output to the client's log.
console.log = connection.console.log.bind(connection.console);
console.info = connection.console.info.bind(connection.console);
console.warn = connection.console.warn.bind(connection.console);
console.error = connection.console.error.bind(connection.console);
console.debug = connection.console.log.bind(connection.console);
process.on('uncaughtException', (e) => connection.console.error(`Uncaught exception: ${e instanceof Error ? e.stack : String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));

startServer(connection);
