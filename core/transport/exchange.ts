// One attempt at a send: open the request, time its phases, read the response through the steps in
// response.ts, and settle exactly once (response, error, timeout or cancellation, whichever first).
// Whatever a listener throws settles the attempt too: nothing escapes as an uncaught exception.
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { redactValues } from '../redact';
import { TransportError, mapNetworkError } from './errors';
import {
  BodyCollector,
  decodeBody,
  describeError,
  headOf,
  readTlsInfo,
  resultOf,
  responseLogLine,
  timingsOf,
  tooLarge,
  vipStatusOf,
  type Marks,
  type ResponseHead,
} from './response';
import type { SendPlan, SendResult, TlsInfo } from './sendTypes';

/** A reused keep-alive connection failed before any response: the caller sends again. */
export class StaleConnection extends Error {
  constructor(readonly mapped: TransportError) {
    super(mapped.message);
  }
}

type Outcome = TransportError | StaleConnection;

/** The state of one attempt and the one way it settles. */
class Attempt {
  readonly t0 = performance.now();
  readonly marks: Marks = {};
  readonly req: http.ClientRequest;
  /** Why the attempt was stopped (timeout, cancel, size): the request's own error then says less. */
  abortReason?: TransportError;
  private settled = false;
  private readonly cleanups: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () =>
    this.abort(
      new TransportError(
        'cancelled',
        'The request was cancelled; the connection was closed. The service may still have processed it if it had arrived.',
      ),
    );

