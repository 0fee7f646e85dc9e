// The VS Code extension: a thin adapter that starts the bundled language server.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerEditingFeatures } from './newRequest';
import { registerSendFeatures } from './send';

export const LANGUAGE_ID = 'vip-json';
let client: LanguageClient | undefined;

/** What `activate` returns (the extension's API, used by the tests). */
export interface ExtensionApi {
  client: LanguageClient;
  /** Settles when the language server has started (or failed to; then the log says why). */
  ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('VIP API Workbench', { log: true });
  context.subscriptions.push(log);
  registerSendFeatures(context, log);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // A scheme is required: without one, editors such as the chat input would get diagnostics too.
    documentSelector: [
      { language: LANGUAGE_ID, scheme: 'file' },
      { language: LANGUAGE_ID, scheme: 'untitled' },
    ],
    outputChannel: log,
    synchronize: { configurationSection: 'vipApi' },
  };
  client = new LanguageClient('vipApi', 'VIP API Workbench', serverOptions, clientOptions);
  registerEditingFeatures(context, client);

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(applyExtraFileGlobs),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('vipApi.files')) vscode.workspace.textDocuments.forEach(applyExtraFileGlobs);
    }),
  );
  vscode.workspace.textDocuments.forEach(applyExtraFileGlobs);

  // Activation does not wait for the server process: VS Code stays responsive, and requests wait
  // for the client to be running anyway.
  const ready = client.start().then(
    () => log.info(`Language server started (${serverModule}).`),
    (e: unknown) => log.error(`The language server did not start: ${e instanceof Error ? e.message : String(e)}`),
  );
  return { client, ready };
}

/** `vipApi.files`: extra globs whose JSON files are VIP documents. */
function applyExtraFileGlobs(doc: vscode.TextDocument): void {
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return;
  const globs = vscode.workspace.getConfiguration('vipApi', doc.uri).get<string[]>('files', []);
  if (globs.some((pattern) => typeof pattern === 'string' && vscode.languages.match({ pattern }, doc) > 0)) {
    void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
