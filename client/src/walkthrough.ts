// The commands behind the Get Started walkthrough's buttons (package.json contributes.walkthroughs,
// media in media/walkthrough/). The sample opens in an untitled editor; settings are written only
// after the user has chosen where and which certificate.
import * as vscode from 'vscode';
import { reasonCodesInText } from './reasonCodeInText';
import { LANGUAGE_ID } from './vipDocuments';

const SAMPLE_FILE = 'media/walkthrough/sample-request.vip.json';
const SAMPLE_NAME = 'get-started.vip.json';
const ENVIRONMENTS = 'vipApi.environments';

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  let sample: vscode.TextDocument | undefined;
  /** The sample this session opened, shown again; a new one if it was closed (or none was opened). */
  async function showSample(): Promise<vscode.TextEditor> {
    if (!sample || sample.isClosed) {
      const text = new TextDecoder().decode(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, SAMPLE_FILE)),
      );
      // Untitled, but named: the tab, Save As and the response file say what it is.
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: SAMPLE_NAME }));
      const edit = new vscode.WorkspaceEdit();
      // The whole text: VS Code may hand back a just-closed untitled document with its old text.
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
      sample = doc.languageId === LANGUAGE_ID ? doc : await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
    }
    // Beside the walkthrough, which stays open for the next steps.
    return vscode.window.showTextDocument(sample, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('vipApi.walkthrough.openSample', showSample),
    vscode.commands.registerCommand('vipApi.walkthrough.showQuickFix', async () => showQuickFix(await showSample())),
    vscode.commands.registerCommand('vipApi.walkthrough.sendSample', async () =>
      vscode.commands.executeCommand('vipApi.send', (await showSample()).document.uri),
    ),
    vscode.commands.registerCommand('vipApi.walkthrough.addEnvironment', () => addEnvironment(context)),
    vscode.commands.registerCommand('vipApi.explainLogLine', explainLogLine),
  );
}

/** Puts the cursor on the sample's first VIP error that has a quick fix, and opens the quick fixes there. */
async function showQuickFix(editor: vscode.TextEditor): Promise<void> {
  const found = await firstFixableError(editor.document.uri, Date.now() + 20_000);
  if (!found) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'VIP: the sample request has no problem left to fix. Change its "Version" to "5.0" to see reason code 4e04 again.',
      ),
    );
    return;
  }
  // Focus again: while the server was being asked, the walkthrough's step media may have taken it,
  // and the quick-fix menu closes as soon as its editor loses focus.
  const shown = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn });
  shown.selection = new vscode.Selection(found.range.start, found.range.start);
  shown.revealRange(found.range);
  await vscode.commands.executeCommand('editor.action.quickFix');
}

/**
 * The first VIP error in `uri` for which the language server offers a quick fix. The diagnostics on
 * hand may be stale (the sample opens empty and is filled in a moment later), so an error without a
 * fix waits for the next diagnostics of `uri`, until `deadline`.
 */
async function firstFixableError(uri: vscode.Uri, deadline: number): Promise<vscode.Diagnostic | undefined> {
  for (;;) {
    const errors = vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.source === 'vip' && d.severity === vscode.DiagnosticSeverity.Error);
    for (const error of errors) {
      const fixes = await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
        'vscode.executeCodeActionProvider',
        uri,
        error.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      if (fixes?.length) return error;
    }
    if (!(await nextDiagnostics(uri, deadline))) return undefined;
  }
}

/** Resolves true when the diagnostics of `uri` change, false at `deadline`. */
function nextDiagnostics(uri: vscode.Uri, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), Math.max(0, deadline - Date.now()));
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) done(true);
    });
    function done(changed: boolean): void {
      clearTimeout(timer);
      listener.dispose();
      resolve(changed);
    }
  });
}

/** `VIP: Explain reason code from log line…`: the selection (or the given text, or a pasted line) → the code's explanation. */
async function explainLogLine(given?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  const text =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('VIP: Explain a reason code from a log'),
          prompt: vscode.l10n.t('Paste a log line with a VIP reason code, or the code itself (e.g. 4e04).'),
          value: selected?.split('\n')[0],
          ignoreFocusOut: true,
        });
  if (!text) return;
  const codes = reasonCodesInText(text);
  if (codes.length === 0) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('VIP: no reason code in that text. Reason codes are four hex digits, such as 4e04 or 49b5.'),
    );
    return;
  }
  const code =
    codes.length === 1
      ? codes[0]
      : await vscode.window.showQuickPick(codes, { title: vscode.l10n.t('VIP: Which reason code?') });
  if (code) await vscode.commands.executeCommand('vipApi.explainReasonCode', code);
}

