// `VIP: Start simulator for my app` and `VIP: Stop simulator for my app`: the built-in simulator on
// a fixed port (setting `vipApi.simulator.port`) for the user's own application and its tests to
// call, over REST and SOAP. The same child process as the Simulator environment's (SimulatorHost),
// on 127.0.0.1 only; a status bar item says it runs and stops it; the extension stopping stops it.
//
// Allowed in Restricted Mode: it serves the demo state on loopback and reads no workspace file.
// The port then comes from the user's settings only (the setting is restricted, like
// vipApi.environments), so an untrusted repository cannot choose it.
import * as vscode from 'vscode';
import { soap } from '../../core/data/operations';
import { SimulatorHost, startOnFirstFreePort } from './send/simulatorHost';

const DEFAULT_PORT = 8080;
/** How many ports from the configured one are tried before giving up. */
const PORT_TRIES = 20;
/** The SOAP services (mgmt, val, prov) and their paths, as the catalog's production endpoints name them. */
const SOAP_SERVICES = (Object.keys(soap.endpoints) as (keyof typeof soap.endpoints)[]).map((service) => ({
  service,
  path: new URL(soap.endpoints[service]).pathname,
}));
const SOAP_PATHS = SOAP_SERVICES.map((s) => s.path);

/** What the start command shows (and returns, for scripts and tests). */
export interface SimulatorForAppInfo {
  /** The configured port, and the one it runs on (the next free one when the configured one was taken). */
  requestedPort: number;
  port: number;
  /** REST: POST <restUrl>/<operation-in-kebab-case>. */
  restUrl: string;
  /** SOAP 1.1: …/mgmt/soap, …/val/soap, …/prov/soap, in that order. */
  soapUrls: string[];
  /** The WSDL each SOAP path serves (`?wsdl`), in the same order. */
  wsdlUrls: string[];
  /** The sentence shown in the notification. */
  message: string;
}

export function simulatorForAppInfo(baseUrl: string, requestedPort: number, port: number): SimulatorForAppInfo {
  const soapUrls = SOAP_PATHS.map((p) => `${baseUrl}${p}`);
  const wsdlUrls = soapUrls.map((u) => `${u}?wsdl`);
  const taken =
    port === requestedPort
      ? ''
      : ` ${vscode.l10n.t('Port {0} was taken, so it runs on port {1}.', requestedPort, port)}`;
  const message = vscode.l10n.t(
    'VIP simulator for your app is running.{0} REST: {1}/<operation> · SOAP: {2} · WSDL: {3} (and the other two paths).',
    taken,
    baseUrl,
    soapUrls.join(', '),
    wsdlUrls[0],
  );
  return { requestedPort, port, restUrl: baseUrl, soapUrls, wsdlUrls, message };
}

type Running = { host: SimulatorHost; info: SimulatorForAppInfo };

