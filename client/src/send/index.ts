// VS Code side of sending, the part loaded at activation: the environment (status bar, picker,
// passphrases in SecretStorage) and the Send request CodeLens. The commands that send, and
// everything they need (TLS, SOAP, XML, history), load from dist/send.js on first use (./actions).
import * as os from 'node:os';
import * as vscode from 'vscode';
import { operationForKey } from '../../../core/data/operations';
import { topLevelKey } from '../../../core/engine/topKey';
import type { Environment } from '../../../core/transport/environment';
import { sendBundle } from '../bundles';
import type { SendActions } from './actions';
import {
  SIMULATOR,
  isSimulator,
  passphraseKey,
  pickEnvironment,
  readEnvironments,
  transportLabel,
} from './environments';

import { VIP_DOCUMENTS } from '../vipDocuments';
const CURRENT_ENV_KEY = 'vipApi.currentEnvironment';

export function registerSendFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const lensesChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(lensesChanged);
  const envs = createEnvironments(context, log);
  const updateStatus = createStatusItem(context, envs, () => lensesChanged.fire());
  const config = () => vscode.workspace.getConfiguration('vipApi');

  let loaded: SendActions | undefined;
  /** The send actions, loading dist/send.js the first time. */
  function actions(): SendActions {
    loaded ??= sendBundle().createSendActions({ context, log, config, currentEnvironment: envs.current });
    return loaded;
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('vipApi.send', (arg?: unknown) => actions().send(arg)),
    vscode.commands.registerCommand('vipApi.selectEnvironment', (name?: unknown) =>
      selectEnvironment(context, envs, updateStatus, name),
    ),
    vscode.commands.registerCommand('vipApi.setPassphrase', (name?: unknown, given?: unknown) =>
      setPassphrase(context, log, envs, name, given),
    ),
    vscode.commands.registerCommand('vipApi.cancelSend', () => {
      const cancelled = loaded?.cancelAll() ?? 0;
      if (cancelled === 0) void vscode.window.showInformationMessage(vscode.l10n.t('No VIP request is being sent.'));
      return cancelled;
    }),
    vscode.commands.registerCommand('vipApi.showHistory', () => actions().showHistory()),
    vscode.commands.registerCommand('vipApi.clearHistory', () => actions().clearHistory()),
    vscode.commands.registerCommand('vipApi.copyAsCurl', (arg?: unknown) => actions().copyAsCurl(arg)),
    vscode.commands.registerCommand('vipApi.showSoapEnvelope', (arg?: unknown) => actions().showSoapEnvelope(arg)),
    vscode.commands.registerCommand('vipApi.explainReasonCode', (code?: unknown, message?: unknown) =>
      actions().explainReasonCode(code, message),
    ),
    vscode.languages.registerCodeLensProvider(VIP_DOCUMENTS, sendLenses(envs, lensesChanged.event)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('vipApi.environments')) updateStatus();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => updateStatus()),
  );
  const initial = updateStatus();
  log.info(
    `Send: environment "${initial.name}"${initial.name === SIMULATOR ? ' (built-in simulator, started on first send)' : ''}.`,
  );
}

/** The environments from settings and the current one (its name in the workspace state). */
interface Environments {
  list(folder?: vscode.WorkspaceFolder): Environment[];
  current: (folder?: vscode.WorkspaceFolder) => Environment;
}

