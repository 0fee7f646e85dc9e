// Sends one prepared request over node:https with the TLS material on the request's own options
// (VS Code's proxy support replaces the agent for non-localhost hosts and drops agent-only options),
// one keep-alive agent per environment, a total timeout, cancellation and a response size cap.
// The pipeline: plan (preflight) → log the start → attempts (exchange.ts), retried on a stale
// kept-alive connection → the response read step by step (response.ts).
import { performance } from 'node:perf_hooks';
import { redactValues, secretValues } from '../redact';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, type Environment } from './environment';
import { TransportError } from './errors';
import { StaleConnection, sendOnce } from './exchange';
import { loadTlsMaterial, secureContextFor } from './preflight';
import { buildRequest, type PreparedRequest } from './request';
import type { SendOptions, SendPlan, SendResult } from './sendTypes';

export { AgentPool } from './agents';
export { HARD_SPILL_LIMIT } from './response';
export type { SendOptions, SendResult, Timings, TlsInfo } from './sendTypes';

/** Parses and sends request file text to the environment. */
export async function sendText(text: string, env: Environment, options: SendOptions = {}): Promise<SendResult> {
  return send(buildRequest(text, env, { autoRequestId: options.autoRequestId }), env, options);
}

export async function send(request: PreparedRequest, env: Environment, options: SendOptions = {}): Promise<SendResult> {
  if (options.signal?.aborted) throw new TransportError('cancelled', 'The request was cancelled before it was sent.');
  const plan = planSend(request, env, options);
  logStart(plan);
  return sendWithRetry(plan);
}

/** Preflight: checks the TLS material and works out the target and limits; throws before any byte goes out. */
function planSend(request: PreparedRequest, env: Environment, options: SendOptions): SendPlan {
  // A server may quote a sent code in any text (fault string, status message): none reaches a log or error.
  const secrets = secretValues(request.value);
  const material = loadTlsMaterial(env, { passphrase: options.passphrase, now: options.now });
  const url = request.url;
  const isHttps = url.protocol === 'https:';
  return {
    request,
    env,
    options,
    material,
    secureContext: isHttps ? secureContextFor(material) : undefined,
    target: { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (isHttps ? '443' : '80'), url: url.href },
    netContext: { ca: Boolean(env.ca), clientCertificate: Boolean(material.options.pfx || material.options.cert) },
    timeoutMs: options.timeoutMs ?? env.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cap: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    secrets,
    log: (line: string) => options.log?.(redactValues(line, secrets)),
  };
}

function logStart({ request, env, material, log }: SendPlan): void {
  const cc = material.clientCertificate;
  log(
    `→ POST ${request.url.href} [${env.name}]${cc ? ` client certificate "${cc.subject}" (expires ${cc.validTo.toISOString()})` : ' no client certificate'}`,
  );
  if (material.insecure)
    log(`⚠ Server certificate verification is OFF for environment "${env.name}" (rejectUnauthorized: false).`);
}

/** A kept-alive connection the server closed while idle fails before any response: retry on a new one, within the one timeout. */
async function sendWithRetry(plan: SendPlan): Promise<SendResult> {
  const deadline = performance.now() + plan.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendOnce(plan, deadline);
    } catch (e) {
      if (!(e instanceof StaleConnection) || attempt >= 2) throw e instanceof StaleConnection ? e.mapped : e;
      plan.log('↻ the kept-alive connection had been closed by the server; sending again on a new connection.');
    }
  }
}
