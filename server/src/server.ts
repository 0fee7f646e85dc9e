// The language server: thin LSP wiring over the engine (core/engine).
import {
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { productVersion } from '../../core/version';
import { AnalysisWorker } from './analysisWorker';
import { DocumentCache } from './documentCache';
import { DiagnosticsScheduler } from './handlers/diagnostics';
import { editingCapabilities, registerEditingHandlers, type Guard } from './handlers/editing';
import { hover } from './handlers/hover';
import { SettingsStore } from './settings';

const SERVER_NAME = 'VIP API Workbench language server';

export interface ServerOptions {
  /** The script a worker thread runs to analyse large documents off the main thread (the bundle itself). */
  workerEntry?: string;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new DocumentCache();
  let client: ClientCapabilities | undefined;
  const settings = new SettingsStore(connection, () => !!client?.workspace?.configuration);
  const pullDiagnostics = (): boolean => !!client?.textDocument?.diagnostic;
  const worker = options.workerEntry
    ? new AnalysisWorker(options.workerEntry, (m) => connection.console.error(m))
    : undefined;
  const diagnostics = new DiagnosticsScheduler(
    connection,
    documents,
    cache,
    settings,
    () => !pullDiagnostics(),
    worker,
  );
  let shutDown = false;
  connection.onShutdown(() => {
    shutDown = true;
    worker?.dispose();
  });
  const { safe, guarded } = handlerGuards(connection, () => shutDown);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    client = params.capabilities;
    settings.setInitial(params.initializationOptions);
    return initializeResult(pullDiagnostics());
  });
  connection.onInitialized(() => {
    if (client?.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'vipApi' })
        .catch(() => undefined);
    }
  });
  connection.onDidChangeConfiguration(
    guarded('didChangeConfiguration', undefined, (params) => {
      settings.invalidate(params.settings);
      diagnostics.revalidateAll();
    }),
  );
  // The client watches JSON files: a flow's request file saved, created or deleted on disk.
  connection.onDidChangeWatchedFiles(
    guarded('didChangeWatchedFiles', undefined, () => {
      cache.forgetFlows();
      diagnostics.revalidateFlows();
    }),
  );
  registerDocumentEvents(documents, cache, diagnostics, guarded);
  connection.languages.diagnostics.on(
    safe('diagnostic', { kind: 'full' as const, items: [] }, (params) => diagnostics.pull(params.textDocument.uri)),
  );
  connection.onHover(safe('hover', null, (params) => hover(params, documents, cache)));
  registerEditingHandlers(connection, documents, cache, settings, safe, () => client);

  documents.listen(connection);
  connection.listen();
}

/**
 * `guarded`: an exception in a handler is logged, never fatal (notifications go through it).
 * `safe`: the same for requests, which are also refused after shutdown, as LSP says.
 */
function handlerGuards(connection: Connection, isShutDown: () => boolean): { safe: Guard; guarded: Guard } {
  const guarded: Guard =
    (name, fallback, fn) =>
    async (...args) => {
      try {
        return await fn(...args);
      } catch (e) {
        if (e instanceof ResponseError) throw e; // a deliberate protocol answer, e.g. ServerCancelled
        connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  const safe: Guard =
    (name, fallback, fn) =>
    async (...args) => {
      if (isShutDown())
        throw new ResponseError(ErrorCodes.InvalidRequest, `The server is shutting down: ${name} is not answered.`);
      return guarded(name, fallback, fn)(...args);
    };
  return { safe, guarded };
}

function initializeResult(pullDiagnostics: boolean): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      ...editingCapabilities,
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: SERVER_NAME, version: productVersion() },
  };
}

/** Open, change and close: validation scheduled, the parsed document dropped on close. */
function registerDocumentEvents(
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
  diagnostics: DiagnosticsScheduler,
  guarded: Guard,
): void {
  documents.onDidOpen(guarded('didOpen', undefined, (e) => diagnostics.schedule(e.document.uri, true)));
  documents.onDidChangeContent(guarded('didChange', undefined, (e) => diagnostics.schedule(e.document.uri)));
  documents.onDidClose(
    guarded('didClose', undefined, (e) => {
      cache.delete(e.document.uri);
      diagnostics.close(e.document.uri);
    }),
  );
}
