// A request step: the request file or inline document, `with` applied, `${…}` substituted, sent
// through the transport (REST or SOAP, as the environment says). Transcripts are redacted.
import { secretValues } from '../redact';
import { buildRequest, send, TransportError, type AgentPool, type Environment } from '../transport';
import { FlowError } from './errors';
import type { StepOutcome } from './expect';
import type { RequestDocument } from './checkRequest';
import type { Scope } from './vars';

// What a step sends, read and checked without the transport (the language server needs only that).
export { readRequestFile, requestDocument, type RequestDocument } from './checkRequest';

export interface RequestContext {
  scope: Scope;
  env: Environment;
  agents: AgentPool;
  passphrase?: string;
  signal?: AbortSignal;
  transcript: string[];
}

/** Sends the substituted document; the outcome's body is the inside of `<Operation>Response`. */
export async function sendRequest(request: RequestDocument, ctx: RequestContext): Promise<StepOutcome> {
  const { scope } = ctx;
  const value = scope.substitute(request.document) as Record<string, unknown>;
  // Codes sent are secrets from now on, wherever the server may quote them.
  for (const v of secretValues(value)) scope.addSecret(v);
  let prepared;
  try {
    prepared = buildRequest(JSON.stringify(value), ctx.env);
  } catch (e) {
    if (e instanceof TransportError && e.kind === 'usage') throw new FlowError(scope.redact(e.message));
    throw e;
  }
  // The bodies as they went over the wire (JSON, or the SOAP envelope), secret members redacted.
  ctx.transcript.push(scope.redact(`→ POST ${prepared.url.href} ${prepared.body}`));
  const result = await send(prepared, ctx.env, { agents: ctx.agents, passphrase: ctx.passphrase, signal: ctx.signal });
  // Codes the service hands out (temporary passwords, activation codes) are secrets too.
  for (const v of secretValues(result.json)) scope.addSecret(v);
  ctx.transcript.push(scope.redact(`← HTTP ${result.status} ${result.text}`));
  const body = (result.json as Record<string, unknown>)[result.responseKey];
  return { reasonCode: result.reasonCode, body };
}
