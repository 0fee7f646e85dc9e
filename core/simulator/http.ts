// The simulator's HTTP server: the REST wire (`POST /<operation-in-kebab-case>` with
// `{"<Op>Request": {…}}`, answered with a VIP response document whatever the input), the SOAP wire
// (/mgmt/soap, /val/soap, /prov/soap) and the control API (/_simulator/). Optional TLS with
// client-certificate checks (4e02, 4e0b). Each request goes through the named steps of `handler`.
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { isLoopbackHost } from '../loopback';
import { answerControl, ControlAccess, CONTROL_PREFIX, SimulatorControl, type ClockReading } from './control';
import {
  contentTypeOf,
  decodeUtf8,
  Exchange,
  MAX_LATENCY_MS,
  normalizeSerial,
  RawBody,
  readBody,
  refuseClientCertificate,
  refuseHttpVersion,
  requestFault,
  type RequestFault,
  type Wire,
} from './exchange';
import { SimClock } from './ledger';
import { FAULT_CODES, VipService, type CallContext, type Delivery } from './service';
import { describeService, isDescriptionRequest } from './serviceDescription';
import { looksLikeSoap, misroutedSoap, soapExchange } from './soapWire';
import { checkState, demoState, loadStateFile, saveStateFile, type SimToken, type SimulatorState } from './state';

export { FAULT_HEADER, LATENCY_HEADER, normalizeSerial } from './exchange';

export interface SimulatorOptions {
  /** Default 127.0.0.1. Plain HTTP is refused on a host that is not loopback. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** A state file path or a state object; default: the built-in demo state. */
  state?: string | SimulatorState;
  /** Write state changes back to the state file (atomically: temp file + rename). */
  persist?: boolean;
  /** PEM contents. With `clientCa`, every request must carry a client certificate signed by it. */
  tls?: { cert: string | Buffer; key: string | Buffer; clientCa?: string | Buffer; revokedSerials?: string[] };
  /** A fixed clock (ISO date-time) or a clock function. */
  now?: string | (() => Date);
  /** One line per request: operation, token, reason code, milliseconds. Never secrets. */
  log?: (line: string) => void;
  /** Answer every request with this fault: 4879 (unavailable) or 4e01 (internal error). */
  fault?: '4879' | '4e01';
  /** Delay every response by this many milliseconds. */
  latencyMs?: number;
  /** Largest request body accepted (default 1 MiB); beyond: 4e00. */
  maxBodyBytes?: number;
  /** Time allowed to receive a whole request body (default 10 s); beyond: 4e00. */
  requestTimeoutMs?: number;
  /** Take what the SOAP wire can read, as before production strictness (docs/simulator.md); default false. */
  lenient?: boolean;
  /** Serve the control API under /_simulator/ (default true); off: 404 there. */
  control?: boolean;
  /** Besides loopback, the IP addresses and CIDR subnets allowed to use the control API (others: 403). */
  controlFrom?: string[];
  /** Time allowed to receive the request headers (default 20 s); beyond: HTTP 400 with 4e00, and the connection is closed. */
  headersTimeoutMs?: number;
}

export interface RunningSimulator {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
  /** A deep copy of the current state. */
  state(): SimulatorState;
  token(id: string): SimToken | undefined;
  /** Codes and messages "sent" to phones, oldest first. */
  deliveries(): Delivery[];
  /** The code a TOTP/HOTP credential shows `offsetSteps` steps/counters from now (default: the next accepted one). */
  otp(tokenId: string, offsetSteps?: number): string | undefined;
  /** Back to the state the simulator started with (deliveries and transactions forgotten, the clock as at start). */
  reset(): void;
  /** `{now: ISO}` or `{advance: 'PT30S'}`: the clock stops there until the next change or reset. */
  setClock(change: { now: string } | { advance: string }): ClockReading;
  /** Loads a state, checked like a state file (throws with the problems). */
  loadState(state: SimulatorState): void;
  setFault(code: '4879' | '4e01' | undefined): void;
  setLatency(ms: number): void;
  /** The wire-independent service (for other wires such as SOAP). */
  service: VipService;
  now(): Date;
}

/** What the requests of one running simulator change or read besides the service. */
interface Runtime {
  wire: Wire;
  now: () => Date;
  fault?: '4879' | '4e01';
  latencyMs: number;
  /** Writes the state file after a change (with --persist). */
  persist: () => void;
  control: SimulatorControl;
  /** Who may use the control API; undefined when it is off. */
  controlAccess?: ControlAccess;
  /** Served over TLS: the served WSDL's address is https. */
  https: boolean;
}

function clockOf(now: SimulatorOptions['now']): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  const fixed = Date.parse(now);
  if (Number.isNaN(fixed))
    throw new Error(`now must be an ISO date-time, e.g. 2026-01-01T00:00:00Z; got ${JSON.stringify(now)}`);
  return () => new Date(fixed);
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!options.tls && !isLoopbackHost(host))
    throw new Error(
      `refusing plain HTTP on ${host}, which is not a loopback address: use TLS (--tls --cert --key) or 127.0.0.1`,
    );
  const runtime = createRuntime(options);
  const server = createServer(options, handler(runtime), runtime.wire.service);
  await listen(server, host, options.port ?? 0, runtime.wire.log);
  const port = (server.address() as net.AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  return runningSimulator(url, host, port, server, runtime);
}

