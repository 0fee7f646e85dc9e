// `vip-api soap <file>`: the exact SOAP envelope Send would post for a request file, on stdout.
// Nothing is sent. Where it would go (URL, headers) goes to stderr, so stdout can be piped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { operations, soap } from '../core/data/catalog';
import {
  TransportError,
  operationUrl,
  resolveEnvironment,
  validateEnvironment,
  type Environment,
} from '../core/transport';
import { soapPreview, soapUrlTemplate } from '../core/transport/soapPreview';
import { helpText, parseRequestArgs, usageText, UsageError } from './args';
import { loadNamedEnvironment } from './send';

export const SOAP_HELP = `  vip-api soap <file> [--env NAME [--config FILE] | --url URL] [--no-request-id] [--force]
      Print the SOAP 1.1 envelope that send --transport soap would post for a request file
      (nothing is sent); the URL and headers go to stderr. Default URL: the VIP production
      endpoints ${soapBaseUrl()}/<mgmt|val|prov>/soap. A missing RequestId is
      generated, as send does. Exit 0 when printed, 1 when the file cannot be written as SOAP,
      2 on usage errors.
`;

export interface SoapDeps {
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  vars?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The production SOAP endpoints as a template: https://services-auth…/{soapPath}/soap. */
function productionTemplate(): string {
  return soap.endpoints.mgmt.replace('/mgmt/', '/{soapPath}/');
}

function soapBaseUrl(): string {
  return new URL(soap.endpoints.mgmt).origin;
}

/** Where the envelope goes: --env (any transport), --url (SOAP base or {soapPath}), else production. */
function targetEnvironment(
  o: { env?: string; config?: string; url?: string },
  cwd: string,
  vars: NodeJS.ProcessEnv,
): Environment {
  if (o.env) return loadNamedEnvironment(o.env, o.config, cwd, vars);
  if (o.url?.includes('{operation}'))
    throw new UsageError(
      '--url is the SOAP base URL (/mgmt|val|prov/soap is appended) or has {soapPath}; it cannot contain {operation}.',
    );
  const env = validateEnvironment({
    name: o.url ? 'command line' : 'VIP production (SOAP)',
    url: o.url ?? productionTemplate(),
    transport: 'soap',
  });
  return resolveEnvironment(env, { baseDir: cwd, vars });
}

export function runSoap(args: string[], deps: SoapDeps = {}): number {
  const out = deps.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = deps.stderr ?? ((s: string) => void process.stderr.write(s));
  const vars = deps.vars ?? process.env;
  const cwd = deps.cwd ?? process.cwd();
  let env: Environment;
  let fileArg: string;
  let o: { env?: string; config?: string; url?: string; 'no-request-id'?: boolean; force?: boolean };
  try {
    const parsed = parseRequestArgs(args, { 'no-request-id': { type: 'boolean' }, force: { type: 'boolean' } }, 'soap');
    if (parsed.help) {
      out(helpText(SOAP_HELP));
      return 0;
    }
    o = parsed.values;
    fileArg = parsed.file;
    env = targetEnvironment(o, cwd, vars);
    // A URL that can never work is a usage error, found before the file is read.
    operationUrl(soapUrlTemplate(env).template, operations[0], 'soap');
  } catch (e) {
    if (!(e instanceof UsageError || e instanceof TransportError)) throw e;
    err(usageText('soap', e.message, SOAP_HELP));
    return 2;
  }

  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, fileArg), 'utf8');
  } catch (e) {
    err(`vip-api soap: cannot read ${fileArg} (${(e as NodeJS.ErrnoException).code ?? String(e)}).\n`);
    return 1;
  }
  try {
    const preview = soapPreview(text, env, { autoRequestId: !o['no-request-id'] });
    const { request } = preview;
    if (request.syntaxErrors > 0 && !o.force) {
      err(
        `vip-api soap: ${fileArg} has ${request.syntaxErrors} syntax error(s); run vip-api check on it, or add --force to print what could be recovered.\n`,
      );
      return 1;
    }
    out(request.body + '\n');
    err(
      `vip-api soap: POST ${request.url.href} · Content-Type: ${request.headers['Content-Type']} · SOAPAction: ${request.headers.SOAPAction}\n`,
    );
    if (preview.restEnvironment)
      err(`vip-api soap: "${env.name}" is a REST environment; this is what it would send with "transport": "soap".\n`);
    if (preview.warning) err(`vip-api soap: warning: ${preview.warning}\n`);
    if (request.requestIdGenerated)
      err(
        `vip-api soap: RequestId ${request.requestId} was generated; send generates a new one each time (--no-request-id leaves it out).\n`,
      );
    return 0;
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    err(`vip-api soap: ${e.message}\n`);
    return 1;
  }
}
