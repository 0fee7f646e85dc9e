// The one preparation step that Send, Copy as cURL and Show SOAP envelope share (pure: no vscode):
// which environment applies to a request document (the one of the document's workspace folder),
// where it is (the simulator started when it is the Simulator), and the build options.
import type { BuildOptions } from '../../../core/transport/request';
import type { Environment } from '../../../core/transport/environment';
import { isSimulator } from './environments';

/** A request document's environment, resolved once for every action on it. */
export interface SendTarget {
  /** The environment as configured for the document's workspace folder (the Simulator's URL not yet known). */
  configured: Environment;
  /** The same with a concrete URL. */
  env: Environment;
  options: BuildOptions;
}

/** What resolving a target needs from the extension (settings, the simulator). */
export interface TargetHost<Uri, Folder> {
  folderOf(uri: Uri): Folder | undefined;
  currentEnvironment(folder?: Folder): Environment;
  /** The environment with a concrete URL (starts the built-in simulator for the Simulator). */
  concrete(env: Environment): Promise<Environment>;
  autoRequestId(): boolean;
}

/** The environment configured for the document's workspace folder (known even when the target then cannot be reached). */
export function configuredEnvironment<Uri, Folder>(host: TargetHost<Uri, Folder>, uri: Uri): Environment {
  return host.currentEnvironment(host.folderOf(uri));
}

export async function resolveTarget<Uri, Folder>(
  host: TargetHost<Uri, Folder>,
  uri: Uri,
  configured = configuredEnvironment(host, uri),
): Promise<SendTarget> {
  return { configured, env: await host.concrete(configured), options: { autoRequestId: host.autoRequestId() } };
}

/** Whether the target is the built-in simulator (the note after Copy as cURL: it runs only while VS Code does). */
export function callsBuiltInSimulator(target: SendTarget): boolean {
  return isSimulator(target.configured);
}
