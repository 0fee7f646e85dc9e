// `vip-api send`: one request file → the service (or the built-in simulator) → the response on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { startSimulator } from '../core/simulator';
import {
  TransportError,
  buildRequest,
  resolveEnvironment,
  send,
  validateEnvironment,
  type Environment,
  type PreparedRequest,
  type SendOptions,
  type SendResult,
} from '../core/transport';
import { soapUrlTemplate, withTransport } from '../core/transport/soapPreview';
import { helpText, parseRequestArgs, usageText, UsageError } from './args';

export const SEND_HELP = `  vip-api send <file> [--env NAME [--config FILE] | --url URL] [--cert F --key F | --pfx F]
                [--passphrase-env VAR] [--ca F] [--timeout MS] [--insecure] [--verbose] [--force]
                [--transport soap|rest] [--no-request-id]
      Send a request file. --url is a template: {operation} becomes the kebab-case operation
      (e.g. https://vip.example.com/rest/{operation}); --env reads "vipApi.environments" from
      --config (default .vscode/settings.json). The passphrase of an encrypted key or PKCS#12 file
      is read from the environment variable named by --passphrase-env. Without --url or --env the
      built-in simulator answers. The response JSON goes to stdout, a summary to stderr.
      --transport soap (overrides the environment's "transport") posts the SOAP envelope to
      <url>/<mgmt|val|prov>/soap (e.g. --url https://services-auth.vip.symantec.com) and maps the
      XML answer back to the same JSON. A missing RequestId is generated (--no-request-id: not).
      Exit 0 for reason code 0000, 2 for another VIP reason code, 1 for transport or usage errors.
`;

/** Starts something that answers VIP requests at `url` (the built-in simulator). */
export type SimulatorStarter = () => Promise<{ url: string; close(): Promise<void> } | undefined>;