function initialState(options: SimulatorOptions): SimulatorState {
  if (options.state === undefined) return demoState();
  return typeof options.state === 'string'
    ? loadStateFile(options.state)
    : checkState(structuredClone(options.state), 'state option');
}

function createRuntime(options: SimulatorOptions): Runtime {
  const stateFile = typeof options.state === 'string' ? options.state : undefined;
  if (options.persist && !stateFile) throw new Error('persist needs a state file path (--state FILE)');
  checkFault(options.fault);
  const clock = new SimClock(clockOf(options.now));
  const service = new VipService(initialState(options), { trackChanges: !!options.persist, clock });
  const log = options.log ?? (() => {});
  const persist = () => {
    if (!options.persist || !stateFile) return;
    try {
      saveStateFile(stateFile, service.state);
    } catch (e) {
      log(`${new Date().toISOString()} cannot write state file ${stateFile}: ${(e as Error).message}`);
    }
  };
  const wire: Wire = {
    service,
    log,
    timers: new Set(),
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    bodyTimeoutMs: options.requestTimeoutMs ?? 10_000,
    strict: !options.lenient,
    clientCertificates: options.tls?.clientCa
      ? { revoked: new Set((options.tls.revokedSerials ?? []).map(normalizeSerial)) }
      : undefined,
  };
  const control = new SimulatorControl(service.ledger, clock, persist);
  const controlAccess = options.control === false ? undefined : new ControlAccess(options.controlFrom);
  return {
    wire,
    now: () => clock.now(),
    fault: options.fault,
    latencyMs: options.latencyMs ?? 0,
    persist,
    control,
    controlAccess,
    https: !!options.tls,
  };
}

const NO_BODY = Buffer.alloc(0);

/** One request: transport checks, then the control API or a VIP operation on its wire. */
function handler(runtime: Runtime): http.RequestListener {
  return (req, res) => {
    const ex = new Exchange(req, res, runtime.wire);
    // A SOAP client gets SOAP back whatever the path, even a refusal before the body is read.
    if (looksLikeSoap(contentTypeOf(req), NO_BODY)) ex.answerAsSoap();
    if (refuseHttpVersion(ex) || refuseClientCertificate(ex)) return;
    if (ex.path.startsWith(CONTROL_PREFIX)) {
      if (runtime.controlAccess) return answerControl(ex, runtime.control, runtime.controlAccess);
      return ex.refuse(
        '4e10',
        `No VIP operation is served at ${ex.path}: the simulator's control API is off (--no-control).`,
        {},
        404,
      );
    }
    if (answerServiceDescription(ex, runtime.https)) return;
    if (req.method !== 'POST')
      return ex.refuse('4e10', `Use POST${ex.op ? ` to call ${ex.op.name}` : ''}.`, { Allow: 'POST' }, 405);
    const call = requestFault(req, runtime.latencyMs);
    readBody(ex, (body) => (ex.soapPath !== undefined ? answerSoap : answerRest)(ex, body, call, runtime));
  };
}

/** `GET <soap path>?wsdl` or `?xsd=…`: the WSDL and XSD of what this path serves. True when answered. */
function answerServiceDescription(ex: Exchange, https: boolean): boolean {
  const { req } = ex;
  if (
    ex.soapPath === undefined ||
    (req.method !== 'GET' && req.method !== 'HEAD') ||
    !isDescriptionRequest(ex.url.searchParams)
  )
    return false;
  req.resume();
  const d = describeService(ex.soapPath, ex.url.searchParams, {
    https,
    hostHeader: req.headers.host,
    localAddress: req.socket.localAddress,
    localPort: req.socket.localPort,
  });
  ex.send(d.status, new RawBody(d.text, d.contentType), { operation: 'wsdl', code: String(d.status) });
  return true;
}

function callContext(call: RequestFault, runtime: Runtime): CallContext {
  return { now: runtime.now(), fault: call.fault ?? runtime.fault, refuse: call.refuse };
}

function answerRest(ex: Exchange, body: Buffer, call: RequestFault, runtime: Runtime): void {
  if (looksLikeSoap(contentTypeOf(ex.req), body)) return answerMisroutedSoap(ex, body, runtime);
  if (!ex.op)
    return ex.vipError(
      '4e10',
      `No VIP operation is served at ${ex.path}. Operations are served at /<operation-in-kebab-case>, e.g. /deactivate-token, or as SOAP at /mgmt/soap, /val/soap and /prov/soap.`,
    );
  const type = contentTypeOf(ex.req, 'application/json');
  if (type !== 'application/json' && !type.endsWith('+json'))
    return ex.vipError('4e00', `Content-Type must be application/json, not ${type}.`);
  const text = decodeUtf8(ex, body);
  if (text === undefined) return;
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return ex.vipError('4e00', jsonProblem(e as Error));
  }
  const result = runtime.wire.service.handle(ex.op.name, document, callContext(call, runtime));
  if (result.changed) runtime.persist();
  ex.send(
    200,
    result.response,
    { operation: result.operation, tokenId: result.tokenId, code: result.reasonCode },
    {},
    call.delayMs,
  );
}

