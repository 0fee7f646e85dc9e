// Entry of dist/send.js, loaded on the first command that needs it (see ../bundles.ts): Send
// request, Copy as cURL, Show SOAP envelope, history, Explain, and the simulator they start. The
// logic lives in core/transport and the pure modules next to this file; this file wires them to
// the VS Code API. The flows' Test Explorer (../flows/controller) travels in the same bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { redactText } from '../../../core/redact';
import {
  AgentPool,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  TransportError,
  buildRequest,
  send,
  toCurl,
  type Environment,
  type PreparedRequest,
  type SendResult,
} from '../../../core/transport';
import { envelopeDocumentText, soapPreview } from '../../../core/transport/soapPreview';
import { isSimulator, needsPassphrase, transportLabel } from './environments';
import { HistoryStore, type HistoryEntry } from './history';
import { passphraseFor, readSafe } from './passphrase';
import { explainText, isTokenStateError, responseFileName, statusLine, tokenInformationRequest } from './present';
import { SimulatorHost } from './simulatorHost';
import { callsBuiltInSimulator, configuredEnvironment, resolveTarget } from './target';
import { LANGUAGE_ID } from '../vipDocuments';

/** What `vipApi.send` resolves to. */
export type SendOutcome =
  | { ok: true; reasonCode: string; statusLine: string; environment: string; responseUri: string; totalMs: number }
  | { ok: false; kind: string; message: string };

/** What `vipApi.showSoapEnvelope` resolves to: the exact body and URL shown. */
export type SoapEnvelopeOutcome =
  | { ok: true; uri: string; url: string; envelope: string; environment: string; transport: 'REST' | 'SOAP' }
  | { ok: false; message: string };

/** What the activation bundle (./index.ts) lends the actions: settings and the current environment. */
export interface SendHost {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  // Function-valued properties, not methods: they are passed around detached from the host.
  config: () => vscode.WorkspaceConfiguration;
  currentEnvironment: (folder?: vscode.WorkspaceFolder) => Environment;
}

export interface SendActions {
  send(arg?: unknown): Promise<SendOutcome>;
  copyAsCurl(arg?: unknown): Promise<void>;
  showSoapEnvelope(arg?: unknown): Promise<SoapEnvelopeOutcome>;
  showHistory(): Promise<void>;
  clearHistory(): void;
  /** `VIP: Explain reason code…`: the catalog's explanation of `code` (asked for when not given). */
  explainReasonCode(code?: unknown, message?: unknown): Promise<void>;
  /** Aborts every send under way; returns how many there were. */
  cancelAll(): number;
}

export function createSendActions(host: SendHost): SendActions {
  const ctx = createContext(host);
  return {
    send: (arg) => sendRequest(ctx, arg),
    copyAsCurl: (arg) => copyAsCurl(ctx, arg),
    showSoapEnvelope: (arg) => showSoapEnvelope(ctx, arg),
    showHistory: () => showHistory(ctx),
    clearHistory: () => {
      ctx.history.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('VIP send history cleared.'));
    },
    explainReasonCode,
    cancelAll: () => {
      const count = ctx.inFlight.size;
      for (const controller of ctx.inFlight) controller.abort();
      return count;
    },
  };
}

/** What every action shares: the host's settings, the connection pool, the simulator, the history. */
interface SendContext extends SendHost {
  agents: AgentPool;
  simulator: SimulatorHost;
  history: HistoryStore;
  responsesDir: string;
  /** The sends under way: Cancel in their progress notification or `VIP: Cancel request` aborts them. */
  inFlight: Set<AbortController>;
}

function createContext(host: SendHost): SendContext {
  const { context, log, config } = host;
  const ctx: SendContext = {
    ...host,
    agents: new AgentPool(),
    simulator: new SimulatorHost(context.asAbsolutePath('dist/server.js'), (line) => log.debug(`simulator: ${line}`)),
    history: new HistoryStore(path.join(context.globalStorageUri.fsPath, 'history.json'), () =>
      config().get<number>('historySize', 50),
    ),
    responsesDir: path.join(context.globalStorageUri.fsPath, 'responses'),
    inFlight: new Set(),
  };
  context.subscriptions.push(
    { dispose: () => ctx.agents.destroy() },
    { dispose: () => void ctx.simulator.close() },
    // New TLS settings: drop the pooled connections made with the old ones.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('vipApi.environments')) ctx.agents.destroy();
    }),
  );
  return ctx;
}

/** How the shared preparation step (./target.ts) reaches settings and the simulator. */
function targetHost(ctx: SendContext) {
  return {
    folderOf: (uri: vscode.Uri) => vscode.workspace.getWorkspaceFolder(uri),
    currentEnvironment: ctx.currentEnvironment,
    concrete: (env: Environment) => concrete(ctx, env),
    autoRequestId: () => ctx.config().get<boolean>('autoRequestId', true),
  };
}