  constructor(
    readonly plan: SendPlan,
    deadline: number,
    private readonly resolve: (r: SendResult) => void,
    private readonly reject: (e: Outcome) => void,
  ) {
    const { target, timeoutMs } = plan;
    // First: a request Node refuses to build throws here, before any timer or listener exists.
    this.req = openRequest(plan);
    this.timer = setTimeout(
      () =>
        this.abort(
          new TransportError(
            'timeout',
            `No complete response from ${target.host}:${target.port} within ${timeoutMs / 1000} s. The service may be slow or unreachable: check the URL, then retry or raise the timeout (environment "timeoutMs", CLI --timeout).`,
          ),
        ),
      Math.max(0, deadline - performance.now()),
    );
    plan.options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get done(): boolean {
    return this.settled;
  }

  /** Runs `cleanup` if the attempt fails (e.g. stop writing a spill file). */
  onFailure(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  finish(err: Outcome | undefined, result?: SendResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.plan.options.signal?.removeEventListener('abort', this.onAbort);
    if (!err) return this.resolve(result!);
    for (const cleanup of this.cleanups) cleanup();
    if (err instanceof TransportError) {
      err.message = redactValues(err.message, this.plan.secrets);
      this.plan.log(`✗ ${err.message}`);
    }
    this.reject(err);
  }

  /** Stops the request (closing its connection) and settles with `err`. */
  abort(err: TransportError): void {
    this.abortReason ??= err;
    this.req.destroy(err);
    this.finish(err);
  }

  /** Wraps a listener: what it throws settles the attempt (by `fail`) instead of escaping. */
  guard<A extends unknown[]>(
    step: string,
    listener: (...args: A) => void,
    fail = (e: TransportError) => this.abort(e),
  ): (...args: A) => void {
    return (...args: A) => {
      try {
        listener(...args);
      } catch (e) {
        fail(e instanceof TransportError ? e : unexpectedFailure(step, e, this.plan));
      }
    };
  }
}

function openRequest(plan: SendPlan): http.ClientRequest {
  const { request, env, material, secureContext, options } = plan;
  const isHttps = request.url.protocol === 'https:';
  const reqOptions: https.RequestOptions = {
    method: 'POST',
    headers: { ...request.headers, 'Content-Length': Buffer.byteLength(request.body) },
    agent: options.agents?.get(env, request.url.protocol, material) ?? false,
    // The certificate, key and CA stay on the options (a proxy agent may build its own connection).
    ...(isHttps ? { ...material.options, ...(secureContext ? { secureContext } : {}) } : {}),
  };
  try {
    return (isHttps ? https : http).request(request.url, reqOptions);
  } catch (e) {
    // Node checks the headers synchronously: an environment's "headers" may break its rules.
    throw new TransportError(
      'usage',
      `The request could not be sent: ${describeError(e)}. Check the environment's "headers": names are HTTP tokens (letters, digits, -), values have no line breaks.`,
      { code: (e as NodeJS.ErrnoException).code },
    );
  }
}

/** Marks DNS, connect and TLS of a new connection (a reused one has none). */
function markPhases(attempt: Attempt, socket: net.Socket): void {
  if (attempt.req.reusedSocket) return;
  const { marks } = attempt;
  socket.once('lookup', () => (marks.lookup = performance.now()));
  socket.once('connect', () => (marks.connect = performance.now()));
  socket.once('secureConnect', () => (marks.secure = performance.now()));
}

function requestFailure(attempt: Attempt, e: Error): Outcome {
  const { plan, req, marks, abortReason } = attempt;
  const code = (e as NodeJS.ErrnoException).code;
  const mapped = () => mapNetworkError(e, plan.target, plan.netContext);
  if (!abortReason && req.reusedSocket && marks.response === undefined && (code === 'ECONNRESET' || code === 'EPIPE'))
    return new StaleConnection(mapped());
  return abortReason ?? mapped();
}

/** A failure no step expected (a bug here, or in a library): said plainly instead of lost. */
function unexpectedFailure(step: string, e: unknown, plan: SendPlan): TransportError {
  return new TransportError(
    'internal',
    `Sending to ${plan.target.host}:${plan.target.port} failed unexpectedly while ${step} (${describeError(e)}). The service may have processed the request. This is a bug in VIP API Workbench: please report it with this message.`,
    { code: (e as NodeJS.ErrnoException | undefined)?.code },
  );
}

function closedEarly(plan: SendPlan, head: ResponseHead, e: Error): TransportError {
  const code = (e as NodeJS.ErrnoException).code;
  return new TransportError(
    'network',
    `The connection to ${plan.target.host}:${plan.target.port} closed before the whole response arrived (HTTP ${head.status}; ${code ?? e.message}). Retry; if it keeps happening, check a proxy or load balancer in between.`,
    { code, status: head.status, contentType: head.contentType },
  );
}

function onResponse(attempt: Attempt, res: http.IncomingMessage): void {
  const { plan } = attempt;
  attempt.marks.response = performance.now();
  const tlsInfo = readTlsInfo(res.socket as tls.TLSSocket, plan.request.url.protocol === 'https:');
  const head = headOf(res);
  if (!plan.options.spillDir && Number.isFinite(head.declaredLength) && head.declaredLength > plan.cap) {
    attempt.abort(tooLarge(head, plan.cap, `${head.declaredLength} bytes announced`));
    return;
  }
  const body = new BodyCollector(head, plan.cap, plan.options.spillDir, (e) => attempt.abort(e));
  attempt.onFailure(() => body.discard());
  res.on(
    'data',
    attempt.guard('receiving the response', (chunk: Buffer) => body.add(chunk)),
  );
  // After an error or a complete body a failure needs no abort (the connection is gone, or stays usable).
  const settle = (e: TransportError) => attempt.finish(e);
  res.on(
    'error',
    attempt.guard(
      'handling a broken response',
      (e: Error) => attempt.finish(attempt.abortReason ?? closedEarly(plan, head, e)),
      settle,
    ),
  );
  res.on(
    'end',
    attempt.guard(
      'reading the response body',
      () => {
        if (attempt.done) return;
        const end = performance.now();
        const text = body.end(settle);
        if (text !== undefined) attempt.finish(undefined, completeResult(attempt, head, tlsInfo, text, end));
      },
      settle,
    ),
  );
}

/** The body → decoded JSON → VIP status → result, and its log line. */
function completeResult(
  attempt: Attempt,
  head: ResponseHead,
  tlsInfo: TlsInfo | undefined,
  text: string,
  end: number,
): SendResult {
  const { plan } = attempt;
  const json = decodeBody(text, head, plan.request);
  const vip = vipStatusOf(json, text, head);
  const timings = timingsOf(attempt.marks, attempt.t0, end);
  const result = resultOf(
    plan,
    { head, timings, reusedConnection: attempt.req.reusedSocket, tls: tlsInfo },
    text,
    json,
    vip,
  );
  plan.log(responseLogLine(result, vip.message));
  return result;
}

/** One attempt: resolves with the VIP result, rejects with a TransportError or a StaleConnection. */
export function sendOnce(plan: SendPlan, deadline: number): Promise<SendResult> {
  return new Promise<SendResult>((resolve, reject) => {
    const attempt = new Attempt(plan, deadline, resolve, reject);
    const { req } = attempt;
    const settle = (e: TransportError) => attempt.finish(e);
    req.on(
      'socket',
      attempt.guard('opening the connection', (socket: net.Socket) => markPhases(attempt, socket)),
    );
    req.on(
      'error',
      attempt.guard('handling a connection error', (e: Error) => attempt.finish(requestFailure(attempt, e)), settle),
    );
    req.on(
      'response',
      attempt.guard('reading the response headers', (res: http.IncomingMessage) => onResponse(attempt, res)),
    );
    req.end(plan.request.body);
  });
}
