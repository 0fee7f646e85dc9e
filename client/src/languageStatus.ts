// Language status item for vip-json documents: which operation and schema apply (or "unknown
// operation"), with a command that opens the schema. The server answers vip/documentInfo.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { DocumentInfoRequest, type DocumentInfo } from '../../server/src/protocol';
import { LANGUAGE_ID } from './vipDocuments';

/** Wait for a pause in typing before asking the server again. */
const UPDATE_DELAY_MS = 300;

export function registerLanguageStatus(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.languages.createLanguageStatusItem('vipApi.operation', { language: LANGUAGE_ID });
  item.name = vscode.l10n.t('VIP operation');
  item.text = 'VIP';
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;

  const documentInfo = (uri: vscode.Uri) => documentInfoOf(client, uri);

  const update = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== LANGUAGE_ID) return;
    const mine = ++generation;
    const info = await documentInfo(editor.document.uri).catch(() => null);
    if (mine !== generation) return; // a newer update is under way
    show(item, info);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), UPDATE_DELAY_MS);
  };

  context.subscriptions.push(
    item,
    { dispose: () => clearTimeout(timer) },
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) schedule();
    }),
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) void update();
    }),
  );
}

async function documentInfoOf(client: LanguageClient, uri: vscode.Uri): Promise<DocumentInfo | null> {
  return client.isRunning()
    ? client.sendRequest(DocumentInfoRequest.type, { uri: client.code2ProtocolConverter.asUri(uri) })
    : null;
}

/** `VIP: Open schema`: the given schema, else the one of the active vip-json document. */
export async function openSchema(client: LanguageClient, uri?: unknown): Promise<void> {
  let target = typeof uri === 'string' ? uri : undefined;
  const active = vscode.window.activeTextEditor?.document;
  if (!target && active?.languageId === LANGUAGE_ID)
    target = (await documentInfoOf(client, active.uri).catch(() => null))?.schemaUri;
  if (!target) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('VIP: no schema applies here: the document names no known operation.'),
    );
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.parse(target), {
    preview: true,
    viewColumn: vscode.ViewColumn.Beside,
  });
}

function show(item: vscode.LanguageStatusItem, info: DocumentInfo | null): void {
  if (!info) {
    // The server does not know the document (yet), or is not running.
    item.severity = vscode.LanguageStatusSeverity.Information;
    item.text = 'VIP';
    item.detail = undefined;
    item.command = undefined;
  } else if (info.operation && info.kind) {
    item.severity = vscode.LanguageStatusSeverity.Information;
    item.text = `VIP ${info.operation} ${info.kind}`;
    item.detail = `schema ${info.schemaFile}`;
    item.command = info.schemaUri
      ? {
          title: vscode.l10n.t('Open schema'),
          command: 'vipApi.openSchema',
          arguments: [info.schemaUri],
          tooltip: info.summary,
        }
      : undefined;
  } else {
    item.severity = vscode.LanguageStatusSeverity.Warning;
    item.text = vscode.l10n.t('VIP: unknown operation');
    item.detail = info.key
      ? vscode.l10n.t('"{0}" is not <Operation>Request or <Operation>Response', info.key)
      : vscode.l10n.t('no operation key');
    item.command = {
      title: vscode.l10n.t('New request…'),
      command: 'vipApi.newRequest',
      tooltip: vscode.l10n.t('Start a new request from a skeleton'),
    };
  }
}
