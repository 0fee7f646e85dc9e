// Environments: where requests go and with which TLS material. Shared by the client and the CLI.
import * as os from 'node:os';
import * as path from 'node:path';
import { TransportError } from './errors';

export interface Environment {
  name: string;
  /** URL template; `{operation}` becomes the kebab-case operation (deactivate-token). Without it, `/<operation>` is appended. */
  url: string;
  /** PEM client certificate file (with `key`). */
  cert?: string;
  /** PEM private key file, optionally encrypted (the passphrase comes from SecretStorage / an env var). */
  key?: string;
  /** PKCS#12 (.p12/.pfx) file with certificate and key. */
  pfx?: string;
  /** PEM CA bundle used to verify the server, instead of the system roots. */
  ca?: string;
  /** Total time allowed for one request, in ms (default 30000). */
  timeoutMs?: number;
  /** Verify the server certificate (default true). Only an explicit `false` turns verification off. */
  rejectUnauthorized?: boolean;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /**
   * `rest` (default): POST JSON to the URL template. `soap`: the same request as a SOAP 1.1
   * envelope to `<url>/<mgmt|val|prov>/soap` (or a `{soapPath}` in the URL), answer mapped back to JSON.
   */
  transport?: 'rest' | 'soap';
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** Checks the shape of an environment (from settings or a config file) and says what is wrong. */
export function validateEnvironment(value: unknown, where = 'environment'): Environment {
  const fail = (msg: string): never => {
    throw new TransportError('usage', `${where}: ${msg}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('must be an object with at least "name" and "url".');
  const v = value as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    if (v[k] === undefined || v[k] === null || v[k] === '') return undefined;
    if (typeof v[k] !== 'string') fail(`"${k}" must be a string.`);
    return v[k] as string;
  };
  const name = str('name') ?? fail('"name" is missing.');
  const url = str('url') ?? fail(`"url" is missing (e.g. "https://vip.example.com/rest/{operation}").`);
  const env: Environment = { name, url, cert: str('cert'), key: str('key'), pfx: str('pfx'), ca: str('ca') };
  if (env.cert && !env.key)
    fail('"cert" is set without "key": give both the PEM certificate and its private key (or use "pfx").');
  if (env.key && !env.cert)
    fail('"key" is set without "cert": give both the PEM certificate and its private key (or use "pfx").');
  if (env.pfx && env.cert) fail('set either "pfx" or "cert" + "key", not both.');
  for (const k of ['cert', 'key', 'pfx', 'ca'] as const) {
    if (env[k] && /^[a-z]+:\/\//i.test(env[k])) fail(`"${k}" must be a file path, not a URL ("${env[k]}").`);
  }
  if (v.timeoutMs !== undefined) {
    if (typeof v.timeoutMs !== 'number' || !Number.isFinite(v.timeoutMs) || v.timeoutMs <= 0)
      fail('"timeoutMs" must be a positive number of milliseconds.');
    env.timeoutMs = v.timeoutMs as number;
  }
  if (v.rejectUnauthorized !== undefined) {
    if (typeof v.rejectUnauthorized !== 'boolean') fail('"rejectUnauthorized" must be true or false.');
    env.rejectUnauthorized = v.rejectUnauthorized as boolean;
  }
  if (v.transport !== undefined) {
    if (v.transport !== 'rest' && v.transport !== 'soap') fail('"transport" must be "rest" or "soap".');
    env.transport = v.transport as 'rest' | 'soap';
    if (env.transport === 'soap' && url.includes('{operation}')) {
      fail(
        'a SOAP environment posts to <url>/<mgmt|val|prov>/soap: give the service base URL (e.g. "https://services-auth.vip.symantec.com"), or "{soapPath}" where the path goes, not "{operation}".',
      );
    }
  }
  if (v.headers !== undefined) {
    const h = v.headers;
    if (typeof h !== 'object' || h === null || Array.isArray(h) || Object.values(h).some((x) => typeof x !== 'string'))
      fail('"headers" must be an object of strings.');
    env.headers = h as Record<string, string>;
  }
  return env;
}

export interface ExpandContext {
  /** Folder that relative paths resolve against (the workspace folder, or the CLI's cwd). */
  baseDir: string;
  vars?: NodeJS.ProcessEnv;
  home?: string;
}

/** `${env:VAR}` and a leading `~` expanded; relative paths resolved against `baseDir`. */
export function expandPath(p: string, ctx: ExpandContext): string {
  const vars = ctx.vars ?? process.env;
  let out = p.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => vars[name] ?? '');
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\'))
    out = path.join(ctx.home ?? os.homedir(), out.slice(1));
  return path.resolve(ctx.baseDir, out);
}

/** A copy of the environment with its file paths expanded (and `${env:VAR}` in the URL). */
export function resolveEnvironment(env: Environment, ctx: ExpandContext): Environment {
  const out: Environment = { ...env };
  for (const k of ['cert', 'key', 'pfx', 'ca'] as const) if (env[k]) out[k] = expandPath(env[k], ctx);
  const vars = ctx.vars ?? process.env;
  out.url = env.url.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => vars[name] ?? '');
  return out;
}

export { isLoopbackHost } from '../loopback';
