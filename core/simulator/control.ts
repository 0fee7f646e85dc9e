// The control API: what a test asks of the running simulator (reset, clock, state, codes,
// deliveries). The same operations serve HTTP under /_simulator/ and the TypeScript API
// (RunningSimulator); the CLI calls the HTTP side (cli/simulatorControl.ts).
import * as net from 'node:net';
import { isoDurationMs } from '../isoDuration';
import { codeFor, nextCodeFor } from './codes';
import { readBody, type Exchange } from './exchange';
import type { Delivery } from './handlerTypes';
import type { SimClock, TokenLedger } from './ledger';
import { checkState, type SimulatorState } from './state';

export const CONTROL_PREFIX = '/_simulator/';

/** A control request that cannot be done: the HTTP status and a message. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `isoDurationMs`, or a 400 that names the accepted form. */
export function parseDuration(text: string): number {
  const ms = isoDurationMs(text);
  if (ms === undefined) {
    throw new ControlError(
      400,
      `advance takes an ISO 8601 duration such as PT30S, PT5M or P1DT2H (weeks, days, hours, minutes, seconds), not ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

export interface ClockReading {
  now: string;
  /** Set or advanced through the control API (else the start clock runs). */
  frozen: boolean;
}

/** The control operations on one running simulator. */
export class SimulatorControl {
  private readonly initial: SimulatorState;

  constructor(
    private readonly ledger: TokenLedger,
    private readonly clock: SimClock,
    private readonly changed: () => void,
  ) {
    this.initial = structuredClone(ledger.state);
  }

  /** Back to the state the simulator started with; deliveries and transactions are forgotten, the clock runs as at start. */
  reset(): void {
    this.ledger.replace(structuredClone(this.initial));
    this.clock.reset();
    this.changed();
  }

  readClock(): ClockReading {
    return { now: this.clock.now().toISOString(), frozen: this.clock.frozen };
  }

  /** `{"now": ISO}` or `{"advance": "PT30S"}`: the clock stops there (frozen) until the next change or reset. */
  setClock(body: unknown): ClockReading {
    const { now, advance, ...rest } = (
      typeof body === 'object' && body !== null && !Array.isArray(body) ? body : { invalid: true }
    ) as Record<string, unknown>;
    if (Object.keys(rest).length || (now === undefined) === (advance === undefined)) {
      throw new ControlError(
        400,
        'The clock takes {"now": "<ISO date-time>"} or {"advance": "<ISO 8601 duration, e.g. PT30S>"}.',
      );
    }
    if (now !== undefined) {
      const at = typeof now === 'string' && /^\d{4}-\d\d-\d\dT/.test(now) ? Date.parse(now) : NaN;
      if (Number.isNaN(at))
        throw new ControlError(
          400,
          `now takes an ISO date-time such as 2026-06-01T12:00:00Z, not ${JSON.stringify(now)}`,
        );
      this.clock.set(new Date(at));
    } else {
      if (typeof advance !== 'string')
        throw new ControlError(400, 'advance takes an ISO 8601 duration as a string, e.g. "PT30S".');
      this.clock.advance(parseDuration(advance));
    }
    return this.readClock();
  }

  state(): SimulatorState {
    return structuredClone(this.ledger.state);
  }

  /** Loads a state, checked like a state file; deliveries and transactions are forgotten. */
  loadState(value: unknown): void {
    let state: SimulatorState;
    try {
      state = checkState(structuredClone(value), 'the state');
    } catch (e) {
      throw new ControlError(400, (e as Error).message);
    }
    this.ledger.replace(state);
    this.changed();
  }

  /** The code a TOTP/HOTP credential shows `offset` steps away, or the next one it accepts. */
  otp(tokenId: string, offset?: number): string | undefined {
    const now = this.clock.now();
    return offset === undefined
      ? nextCodeFor(this.ledger.state, tokenId, now)
      : codeFor(this.ledger.state, tokenId, now, offset);
  }

  deliveries(): Delivery[] {
    return structuredClone(this.ledger.deliveries);
  }
}

/** Who may use the control API over HTTP: loopback, and the addresses and subnets of --control-from. */
export class ControlAccess {
  private readonly allowed = new net.BlockList();

  /** `from`: IP addresses or CIDR subnets (`10.0.0.0/8`, `::1`, `192.168.1.20`). */
  constructor(from: readonly string[] = []) {
    this.allowed.addSubnet('127.0.0.0', 8, 'ipv4');
    this.allowed.addAddress('::1', 'ipv6');
    for (const entry of from) {
      const [address, bits, extra] = entry.trim().split('/');
      const type = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
      const prefix = bits === undefined ? undefined : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (!type || extra !== undefined || Number.isNaN(prefix) || (prefix ?? 0) > (type === 'ipv4' ? 32 : 128)) {
        throw new Error(
          `control-from takes IP addresses or CIDR subnets such as 10.0.0.0/8 or 192.168.1.20, not ${JSON.stringify(entry)}`,
        );
      }
      if (prefix === undefined) this.allowed.addAddress(address, type);
      else this.allowed.addSubnet(address, prefix, type);
    }
  }

  allows(remoteAddress: string | undefined): boolean {
    if (!remoteAddress) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress)?.[1];
    if (mapped) return this.allowed.check(mapped, 'ipv4');
    return this.allowed.check(remoteAddress, net.isIPv4(remoteAddress) ? 'ipv4' : 'ipv6');
  }
}

type Route = { methods: string[]; run: (ex: Exchange, control: SimulatorControl, body: unknown) => unknown };

const ROUTES: Record<string, Route> = {
  reset: { methods: ['POST'], run: (_ex, c) => (c.reset(), { reset: true, ...c.readClock() }) },
  clock: {
    methods: ['GET', 'POST'],
    run: (ex, c, body) => (ex.req.method === 'POST' ? c.setClock(body) : c.readClock()),
  },
  state: {
    methods: ['GET', 'PUT'],
    run: (ex, c, body) =>
      ex.req.method === 'PUT' ? (c.loadState(body), { loaded: true, tokens: c.state().tokens.length }) : c.state(),
  },
  deliveries: { methods: ['GET'], run: (_ex, c) => ({ deliveries: c.deliveries() }) },
  otp: { methods: ['GET'], run: otpRoute },
};

function otpRoute(ex: Exchange, control: SimulatorControl): unknown {
  let tokenId: string;
  try {
    tokenId = decodeURIComponent(ex.path.slice(`${CONTROL_PREFIX}otp/`.length));
  } catch {
    throw new ControlError(400, 'The TokenId in the path is not valid percent-encoding.');
  }
  const offset = ex.url.searchParams.get('offset');
  if (offset !== null && !/^-?\d{1,6}$/.test(offset))
    throw new ControlError(400, `offset takes a whole number, not ${JSON.stringify(offset)}`);
  const code = tokenId ? control.otp(tokenId, offset === null ? undefined : Number(offset)) : undefined;
  if (code === undefined) {
    throw new ControlError(
      404,
      `No TOTP/HOTP code for ${tokenId}${offset !== null ? ` at offset ${offset}` : ''}: unknown token, no OATH secret, or every code in the validation window is used.`,
    );
  }
  return { TokenId: tokenId, OTP: code, time: control.readClock().now };
}

/** One request under /_simulator/: access, route, method, body, answer. */
export function answerControl(ex: Exchange, control: SimulatorControl, access: ControlAccess): void {
  const fail = (status: number, error: string, headers: Record<string, string> = {}) => (
    ex.req.resume(),
    ex.send(status, { error }, { code: String(status) }, headers)
  );
  if (!access.allows(ex.req.socket.remoteAddress))
    return fail(403, 'The control API answers loopback callers only; allow others with --control-from.');
  const rest = ex.path.slice(CONTROL_PREFIX.length);
  const name = rest.startsWith('otp/') ? 'otp' : rest === 'otp' ? '' : rest;
  const route = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
  if (!route)
    return fail(
      404,
      `Unknown simulator endpoint. Try ${Object.keys(ROUTES)
        .map((r) => `${CONTROL_PREFIX}${r}${r === 'otp' ? '/<TokenId>' : ''}`)
        .join(', ')}.`,
    );
  const methods = route.methods.includes('GET') ? [...route.methods, 'HEAD'] : route.methods;
  if (!methods.includes(ex.req.method ?? ''))
    return fail(405, `${ex.path} answers ${methods.join(', ')}.`, { Allow: methods.join(', ') });
  const run = (body: unknown) => {
    try {
      ex.send(200, route.run(ex, control, body), { operation: name });
    } catch (e) {
      if (!(e instanceof ControlError)) throw e;
      ex.send(e.status, { error: e.message }, { operation: name, code: String(e.status) });
    }
  };
  if (ex.req.method !== 'POST' && ex.req.method !== 'PUT') return (ex.req.resume(), run(undefined));
  readBody(ex, (bytes) => {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      // Not V8's message: it quotes the body, which may hold secrets.
      return ex.send(400, { error: 'The body is not valid JSON.' }, { operation: name, code: '400' });
    }
    run(body);
  });
}
