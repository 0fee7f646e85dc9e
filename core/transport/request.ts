// Request file text → the HTTP request to send (comments stripped, RequestId filled on demand).
import { randomBytes } from 'node:crypto';
import { VipDocument } from '../schema/document';
import { soap, type OperationInfo } from '../data/catalog';
import { buildRequestEnvelope, SoapError } from '../soap';
import type { Environment } from './environment';
import { isLoopbackHost } from './environment';
import { TransportError } from './errors';

export interface PreparedRequest {
  operation: OperationInfo;
  transport: 'rest' | 'soap';
  url: URL;
  /** The body as sent: JSON (comments and trailing commas gone), or the SOAP envelope. */
  body: string;
  value: Record<string, unknown>;
  headers: Record<string, string>;
  /** The RequestId sent (from the file, or generated). */
  requestId?: string;
  /** True when the RequestId was generated. */
  requestIdGenerated: boolean;
  /** Syntax problems the tolerant parser recovered from (the client asks "send anyway?"). */
  syntaxErrors: number;
}

export interface BuildOptions {
  /** Fill a missing RequestId (default true). */
  autoRequestId?: boolean;
}

/** A RequestId of the form `vipwb-<time><random>` (≤ 40 characters). */
export function newRequestId(): string {
  return `vipwb-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/**
 * The URL for one operation. REST: `{operation}` → kebab name, else `/<kebab>` appended.
 * SOAP: `{soapPath}` → mgmt/val/prov, else `/<soapPath>/soap` appended (the operation's endpoint).
 */
export function operationUrl(template: string, operation: OperationInfo, transport: 'rest' | 'soap' = 'rest'): URL {
  const [placeholder, value, suffix] =
    transport === 'soap'
      ? ['{soapPath}', operation.soapPath, `${operation.soapPath}/soap`]
      : ['{operation}', operation.rest, operation.rest];
  const text = template.includes(placeholder)
    ? template.split(placeholder).join(value)
    : template.replace(/\/+$/, '') + '/' + suffix;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TransportError(
      'usage',
      `The environment URL "${template}" is not a valid URL. Write it as https://host[:port]/path/{operation}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TransportError('usage', `The environment URL must start with https:// (got ${url.protocol}//).`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TransportError(
      'usage',
      `Refusing to send to ${url.origin}: plain http:// is allowed only to this machine (localhost, 127.x.x.x, ::1). VIP requests carry OTPs and need TLS; use https://.`,
    );
  }
  if (url.username || url.password)
    throw new TransportError('usage', 'The environment URL must not contain a user name or password.');
  return url;
}

export function buildRequest(text: string, env: Environment, options: BuildOptions = {}): PreparedRequest {
  const doc = new VipDocument(text);
  const root = doc.root;
  if (!root.key) {
    throw new TransportError(
      'usage',
      'This file is not a VIP request: it must be one JSON object with one key such as "GetTokenInformationRequest".',
    );
  }
  if (!root.operation)
    throw new TransportError(
      'usage',
      `"${root.key}" is not a VIP operation request key (e.g. "DeactivateTokenRequest").`,
    );
  if (root.kind !== 'request')
    throw new TransportError('usage', `"${root.key}" is a response, not a request: open a request file to send.`);
  if (typeof root.body !== 'object' || root.body === null || Array.isArray(root.body)) {
    throw new TransportError('usage', `The value of "${root.key}" must be an object with the request fields.`);
  }
  const body = { ...(root.body as Record<string, unknown>) };
  let requestId =
    typeof body.RequestId === 'string' ? body.RequestId : typeof body.Id === 'string' ? body.Id : undefined;
  let generated = false;
  if (
    requestId === undefined &&
    body.RequestId === undefined &&
    body.Id === undefined &&
    options.autoRequestId !== false
  ) {
    requestId = newRequestId();
    generated = true;
    body.RequestId = requestId;
  }
  const value = { [root.key]: body };
  const transport = env.transport ?? 'rest';
  return {
    operation: root.operation,
    transport,
    url: operationUrl(env.url, root.operation, transport),
    body: transport === 'soap' ? soapEnvelope(root.operation.name, body) : JSON.stringify(value),
    value,
    headers:
      transport === 'soap'
        ? { 'Content-Type': soap.contentType, SOAPAction: soap.soapAction, Accept: 'text/xml', ...(env.headers ?? {}) }
        : { 'Content-Type': 'application/json', Accept: 'application/json', ...(env.headers ?? {}) },
    requestId,
    requestIdGenerated: generated,
    syntaxErrors: doc.syntaxErrors.length,
  };
}

function soapEnvelope(operation: string, body: Record<string, unknown>): string {
  try {
    return buildRequestEnvelope(operation, body);
  } catch (e) {
    if (e instanceof SoapError) throw new TransportError('usage', `Cannot write this request as SOAP: ${e.message}`);
    throw e;
  }
}