/** SOAP on a path that serves none: a SOAP answer all the same, never JSON. */
function answerMisroutedSoap(ex: Exchange, body: Buffer, runtime: Runtime): void {
  ex.answerAsSoap();
  const text = decodeUtf8(ex, body);
  if (text === undefined) return;
  const answer = misroutedSoap(runtime.wire.service, ex.path, text, runtime.wire.strict);
  ex.send(answer.status, new RawBody(answer.xml, 'text/xml; charset=utf-8'), {
    operation: answer.operation,
    code: answer.code,
  });
}

function answerSoap(ex: Exchange, body: Buffer, call: RequestFault, runtime: Runtime): void {
  const text = decodeUtf8(ex, body);
  if (text === undefined) return;
  const answer = soapExchange(
    runtime.wire.service,
    ex.soapPath!,
    String(ex.req.headers['content-type'] ?? ''),
    text,
    callContext(call, runtime),
    runtime.wire.strict,
  );
  if (answer.changed) runtime.persist();
  ex.send(
    answer.status,
    new RawBody(answer.xml, 'text/xml; charset=utf-8'),
    { operation: answer.operation, tokenId: answer.tokenId, code: answer.code },
    {},
    call.delayMs,
  );
}

function createServer(options: SimulatorOptions, listener: http.RequestListener, service: VipService): http.Server {
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  // Node checks the headers timeout only this often (its default is 30 s).
  const timing = { connectionsCheckingInterval: Math.min(30_000, headersTimeout) };
  const server: http.Server = options.tls
    ? https.createServer(
        {
          ...timing,
          cert: options.tls.cert,
          key: options.tls.key,
          minVersion: 'TLSv1.2',
          ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
        },
        listener,
      )
    : http.createServer(timing, listener);
  // Our own body timer answers slow clients with a VIP response; Node's timer would send a bare 408.
  server.requestTimeout = 0;
  server.headersTimeout = headersTimeout;
  server.keepAliveTimeout = 5_000;
  // Not even HTTP: still a VIP body, so that clients parsing the answer get 4e00.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // The client hung up in the middle of its request: nobody is left to answer.
    if (!socket.writable || err.code === 'HPE_INVALID_EOF_STATE' || err.code === 'ECONNRESET') return socket.destroy();
    const text = JSON.stringify(service.reply(undefined, undefined, '4e00', {}, 'The request is not valid HTTP/1.1.'));
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  });
  return server;
}

function listen(server: http.Server, host: string, port: number, log: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (e.code === 'EADDRINUSE')
        reject(new Error(`cannot listen on ${where}: the port is in use; choose another port, or 0 for a free one`));
      else if (e.code === 'EADDRNOTAVAIL')
        reject(new Error(`cannot listen on ${where}: no network interface has that address`));
      else if (e.code === 'EACCES')
        reject(new Error(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`));
      else reject(e);
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      server.on('error', (e) => log(`${new Date().toISOString()} server error: ${e.message}`));
      resolve();
    });
  });
}

function runningSimulator(
  url: string,
  host: string,
  port: number,
  server: http.Server,
  runtime: Runtime,
): RunningSimulator {
  const { service, timers } = runtime.wire;
  const now = () => runtime.now();
  return {
    url,
    host,
    port,
    service,
    now,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    state: () => runtime.control.state(),
    token: (id) => structuredClone(service.state.tokens.find((t) => t.id === id)),
    deliveries: () => runtime.control.deliveries(),
    otp: (tokenId, offsetSteps) => runtime.control.otp(tokenId, offsetSteps),
    reset: () => runtime.control.reset(),
    setClock: (change) => runtime.control.setClock(change),
    loadState: (state) => runtime.control.loadState(state),
    setFault: (code) => {
      checkFault(code);
      runtime.fault = code;
    },
    setLatency: (ms) => {
      if (!(ms >= 0 && ms <= MAX_LATENCY_MS)) throw new Error(`latency must be 0 to ${MAX_LATENCY_MS} ms`);
      runtime.latencyMs = ms;
    },
  };
}

/** Where JSON.parse gave up, without the text around it (V8 quotes the body, which may hold a code). */
function jsonProblem(e: Error): string {
  const at = /position (\d+)/.exec(e.message)?.[1];
  if (at !== undefined) return `The request body is not valid JSON (at character ${at}).`;
  return /end of JSON/i.test(e.message)
    ? 'The request body is not valid JSON: it ends too early.'
    : 'The request body is not valid JSON.';
}

function checkFault(code: string | undefined): void {
  if (code !== undefined && !(FAULT_CODES as readonly string[]).includes(code))
    throw new Error(`fault must be ${FAULT_CODES.join(' or ')}, not ${code}`);
}