/** The environment with a concrete URL (starting the simulator when it is the Simulator). */
async function concrete(ctx: SendContext, env: Environment): Promise<Environment> {
  if (!isSimulator(env)) return env;
  // Nothing starts in an untrusted workspace, not even the local simulator (Copy as cURL, Show SOAP envelope).
  if (!vscode.workspace.isTrusted)
    throw new TransportError(
      'usage',
      vscode.l10n.t(
        'The built-in simulator does not start in an untrusted workspace. Trust the workspace (Manage Workspace Trust) to use it.',
      ),
    );
  const wasRunning = ctx.simulator.currentUrl !== undefined;
  let url: string;
  try {
    url = await ctx.simulator.url();
  } catch (e) {
    throw new TransportError(
      'usage',
      vscode.l10n.t(
        'The built-in simulator could not start on 127.0.0.1: {0}. Choose another environment (VIP: Select environment).',
        e instanceof Error ? e.message : String(e),
      ),
    );
  }
  if (!wasRunning) ctx.log.info(`Built-in simulator started at ${url} (environment "${env.name}").`);
  return { ...env, url: env.transport === 'soap' ? url : `${url}/{operation}` };
}

async function requestDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri)
    return (
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString()) ??
      vscode.workspace.openTextDocument(arg)
    );
  return vscode.window.activeTextEditor?.document;
}

async function openResponse(
  ctx: SendContext,
  requestDoc: vscode.TextDocument,
  text: string,
): Promise<vscode.TextEditor> {
  const reuse = ctx.config().get<boolean>('response.reuseTab', true);
  const file = path.join(ctx.responsesDir, responseFileName(requestDoc.uri.path, reuse));
  fs.mkdirSync(ctx.responsesDir, { recursive: true });
  const uri = vscode.Uri.file(file);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, open.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
    await open.save();
  } else fs.writeFileSync(file, text);
  const doc = open ?? (await vscode.workspace.openTextDocument(uri));
  if (doc.languageId !== LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  return vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
    preview: false,
  });
}

async function openUntitled(content: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

async function explain(code: string, message: string): Promise<void> {
  await vscode.window.showInformationMessage(vscode.l10n.t('VIP reason code {0}', code), {
    modal: true,
    detail: explainText(code, message),
  });
}

async function explainReasonCode(code?: unknown, message?: unknown): Promise<void> {
  const given =
    typeof code === 'string'
      ? code
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('VIP: Explain reason code'),
          prompt: vscode.l10n.t('A VIP reason code from a response or a log, e.g. 4e04'),
          placeHolder: '4e04',
          validateInput: (v) =>
            /^\s*[0-9a-fA-F]{4}\s*$/.test(v) ? undefined : vscode.l10n.t('Four hexadecimal digits, e.g. 4e04 or 0000.'),
        });
  if (given === undefined) return;
  await explain(given.trim().toLowerCase(), typeof message === 'string' ? message : '');
}

/**
 * `VIP: Send request`. Resolves (without waiting for the user to dismiss any message) to what
 * happened, so that tests and other commands can use it.
 */
async function sendRequest(ctx: SendContext, arg?: unknown): Promise<SendOutcome> {
  const refused = refuseUntrusted();
  if (refused) return refused;
  const doc = await requestDocument(arg);
  if (!doc) {
    const msg = vscode.l10n.t('Open a VIP request file (*.vip.json) to send it.');
    void vscode.window.showWarningMessage(msg);
    return { ok: false, kind: 'usage', message: msg };
  }
  if (!(await confirmErrors(doc)))
    return { ok: false, kind: 'declined', message: vscode.l10n.t('Not sent: the request has errors.') };
  const configured = configuredEnvironment(targetHost(ctx), doc.uri);
  const attempt: { env: Environment; request?: PreparedRequest } = { env: configured };
  try {
    const target = await resolveTarget(targetHost(ctx), doc.uri, configured);
    attempt.env = target.env;
    const request = (attempt.request = buildRequest(doc.getText(), target.env, target.options));
    const passphrase = await passphraseFor(ctx.context.secrets, target.env, true);
    const result = await transmit(ctx, request, target.env, passphrase);
    return await presentResult(ctx, doc, request, target.env, result);
  } catch (caught) {
    return reportFailure(ctx, doc, attempt, caught);
  }
}

function refuseUntrusted(): SendOutcome | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  const msg = vscode.l10n.t(
    'Sending VIP requests is off in an untrusted workspace (its settings could point your certificate at any server).',
  );
  void vscode.window
    .showWarningMessage(msg, vscode.l10n.t('Manage Workspace Trust'))
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return { ok: false, kind: 'untrusted', message: msg };
}