export interface SendDeps {
  startSimulator?: SimulatorStarter;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  vars?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The built-in simulator on 127.0.0.1 (an ephemeral port), for one request. */
export const startBuiltInSimulator: SimulatorStarter = () => startSimulator({ host: '127.0.0.1' });

/** Environments from a settings.json-like file: `{"vipApi.environments": [...]}`, `{"environments": [...]}` or `[...]`. */
export function loadEnvironmentsFile(file: string): Environment[] {
  let text: string;
  try {
    // A FIFO or device would block or never end.
    if (!fs.statSync(file).isFile()) throw new UsageError(`the config file ${file} is not a regular file.`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read the config file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length) throw new UsageError(`the config file ${file} is not valid JSON (with comments).`);
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? ((value as Record<string, unknown>)['vipApi.environments'] ?? (value as Record<string, unknown>).environments)
      : undefined;
  if (!Array.isArray(list)) throw new UsageError(`the config file ${file} has no "vipApi.environments" list.`);
  return list.map((v, i) => validateEnvironment(v, `${file}: environments[${i}]`));
}

/** Environment `name` from `config` (default .vscode/settings.json), its paths resolved. */
export function loadNamedEnvironment(
  name: string,
  configFile: string | undefined,
  cwd: string,
  vars: NodeJS.ProcessEnv,
): Environment {
  const config = path.resolve(cwd, configFile ?? path.join('.vscode', 'settings.json'));
  const found = loadEnvironmentsFile(config).find((x) => x.name === name);
  if (!found) throw new UsageError(`no environment named "${name}" in ${config}.`);
  // Paths in .vscode/settings.json are relative to the workspace folder; elsewhere to the file.
  const base =
    path.basename(path.dirname(config)) === '.vscode' ? path.dirname(path.dirname(config)) : path.dirname(config);
  return resolveEnvironment(found, { baseDir: base, vars });
}

function summary(r: SendResult): string {
  const rc = r.reason;
  const text = r.statusMessage || rc?.message || '';
  const fix = !r.success && rc?.solution ? ` — ${rc.solution}` : '';
  const tls = r.tls ? `, ${r.tls.protocol}` : '';
  return `${r.reasonCode} ${text}${fix} · ${Math.round(r.timings.total)} ms (HTTP ${r.status}${tls}, ${r.environment})`;
}

const SEND_OPTIONS = {
  cert: { type: 'string' },
  key: { type: 'string' },
  pfx: { type: 'string' },
  'passphrase-env': { type: 'string' },
  ca: { type: 'string' },
  timeout: { type: 'string' },
  insecure: { type: 'boolean' },
  verbose: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-request-id': { type: 'boolean' },
  transport: { type: 'string' },
} as const;

type SendValues = ReturnType<typeof parseRequestArgs<typeof SEND_OPTIONS>>['values'];
type Simulator = { url: string; close(): Promise<void> };

interface SendContext {
  err: (s: string) => void;
  vars: NodeJS.ProcessEnv;
  cwd: string;
  startSimulator: SimulatorStarter;
}

function readRequestFile(cwd: string, name: string): string {
  let text: string;
  try {
    // A FIFO would wait for a writer forever, a device may never end: regular files only.
    const st = fs.statSync(path.resolve(cwd, name));
    if (!st.isFile() && !st.isDirectory())
      throw new UsageError(`${name} is not a regular file (a FIFO, socket or device).`);
    text = fs.readFileSync(path.resolve(cwd, name), 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${name} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  // Else the NULs end up in the error message (and the terminal).
  if (text.includes('\u0000'))
    throw new UsageError(
      `${name} is not UTF-8 text: it contains NUL bytes (a binary file, or UTF-16). Save it as UTF-8.`,
    );
  return text;
}

function transportFlag(o: SendValues): 'soap' | 'rest' | undefined {
  const transport = o.transport;
  if (transport !== undefined && transport !== 'soap' && transport !== 'rest')
    throw new UsageError(`--transport takes soap or rest, not "${transport}".`);
  if (transport === 'soap' && o.url?.includes('{operation}')) {
    throw new UsageError(
      'with --transport soap, --url is the base URL (/mgmt|val|prov/soap is appended, e.g. https://services-auth.vip.symantec.com) or has {soapPath}; it cannot contain {operation}.',
    );
  }
  return transport;
}

/** The environment of --env or --url; with neither, the built-in simulator, started for this request. */
async function endpoint(
  o: SendValues,
  transport: 'soap' | 'rest' | undefined,
  ctx: SendContext,
): Promise<{ env: Environment; simulator?: Simulator }> {
  if (o.env) return { env: loadNamedEnvironment(o.env, o.config, ctx.cwd, ctx.vars) };
  if (o.url)
    return {
      env: resolveEnvironment(validateEnvironment({ name: 'command line', url: o.url, transport }), {
        baseDir: ctx.cwd,
        vars: ctx.vars,
      }),
    };
  const simulator = await ctx.startSimulator();
  if (!simulator) throw new UsageError('no endpoint: give --url URL or --env NAME.');
  ctx.err(
    `vip-api: no --url or --env given: sending to the built-in simulator at ${simulator.url} (started for this request).\n`,
  );
  return { env: { name: 'Simulator', url: simulator.url.replace(/\/+$/, '') + '/{operation}' }, simulator };
}

/** Flags override the environment: certificate files, CA, transport, timeout, verification. */
function withFlags(
  env: Environment,
  o: SendValues,
  transport: 'soap' | 'rest' | undefined,
  ctx: SendContext,
): { env: Environment; urlDerived: boolean } {
  const flagPath = (p: string | undefined) => (p === undefined ? undefined : path.resolve(ctx.cwd, p));
  if (o.pfx && (o.cert || o.key)) throw new UsageError('give either --pfx or --cert and --key, not both.');
  if (Boolean(o.cert) !== Boolean(o.key))
    throw new UsageError(
      '--cert and --key go together (PEM certificate and its private key); for a .p12/.pfx use --pfx.',
    );
  if (o.pfx) env = { ...env, pfx: flagPath(o.pfx), cert: undefined, key: undefined };
  if (o.cert) env = { ...env, cert: flagPath(o.cert), key: flagPath(o.key), pfx: undefined };
  if (o.ca) env = { ...env, ca: flagPath(o.ca) };
  // --transport overrides the environment's; a REST environment sent as SOAP uses its base URL.
  const urlDerived = Boolean(o.env) && transport === 'soap' && soapUrlTemplate(env).derived;
  if (transport) env = withTransport(env, transport);
  if (o.timeout !== undefined) {
    const t = Number(o.timeout);
    if (!Number.isFinite(t) || t <= 0)
      throw new UsageError(`--timeout takes a positive number of milliseconds, not "${o.timeout}".`);
    env = { ...env, timeoutMs: t };
  }
  if (o.insecure) {
    env = { ...env, rejectUnauthorized: false };
    ctx.err('vip-api: warning: --insecure: the server certificate is NOT verified.\n');
  } else if (env.rejectUnauthorized === false) {
    ctx.err(
      `vip-api: warning: environment "${env.name}" has "rejectUnauthorized": false: the server certificate is NOT verified.\n`,
    );
  }
  return { env, urlDerived };
}

function passphraseFrom(o: SendValues, vars: NodeJS.ProcessEnv): string | undefined {
  const name = o['passphrase-env'];
  if (!name) return undefined;
  const passphrase = vars[name];
  if (passphrase === undefined) throw new UsageError(`--passphrase-env ${name}: that environment variable is not set.`);
  return passphrase;
}

/** Sends; Ctrl-C cancels the request. */
async function sendCancellable(
  request: PreparedRequest,
  env: Environment,
  options: Omit<SendOptions, 'signal'>,
): Promise<SendResult> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await send(request, env, { ...options, signal: controller.signal });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The pipeline: arguments → request file → endpoint → flags → passphrase → request → send → output. */
export async function runSend(args: string[], deps: SendDeps = {}): Promise<number> {
  const out = deps.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = deps.stderr ?? ((s: string) => void process.stderr.write(s));
  const ctx: SendContext = {
    err,
    vars: deps.vars ?? process.env,
    cwd: deps.cwd ?? process.cwd(),
    startSimulator: deps.startSimulator ?? startBuiltInSimulator,
  };
  let simulator: Simulator | undefined;
  try {
    const parsed = parseRequestArgs(args, SEND_OPTIONS, 'send');
    if (parsed.help) {
      out(helpText(SEND_HELP));
      return 0;
    }
    const o = parsed.values;
    const text = readRequestFile(ctx.cwd, parsed.file);
    const transport = transportFlag(o);
    const target = await endpoint(o, transport, ctx);
    simulator = target.simulator;
    const { env, urlDerived } = withFlags(target.env, o, transport, ctx);
    const passphrase = passphraseFrom(o, ctx.vars);
    const request = buildRequest(text, env, { autoRequestId: !o['no-request-id'] });
    if (request.syntaxErrors > 0 && !o.force) {
      throw new UsageError(
        `${parsed.file} has ${request.syntaxErrors} syntax error(s); run vip-api check on it, or add --force to send what could be recovered.`,
      );
    }
    if (urlDerived)
      err(`vip-api send: "${env.name}" is a REST environment; as SOAP the request goes to ${request.url.href}.\n`);
    const result = await sendCancellable(request, env, {
      passphrase,
      log: o.verbose ? (l) => err(`vip-api: ${l}\n`) : undefined,
    });
    out(JSON.stringify(result.json, null, 2) + '\n');
    err(summary(result) + '\n');
    return result.success ? 0 : 2;
  } catch (e) {
    if (e instanceof UsageError) err(usageText('send', e.message, SEND_HELP));
    else if (e instanceof TransportError) err(`vip-api send: ${e.message}\n`);
    else throw e;
    return 1;
  } finally {
    await simulator?.close();
  }
}
