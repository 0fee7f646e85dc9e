// Environments from settings (pure: no vscode). The "Simulator" environment needs no settings: the
// extension starts the built-in simulator on 127.0.0.1 the first time it is used.
import {
  resolveEnvironment,
  validateEnvironment,
  type Environment,
  type ExpandContext,
} from '../../../core/transport/environment';
import { TransportError } from '../../../core/transport/errors';

export const SIMULATOR = 'Simulator';
/** The same built-in simulator, spoken to over SOAP (its /mgmt|val|prov/soap routes). */
export const SIMULATOR_SOAP = 'Simulator (SOAP)';
/** The Simulator's URL is known only once it runs; this placeholder marks it. */
export const SIMULATOR_URL = 'builtin-simulator:';

export function isSimulator(env: Environment): boolean {
  return env.url === SIMULATOR_URL;
}

export interface EnvironmentList {
  environments: Environment[];
  /** Sentences about entries that were skipped. */
  problems: string[];
}

/** Validates and resolves `vipApi.environments`; the built-in Simulator (REST, then SOAP) comes first unless the user defines one of that name. */
export function readEnvironments(raw: unknown, ctx: ExpandContext): EnvironmentList {
  const problems: string[] = [];
  const environments: Environment[] = [];
  const list = raw === undefined || raw === null ? [] : raw;
  if (!Array.isArray(list)) problems.push('vipApi.environments must be a list of environments.');
  else {
    list.forEach((v, i) => {
      try {
        const env = validateEnvironment(v, `vipApi.environments[${i}]`);
        if (hasCredentials(env.url))
          problems.push(
            `vipApi.environments[${i}] ("${env.name}"): the URL must not contain a user name or password (SECURITY.md); the entry is skipped.`,
          );
        else if (environments.some((e) => e.name === env.name))
          problems.push(`vipApi.environments[${i}]: the name "${env.name}" is used twice; the first one counts.`);
        else environments.push(resolveEnvironment(env, ctx));
      } catch (e) {
        if (e instanceof TransportError) problems.push(e.message);
        else throw e;
      }
    });
  }
  const builtIn = !environments.some((e) => e.name === SIMULATOR);
  if (builtIn) environments.unshift({ name: SIMULATOR, url: SIMULATOR_URL });
  // The SOAP twin sits right after the built-in Simulator, or last: it never becomes the default.
  if (!environments.some((e) => e.name === SIMULATOR_SOAP))
    environments.splice(builtIn ? 1 : environments.length, 0, {
      name: SIMULATOR_SOAP,
      url: SIMULATOR_URL,
      transport: 'soap',
    });
  return { environments, problems };
}

/** Whether a URL (template) carries a user name or password: refused, so it is never shown, logged or kept in the history. */
function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false; // not a URL: the send says so (core/transport/request.ts)
  }
}

/** The environment named `name`, else the first one (the Simulator by default). */
export function pickEnvironment(list: Environment[], name: string | undefined): Environment {
  return list.find((e) => e.name === name) ?? list[0];
}

/** SecretStorage key of an environment's passphrase. */
export function passphraseKey(envName: string): string {
  return `vipApi.passphrase:${envName}`;
}

/** Whether the environment's key or PKCS#12 needs a passphrase (PKCS#12: always asked; PEM: when encrypted). */
export function needsPassphrase(env: Environment, readText: (file: string) => string | undefined): boolean {
  if (env.pfx) return true;
  if (env.key) return /ENCRYPTED/.test(readText(env.key) ?? '');
  return false;
}

/** How the environment sends: `REST` (JSON) or `SOAP` (the envelope to /<mgmt|val|prov>/soap). */
export function transportLabel(env: Environment): 'REST' | 'SOAP' {
  return env.transport === 'soap' ? 'SOAP' : 'REST';
}