/** True when the request has no errors, or the user chose to send it anyway. */
async function confirmErrors(doc: vscode.TextDocument): Promise<boolean> {
  const errors = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  if (!errors.length) return true;
  const sendAnyway = vscode.l10n.t('Send anyway');
  const go = await vscode.window.showWarningMessage(
    vscode.l10n.t('This request has {0} error(s). Send anyway?', errors.length),
    { modal: true },
    sendAnyway,
  );
  return go === sendAnyway;
}

/** The send itself, under a cancellable progress notification. */
function transmit(
  ctx: SendContext,
  request: PreparedRequest,
  env: Environment,
  passphrase: string | undefined,
): Thenable<SendResult> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('VIP: sending {0} to {1}…', request.operation.name, env.name),
      cancellable: true,
    },
    (_progress, token) => {
      const controller = new AbortController();
      ctx.inFlight.add(controller);
      token.onCancellationRequested(() => controller.abort());
      return send(request, env, {
        passphrase,
        signal: controller.signal,
        agents: ctx.agents,
        timeoutMs: env.timeoutMs ?? ctx.config().get<number>('timeoutMs', DEFAULT_TIMEOUT_MS),
        maxResponseBytes: ctx.config().get<number>('maxResponseBytes', DEFAULT_MAX_RESPONSE_BYTES),
        spillDir: ctx.responsesDir,
        log: (line) => ctx.log.info(line),
      }).finally(() => ctx.inFlight.delete(controller));
    },
  );
}

/** The response beside the request, the history entry, and the status line with its buttons. */
async function presentResult(
  ctx: SendContext,
  doc: vscode.TextDocument,
  request: PreparedRequest,
  env: Environment,
  result: SendResult,
): Promise<SendOutcome> {
  const responseEditor = await openResponse(ctx, doc, JSON.stringify(result.json, null, 2) + '\n');
  ctx.history.add({
    time: new Date().toISOString(),
    environment: env.name,
    operation: request.operation.name,
    url: result.url,
    source: doc.uri.toString(),
    request: request.value,
    response: result.json,
    reasonCode: result.reasonCode,
    statusMessage: result.statusMessage,
    totalMs: result.timings.total,
  });
  const line = statusLine(result) + (result.insecure ? ` · ⚠ ${vscode.l10n.t('server certificate not verified')}` : '');
  vscode.window.setStatusBarMessage(`VIP: ${line}`, 15_000);
  const [explainLabel, checkState] = [vscode.l10n.t('Explain'), vscode.l10n.t('Check token state')];
  const buttons = [explainLabel, ...(isTokenStateError(result.reasonCode) ? [checkState] : [])];
  const shown = result.success
    ? vscode.window.showInformationMessage(line, ...buttons)
    : vscode.window.showWarningMessage(line, ...buttons);
  void shown.then(async (pick) => {
    if (pick === explainLabel) await explain(result.reasonCode, result.statusMessage);
    if (pick === checkState) {
      const next = tokenInformationRequest(request.value);
      if (next) await openUntitled(next);
    }
  });
  return {
    ok: true,
    reasonCode: result.reasonCode,
    statusLine: line,
    environment: env.name,
    responseUri: responseEditor.document.uri.toString(),
    totalMs: result.timings.total,
  };
}

/** A failed send: kept in the history, and an error message with the buttons that help next. */
function reportFailure(
  ctx: SendContext,
  doc: vscode.TextDocument,
  attempt: { env: Environment; request?: PreparedRequest },
  caught: unknown,
): SendOutcome {
  const { env, request } = attempt;
  const e =
    caught instanceof TransportError
      ? caught
      : new TransportError(
          'network',
          vscode.l10n.t(
            'Unexpected failure: {0}',
            redactText(caught instanceof Error ? caught.message : String(caught)),
          ),
        );
  if (!(caught instanceof TransportError))
    ctx.log.error(
      `Send failed unexpectedly: ${redactText(caught instanceof Error ? (caught.stack ?? caught.message) : String(caught))}`,
    );
  ctx.history.add({
    time: new Date().toISOString(),
    environment: env.name,
    operation: request?.operation.name ?? '?',
    url: request?.url.href ?? env.url,
    source: doc.uri.toString(),
    request: request?.value ?? doc.getText(),
    error: e.message,
  });
  if (e.kind === 'cancelled') {
    vscode.window.setStatusBarMessage(vscode.l10n.t('VIP: request cancelled'), 5000);
    return { ok: false, kind: e.kind, message: e.message };
  }
  const label = {
    passphrase: vscode.l10n.t('Set certificate passphrase…'),
    saved: vscode.l10n.t('Open saved response'),
    envelope: vscode.l10n.t('Show SOAP envelope'),
    log: vscode.l10n.t('Show log'),
  };
  const buttons: string[] = [];
  if (e.kind === 'tls-material' && /passphrase/i.test(e.message)) buttons.push(label.passphrase);
  if (e.details.savedTo) buttons.push(label.saved);
  // A Fault means the service could not read the envelope: seeing it is the next step.
  if (e.kind === 'soap-fault' || (request?.transport === 'soap' && e.kind === 'not-vip')) buttons.push(label.envelope);
  buttons.push(label.log);
  const savedTo = e.details.savedTo;
  void vscode.window.showErrorMessage(`VIP: ${e.message}`, ...buttons).then(async (pick) => {
    if (pick === label.passphrase) await vscode.commands.executeCommand('vipApi.setPassphrase', env.name);
    if (pick === label.saved && savedTo) await vscode.window.showTextDocument(vscode.Uri.file(savedTo));
    if (pick === label.envelope) await vscode.commands.executeCommand('vipApi.showSoapEnvelope', doc.uri);
    if (pick === label.log) ctx.log.show(true);
  });
  return { ok: false, kind: e.kind, message: e.message };
}

