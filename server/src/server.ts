// The language server: thin LSP wiring over the engine (core/engine).
import {
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { productVersion } from '../../core/version';
import { AnalysisWorker } from './analysisWorker';
import { DocumentCache } from './documentCache';
import { DiagnosticsScheduler } from './handlers/diagnostics';
import { editingCapabilities, registerEditingHandlers } from './handlers/editing';
import { hover } from './handlers/hover';
import { SettingsStore } from './settings';

export const SERVER_NAME = 'VIP API Workbench language server';

export interface ServerOptions {
  /** The script a worker thread runs to analyse large documents off the main thread (the bundle itself). */
  workerEntry?: string;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new DocumentCache();
  let canPullConfiguration = false;
  let canRegisterConfiguration = false;
  let pullDiagnostics = false;
  let clientCapabilities: InitializeParams['capabilities'] | undefined;
  const settings = new SettingsStore(connection, () => canPullConfiguration);
  const worker = options.workerEntry ? new AnalysisWorker(options.workerEntry, (m) => connection.console.error(m)) : undefined;
  const diagnostics = new DiagnosticsScheduler(connection, documents, cache, settings, () => !pullDiagnostics, worker);
  let shutDown = false;
  connection.onShutdown(() => {
    shutDown = true;
    worker?.dispose();
  });

  /** Every request handler goes through here: refused after shutdown (as LSP says); an exception is logged, never fatal. */
  function safe<P extends unknown[], R>(name: string, fallback: R, fn: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
    return async (...args: P) => {
      if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `The server is shutting down: ${name} is not answered.`);
      return guarded(name, fallback, fn)(...args);
    };
  }

  /** Notification handlers go through here directly: an exception is logged, never fatal. */
  function guarded<P extends unknown[], R>(name: string, fallback: R, fn: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
    return async (...args: P) => {
      try {
        return await fn(...args);
      } catch (e) {
        if (e instanceof ResponseError) throw e; // a deliberate protocol answer, e.g. ServerCancelled
        connection.console.error(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return fallback;
      }
    };
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    clientCapabilities = caps;
    canPullConfiguration = !!caps.workspace?.configuration;
    canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    settings.setInitial(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        ...editingCapabilities,
        ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: SERVER_NAME, version: productVersion() },
    };
  });

  connection.onInitialized(() => {
    if (canRegisterConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'vipApi' }).catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration(
    guarded('didChangeConfiguration', undefined, (params) => {
      settings.invalidate(params.settings);
      diagnostics.revalidateAll();
    }),
  );

  documents.onDidOpen(guarded('didOpen', undefined, (e) => diagnostics.schedule(e.document.uri, true)));
  documents.onDidChangeContent(guarded('didChange', undefined, (e) => diagnostics.schedule(e.document.uri)));
  documents.onDidClose(
    guarded('didClose', undefined, (e) => {
      cache.delete(e.document.uri);
      diagnostics.close(e.document.uri);
    }),
  );

  connection.languages.diagnostics.on(
    safe('diagnostic', { kind: 'full' as const, items: [] }, (params) => diagnostics.pull(params.textDocument.uri)),
  );
  connection.onHover(safe('hover', null, (params) => hover(params, documents, cache)));
  registerEditingHandlers(connection, documents, cache, settings, safe, () => clientCapabilities);

  documents.listen(connection);
  connection.listen();
}