/** The simulator for the user's app: at most one, with its status bar item. */
class SimulatorForApp {
  readonly status = vscode.window.createStatusBarItem('vipApi.simulatorForApp', vscode.StatusBarAlignment.Left, 49);
  private running: Promise<Running> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.status.name = vscode.l10n.t('VIP simulator for your app');
    this.status.command = 'vipApi.stopSimulatorForApp';
  }

  /** The port setting; in an untrusted workspace only the user's own value counts. */
  private configuredPort(): number {
    const config = vscode.workspace.getConfiguration('vipApi');
    const value = vscode.workspace.isTrusted
      ? config.get<unknown>('simulator.port')
      : config.inspect<unknown>('simulator.port')?.globalValue;
    if (value === undefined) return DEFAULT_PORT;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65_535) return value;
    this.log.warn(
      `The setting vipApi.simulator.port is ${JSON.stringify(value)}, not a port from 1 to 65535: using ${DEFAULT_PORT}.`,
    );
    return DEFAULT_PORT;
  }

  private async launch(): Promise<Running> {
    const requestedPort = this.configuredPort();
    const onExit = (why: string) => {
      this.running = undefined;
      this.status.hide();
      void vscode.window.showWarningMessage(vscode.l10n.t('The VIP simulator for your app stopped ({0}).', why));
    };
    const makeHost = (port: number) =>
      new SimulatorHost(
        this.context.asAbsolutePath('dist/server.js'),
        (line) => this.log.debug(`simulator for your app: ${line}`),
        { port, onExit },
      );
    const { host, url, port } = await startOnFirstFreePort(requestedPort, PORT_TRIES, makeHost);
    const info = simulatorForAppInfo(url, requestedPort, port);
    this.log.info(`${info.message} WSDLs: ${info.wsdlUrls.join(', ')}.`);
    this.status.text = `$(radio-tower) ${vscode.l10n.t('VIP simulator :{0}', port)}`;
    this.status.tooltip = vscode.l10n.t(
      'The VIP simulator for your app is running on {0} (REST) and {1} (SOAP).\nClick to stop it.',
      url,
      SOAP_PATHS.join(', '),
    );
    this.status.show();
    return { host, info };
  }

  /** `VIP: Start simulator for my app`: starts it (or shows the one running) and resolves to its URLs. */
  async start(): Promise<SimulatorForAppInfo | undefined> {
    this.running ??= this.launch().catch((e: unknown) => {
      this.running = undefined;
      throw e;
    });
    try {
      const { info } = await this.running;
      void offerCopy(info);
      return info;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.log.error(`The VIP simulator for your app did not start: ${why}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The VIP simulator for your app did not start: {0}', why));
      return undefined;
    }
  }

  /** `VIP: Stop simulator for my app` (and the status bar item): resolves to whether one was running. */
  async stop(quiet = false): Promise<boolean> {
    const was = this.running;
    this.running = undefined;
    this.status.hide();
    const started = await was?.catch(() => undefined);
    if (!started) {
      if (!quiet)
        void vscode.window.showInformationMessage(vscode.l10n.t('The VIP simulator for your app is not running.'));
      return false;
    }
    await started.host.close();
    this.log.info(`The VIP simulator for your app on port ${started.info.port} stopped.`);
    return true;
  }
}

export function registerSimulatorForApp(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const simulator = new SimulatorForApp(context, log);
  context.subscriptions.push(
    simulator.status,
    vscode.commands.registerCommand('vipApi.startSimulatorForApp', () => simulator.start()),
    vscode.commands.registerCommand('vipApi.stopSimulatorForApp', () => simulator.stop()),
    { dispose: () => void simulator.stop(true) },
  );
}

/** The notification with the URLs; Copy URL… offers each of them for the clipboard. */
async function offerCopy(info: SimulatorForAppInfo): Promise<void> {
  const [copyUrl, stop] = [vscode.l10n.t('Copy URL…'), vscode.l10n.t('Stop')];
  const choice = await vscode.window.showInformationMessage(info.message, copyUrl, stop);
  if (choice === stop) await vscode.commands.executeCommand('vipApi.stopSimulatorForApp');
  if (choice !== copyUrl) return;
  const label = {
    mgmt: vscode.l10n.t('management'),
    val: vscode.l10n.t('validation'),
    prov: vscode.l10n.t('provisioning'),
  };
  const names = SOAP_SERVICES.map((s) => label[s.service]);
  const items: (vscode.QuickPickItem & { text: string })[] = [
    { label: info.restUrl, description: vscode.l10n.t('REST base URL'), text: info.restUrl },
    ...info.soapUrls.map((u, i) => ({ label: u, description: vscode.l10n.t('SOAP, {0}', names[i]), text: u })),
    ...info.wsdlUrls.map((u, i) => ({ label: u, description: vscode.l10n.t('WSDL, {0}', names[i]), text: u })),
    {
      label: vscode.l10n.t('All of them'),
      description: vscode.l10n.t('one per line'),
      text: [info.restUrl, ...info.soapUrls, ...info.wsdlUrls].join('\n'),
    },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Copy which URL of the VIP simulator?'),
  });
  if (!pick) return;
  await vscode.env.clipboard.writeText(pick.text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied: {0}', pick.label), 3000);
}