interface EnvironmentEntry {
  name: string;
  url: string;
  transport?: string;
  pfx?: string;
  cert?: string;
  key?: string;
}

/** The entry of the `vipApi.environments` setting's own example (package.json), with the picked certificate. */
function environmentTemplate(
  context: vscode.ExtensionContext,
  certificate: Pick<EnvironmentEntry, 'pfx' | 'cert' | 'key'>,
): EnvironmentEntry {
  const setting = (
    context.extension.packageJSON as {
      contributes: { configuration: { properties: Record<string, { examples: EnvironmentEntry[][] }> } };
    }
  ).contributes.configuration.properties[ENVIRONMENTS];
  const { pfx: _placeholder, ...example } = setting.examples[0][0];
  return { ...example, ...certificate };
}

/** Asks where the environment goes and for its certificate, writes it, opens the settings there and offers the passphrase. */
async function addEnvironment(context: vscode.ExtensionContext): Promise<void> {
  const targets = [
    {
      label: vscode.l10n.t('User settings'),
      description: vscode.l10n.t('for every workspace'),
      target: vscode.ConfigurationTarget.Global,
      open: 'workbench.action.openSettingsJson',
    },
    ...(vscode.workspace.workspaceFolders?.length
      ? [
          {
            label: vscode.l10n.t('Workspace settings'),
            description: vscode.l10n.t('.vscode/settings.json (no secrets go there)'),
            target: vscode.ConfigurationTarget.Workspace,
            open: 'workbench.action.openWorkspaceSettingsFile',
          },
        ]
      : []),
  ];
  const where = await vscode.window.showQuickPick(targets, {
    title: vscode.l10n.t('VIP: Add environment — where should the setting go?'),
  });
  if (!where) return;
  const certificate = await pickCertificate();
  if (!certificate) return;
  const config = vscode.workspace.getConfiguration();
  const inspected = config.inspect<EnvironmentEntry[]>(ENVIRONMENTS);
  const existing =
    (where.target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue) ?? [];
  const template = environmentTemplate(context, certificate);
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('VIP: Add environment — its name (shown in the status bar)'),
    value: template.name,
    validateInput: (v) =>
      !v.trim()
        ? vscode.l10n.t('A name is needed.')
        : existing.some((e) => e.name === v.trim())
          ? vscode.l10n.t('There is an environment "{0}" already.', v.trim())
          : undefined,
  });
  if (!name) return;
  await config.update(ENVIRONMENTS, [...existing, { ...template, name: name.trim() }], where.target);
  await vscode.commands.executeCommand(where.open, { revealSetting: { key: ENVIRONMENTS } });
  const [setPassphrase, useNow] = [vscode.l10n.t('Set certificate passphrase…'), vscode.l10n.t('Use it now')];
  const added = vscode.l10n.t(
    'VIP: environment "{0}" added. Its certificate\'s passphrase goes to VS Code\'s secret storage.',
    name.trim(),
  );
  void vscode.window.showInformationMessage(added, setPassphrase, useNow).then((pick) => {
    if (pick === setPassphrase) return vscode.commands.executeCommand('vipApi.setPassphrase', name.trim());
    if (pick === useNow) return vscode.commands.executeCommand('vipApi.selectEnvironment', name.trim());
    return undefined;
  });
}

/** The VIP certificate: a PKCS#12 file, or a PEM certificate and then its key. */
async function pickCertificate(): Promise<Pick<EnvironmentEntry, 'pfx' | 'cert' | 'key'> | undefined> {
  const [file] =
    (await vscode.window.showOpenDialog({
      title: vscode.l10n.t('VIP: Add environment — your VIP certificate (PKCS#12 from VIP Manager, or PEM)'),
      openLabel: vscode.l10n.t('Use this certificate'),
      canSelectMany: false,
      filters: { [vscode.l10n.t('VIP certificate')]: ['p12', 'pfx', 'pem', 'crt', 'cer'] },
    })) ?? [];
  if (!file) return undefined;
  if (/\.(p12|pfx)$/i.test(file.fsPath)) return { pfx: file.fsPath };
  const [key] =
    (await vscode.window.showOpenDialog({
      title: vscode.l10n.t('VIP: Add environment — the private key of that certificate (PEM)'),
      openLabel: vscode.l10n.t('Use this key'),
      canSelectMany: false,
      filters: { [vscode.l10n.t('PEM key')]: ['pem', 'key'] },
    })) ?? [];
  return key ? { cert: file.fsPath, key: key.fsPath } : undefined;
}
