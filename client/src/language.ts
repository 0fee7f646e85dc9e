// Entry of dist/language.js (loaded right after activation, see bundles.ts): starts the bundled
// language server and registers what needs the language client (language status, New request).
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { openSchema, registerLanguageStatus } from './languageStatus';
import { newRequest } from './newRequest';
import { FLOW_DOCUMENTS, VIP_DOCUMENTS } from './vipDocuments';

export interface LanguageFeatures {
  client: LanguageClient;
  /** Settles when the language server has started (or failed to; then the log says why). */
  ready: Promise<void>;
  newRequest(operation?: string): Promise<vscode.TextEditor | undefined>;
  openSchema(uri?: unknown): Promise<void>;
}

export function startLanguageFeatures(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): LanguageFeatures {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: {
      module: serverModule,
      transport: TransportKind.stdio,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  // Request files on disk (any JSON: files.associations may map other names): flows read them, so
  // their diagnostics follow a save or a change.
  const requestFiles = vscode.workspace.createFileSystemWatcher('**/*.json');
  context.subscriptions.push(requestFiles);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...VIP_DOCUMENTS, ...FLOW_DOCUMENTS],
    outputChannel: log,
    synchronize: { configurationSection: 'vipApi', fileEvents: requestFiles },
  };
  // F5 (ExtensionMode.Development): the server runs with --inspect=6019, for "Attach to Language Server".
  const debugServer = context.extensionMode === vscode.ExtensionMode.Development;
  const client = new LanguageClient('vipApi', 'VIP API Workbench', serverOptions, clientOptions, debugServer);
  registerLanguageStatus(context, client);
  const ready = client.start().then(
    () => log.info(`Language server started (${serverModule}).`),
    (e: unknown) => log.error(`The language server did not start: ${e instanceof Error ? e.message : String(e)}`),
  );
  return {
    client,
    ready,
    newRequest: (operation) => newRequest(client, operation),
    openSchema: (uri) => openSchema(client, uri),
  };
}
