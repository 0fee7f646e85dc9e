// Simulator steps, over the simulator's control API (docs/simulator.md): the current code of a
// credential (GET /_simulator/otp/<id>), moving its clock (POST /_simulator/clock {"advance"}),
// and what was "sent" to a phone (GET /_simulator/deliveries). Every code seen becomes a secret.
import { TransportError } from '../transport';
import { FlowError } from './errors';
import type { StepOutcome } from './expect';
import type { SimulatorSpec } from './types';
import type { Scope } from './vars';

export interface SimulatorContext {
  scope: Scope;
  /** The flow's own simulator, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Called with the simulator's new time after its clock moved. */
  setClock(now: Date): void;
  transcript: string[];
  signal?: AbortSignal;
}

interface Delivery {
  to?: string;
  tokenId?: string;
  code?: string;
  message?: string;
}

export async function runSimulatorStep(spec: SimulatorSpec, ctx: SimulatorContext): Promise<StepOutcome> {
  const { scope } = ctx;
  if (spec.otp !== undefined) {
    const id = String(scope.substitute(spec.otp));
    const query = spec.offset !== undefined ? `?offset=${spec.offset}` : '';
    const body = (await call(ctx, 'GET', `otp/${encodeURIComponent(id)}${query}`)) as { OTP?: string };
    scope.addSecret(body.OTP);
    return { body };
  }
  if (spec.advanceClock !== undefined) {
    const body = (await call(ctx, 'POST', 'clock', { advance: spec.advanceClock })) as { now?: string };
    const now = new Date(String(body.now));
    if (Number.isNaN(now.getTime()))
      throw new FlowError('the simulator did not say its new time after advancing its clock.');
    ctx.setClock(now);
    return { body };
  }
  const to = String(scope.substitute(spec.deliveries));
  const all = ((await call(ctx, 'GET', 'deliveries')) as { deliveries?: Delivery[] }).deliveries ?? [];
  const deliveries = all.filter((d) => d.to === to || d.tokenId === to);
  for (const d of deliveries) scope.addSecret(d.code);
  return { body: { count: deliveries.length, deliveries, last: deliveries[deliveries.length - 1] } };
}

async function call(ctx: SimulatorContext, method: 'GET' | 'POST', what: string, payload?: unknown): Promise<unknown> {
  const url = `${ctx.url.replace(/\/+$/, '')}/_simulator/${what}`;
  ctx.transcript.push(
    ctx.scope.redact(`→ ${method} ${url}${payload === undefined ? '' : ' ' + JSON.stringify(payload)}`),
  );
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers: payload === undefined ? {} : { 'Content-Type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal: ctx.signal,
    });
    text = await response.text();
  } catch (e) {
    throw new TransportError(
      'network',
      `The simulator at ${ctx.url} did not answer ${method} /_simulator/${what}: ${(e as Error).message}.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TransportError(
      'not-vip',
      `The simulator answered ${method} /_simulator/${what} with HTTP ${response.status} and no JSON.`,
    );
  }
  // Codes in the answer are secrets before the transcript shows it.
  const otp = (body as { OTP?: unknown }).OTP;
  if (otp !== undefined) ctx.scope.addSecret(otp);
  for (const d of (body as { deliveries?: Delivery[] }).deliveries ?? []) ctx.scope.addSecret(d.code);
  ctx.transcript.push(ctx.scope.redact(`← HTTP ${response.status} ${text}`));
  if (!response.ok) {
    const error = (body as { error?: unknown }).error;
    throw new FlowError(
      ctx.scope.redact(
        `the simulator refused ${method} /_simulator/${what} (HTTP ${response.status}): ${typeof error === 'string' ? error : text}`,
      ),
    );
  }
  return body;
}