function createEnvironments(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Environments {
  // The setting is read on every status update and CodeLens: say each problem with it once, not each time.
  let problemsSaid = '';
  function list(folder?: vscode.WorkspaceFolder): Environment[] {
    // The folder's own settings count (the setting's scope is resource: multi-root workspaces).
    const settings = vscode.workspace.getConfiguration('vipApi', folder?.uri);
    // In an untrusted workspace only the user's own environments count.
    const raw = vscode.workspace.isTrusted
      ? settings.get<unknown>('environments')
      : settings.inspect<unknown>('environments')?.globalValue;
    const base = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
    const { environments, problems } = readEnvironments(raw, { baseDir: base });
    const key = problems.join('\n');
    if (key !== problemsSaid) {
      problemsSaid = key;
      for (const p of problems) log.warn(p);
    }
    return environments;
  }
  return {
    list,
    current: (folder) => pickEnvironment(list(folder), context.workspaceState.get<string>(CURRENT_ENV_KEY)),
  };
}

/** The status bar item naming the current environment (a warning colour when verification is off); returns its update. */
function createStatusItem(
  context: vscode.ExtensionContext,
  envs: Environments,
  changed: () => void,
): () => Environment {
  const status = vscode.window.createStatusBarItem('vipApi.environment', vscode.StatusBarAlignment.Left, 50);
  status.name = vscode.l10n.t('VIP environment');
  status.command = 'vipApi.selectEnvironment';
  context.subscriptions.push(status);
  return () => {
    const env = envs.current();
    status.text = `$(plug) VIP: ${env.name} · ${transportLabel(env)}`;
    const insecure = env.rejectUnauthorized === false;
    const where = isSimulator(env) ? vscode.l10n.t('the built-in simulator (127.0.0.1)') : env.url;
    const how =
      env.transport === 'soap'
        ? vscode.l10n.t('VIP requests go to {0} as SOAP envelopes (to …/mgmt|val|prov/soap).', where)
        : vscode.l10n.t('VIP requests go to {0} as REST JSON.', where);
    const warning = insecure
      ? `\n${vscode.l10n.t('Server certificate verification is OFF for this environment.')}`
      : '';
    status.tooltip = `${how}${warning}\n${vscode.l10n.t('Click to switch.')}`;
    status.backgroundColor = insecure ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
    changed();
    return env;
  };
}

/** `VIP: Select environment`; scripts and keybindings may pass the environment's name. */
async function selectEnvironment(
  context: vscode.ExtensionContext,
  envs: Environments,
  updateStatus: () => Environment,
  name?: unknown,
): Promise<void> {
  if (typeof name === 'string') {
    if (!envs.list().some((e) => e.name === name))
      throw new Error(vscode.l10n.t('No VIP environment named "{0}".', name));
    await context.workspaceState.update(CURRENT_ENV_KEY, name);
    updateStatus();
    return;
  }
  const current = envs.current().name;
  const items = envs.list().map((e) => ({
    label: e.name,
    description: `${transportLabel(e)} · ${isSimulator(e) ? vscode.l10n.t('built-in simulator on 127.0.0.1') : e.url}`,
    detail:
      [
        e.pfx ? `PKCS#12 ${e.pfx}` : e.cert ? `PEM ${e.cert}` : undefined,
        e.rejectUnauthorized === false ? `⚠ ${vscode.l10n.t('server certificate not verified')}` : undefined,
      ]
        .filter(Boolean)
        .join(' · ') || undefined,
    picked: e.name === current,
  }));
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('VIP: Select environment'),
    placeHolder: vscode.l10n.t('Current: {0}. Add environments in the setting vipApi.environments.', current),
  });
  if (!pick) return;
  await context.workspaceState.update(CURRENT_ENV_KEY, pick.label);
  updateStatus();
}

/** `VIP: Set certificate passphrase…`; scripts may pass (environment name, passphrase). */
async function setPassphrase(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  envs: Environments,
  name?: unknown,
  given?: unknown,
): Promise<void> {
  const list = envs.list().filter((e) => !isSimulator(e));
  if (!list.length) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No environment with a certificate: add one to the setting vipApi.environments first.'),
    );
    return;
  }
  const envName =
    typeof name === 'string'
      ? name
      : await vscode.window.showQuickPick(
          list.map((e) => e.name),
          { title: vscode.l10n.t('Set the certificate passphrase of which environment?') },
        );
  if (!envName) return;
  const value =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Passphrase for the certificate of "{0}"', envName),
          prompt: vscode.l10n.t('Stored in VS Code SecretStorage. Leave empty to remove it.'),
          password: true,
          ignoreFocusOut: true,
        });
  if (value === undefined) return;
  if (value === '') await context.secrets.delete(passphraseKey(envName));
  else await context.secrets.store(passphraseKey(envName), value);
  log.info(`Passphrase for environment "${envName}" ${value === '' ? 'removed' : 'stored in SecretStorage'}.`);
}

/** The `Send request ▸ <environment>` CodeLens on a request's operation key (trusted workspaces only). */
function sendLenses(envs: Environments, changed: vscode.Event<void>): vscode.CodeLensProvider {
  return {
    onDidChangeCodeLenses: changed,
    provideCodeLenses(doc) {
      if (!vscode.workspace.isTrusted) return [];
      // Only the first key matters here: the language server parses and validates the whole text.
      const top = topLevelKey(doc.getText());
      if (!top || operationForKey(top.key)?.kind !== 'request') return [];
      const { span } = top;
      const range = new vscode.Range(doc.positionAt(span.offset), doc.positionAt(span.offset + span.length));
      return [
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('Send request ▸ {0}', envs.current(vscode.workspace.getWorkspaceFolder(doc.uri)).name),
          command: 'vipApi.send',
          arguments: [doc.uri],
        }),
      ];
    },
  };
}