async function showHistory(ctx: SendContext): Promise<void> {
  const entries = ctx.history.list();
  if (!entries.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The VIP send history is empty.'));
    return;
  }
  const pick = await vscode.window.showQuickPick(
    entries.map((h) => ({
      label: `${h.reasonCode ?? '$(error)'} ${h.operation}`,
      description: [
        h.environment,
        new Date(h.time).toLocaleString(),
        ...(h.totalMs !== undefined ? [vscode.l10n.t('{0} ms', Math.round(h.totalMs))] : []),
      ].join(' · '),
      detail: h.error ?? h.statusMessage,
      entry: h,
    })),
    { title: vscode.l10n.t('VIP: History (secrets redacted)'), matchOnDescription: true, matchOnDetail: true },
  );
  if (!pick) return;
  await reopen(pick.entry);
}

async function reopen(h: HistoryEntry): Promise<void> {
  const [openRequest, openResponse] = [vscode.l10n.t('Open request'), vscode.l10n.t('Open response')];
  const choice = await vscode.window.showQuickPick([openRequest, ...(h.response ? [openResponse] : [])], {
    title: `${h.operation} · ${h.environment}`,
  });
  if (choice === openRequest) await openUntitled(formatRequest(h.request));
  if (choice === openResponse && h.response) await openUntitled(h.response);
}

async function copyAsCurl(ctx: SendContext, arg?: unknown): Promise<void> {
  const doc = await requestDocument(arg);
  if (!doc) return void vscode.window.showWarningMessage(vscode.l10n.t('Open a VIP request file to copy it as cURL.'));
  try {
    const target = await resolveTarget(targetHost(ctx), doc.uri);
    const request = buildRequest(doc.getText(), target.env, target.options);
    const needs = needsPassphrase(target.env, (f) => readSafe(f));
    await vscode.env.clipboard.writeText(toCurl(request, target.env, { needsPassphrase: needs }));
    const note = [
      vscode.l10n.t('cURL command for "{0}" copied.', target.configured.name),
      ...(needs ? [vscode.l10n.t('Set VIP_CERT_PASSPHRASE in your shell first.')] : []),
      ...(callsBuiltInSimulator(target)
        ? [vscode.l10n.t('It calls the built-in simulator, which runs while VS Code does.')]
        : []),
    ];
    void vscode.window.showInformationMessage(note.join(' '));
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    void vscode.window.showErrorMessage(`VIP: ${e.message}`);
  }
}

/**
 * `VIP: Show SOAP envelope`: the exact XML Send would post for the request, for any environment
 * (a REST environment shows what it would send as SOAP). Resolves to what was shown, for tests.
 */
async function showSoapEnvelope(ctx: SendContext, arg?: unknown): Promise<SoapEnvelopeOutcome> {
  const doc = await requestDocument(arg);
  if (!doc) {
    const message = vscode.l10n.t('Open a VIP request file (*.vip.json) to see its SOAP envelope.');
    void vscode.window.showWarningMessage(message);
    return { ok: false, message };
  }
  try {
    const { configured, env, options } = await resolveTarget(targetHost(ctx), doc.uri);
    const preview = soapPreview(doc.getText(), env, options);
    const shown = await vscode.workspace.openTextDocument({
      language: 'xml',
      content: envelopeDocumentText(preview, configured.name),
    });
    await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return {
      ok: true,
      uri: shown.uri.toString(),
      url: preview.request.url.href,
      envelope: preview.request.body,
      environment: configured.name,
      transport: transportLabel(configured),
    };
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    void vscode.window.showErrorMessage(`VIP: ${e.message}`);
    return { ok: false, message: e.message };
  }
}

function formatRequest(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2) + '\n';
  } catch {
    return text;
  }
}

export { createFlowTests } from '../flows/controller';
