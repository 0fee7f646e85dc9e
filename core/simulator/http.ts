// The REST wire: `POST /<operation-in-kebab-case>` with `{"<Op>Request": {…}}`, answered with a VIP
// response document whatever the input. Optional TLS with client-certificate checks (4e02, 4e0b).
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { getOperationByRestName } from '../data/catalog';
import { isLoopbackHost } from '../loopback';
import { codeFor, nextCodeFor } from './codes';
import { FAULT_CODES, VipService, type Delivery } from './service';
import { describeService, isDescriptionRequest } from './serviceDescription';
import { soapDocument, soapExchange, SOAP_ROUTE } from './soapWire';
import { checkState, demoState, loadStateFile, saveStateFile, type SimToken, type SimulatorState } from './state';

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
  setFault(code: '4879' | '4e01' | undefined): void;
  setLatency(ms: number): void;
  /** The wire-independent service (for other wires such as SOAP). */
  service: VipService;
  now(): Date;
}

/** Request headers that trigger behaviour for one request. */
export const FAULT_HEADER = 'x-vip-simulator-fault';
export const LATENCY_HEADER = 'x-vip-simulator-latency';
const ADMIN_PREFIX = '/_simulator/';
const MAX_LATENCY_MS = 60_000;
/** After a too-large body has been answered, how much more of it is read and dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;


function clockOf(now: SimulatorOptions['now']): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  const fixed = Date.parse(now);
  if (Number.isNaN(fixed)) throw new Error(`now must be an ISO date-time, e.g. 2026-01-01T00:00:00Z; got ${JSON.stringify(now)}`);
  return () => new Date(fixed);
}

/** Serial numbers compare as upper-case hex without leading zeros, colons or 0x. */
export function normalizeSerial(serial: string): string {
  return serial.trim().replace(/^0x/i, '').replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '');
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!options.tls && !isLoopbackHost(host)) throw new Error(`refusing plain HTTP on ${host}, which is not a loopback address: use TLS (--tls --cert --key) or 127.0.0.1`);
  const stateFile = typeof options.state === 'string' ? options.state : undefined;
  if (options.persist && !stateFile) throw new Error('persist needs a state file path (--state FILE)');
  const initial = options.state === undefined ? demoState() : typeof options.state === 'string' ? loadStateFile(options.state) : checkState(structuredClone(options.state), 'state option');
  const service = new VipService(initial, { trackChanges: !!options.persist });
  const now = clockOf(options.now);
  const log = options.log ?? (() => {});
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const bodyTimeout = options.requestTimeoutMs ?? 10_000;
  const revoked = new Set((options.tls?.revokedSerials ?? []).map(normalizeSerial));
  const requireClientCert = !!options.tls?.clientCa;
  let fault = options.fault;
  let latency = options.latencyMs ?? 0;
  checkFault(fault);
  const timers = new Set<NodeJS.Timeout>();

  const persist = () => {
    if (!options.persist || !stateFile) return;
    try {
      saveStateFile(stateFile, service.state);
    } catch (e) {
      log(`${new Date().toISOString()} cannot write state file ${stateFile}: ${(e as Error).message}`);
    }
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const path = url.pathname;
    // /mgmt/soap, /val/soap, /prov/soap: the same service over SOAP 1.1; answers are XML there.
    const soapPath = SOAP_ROUTE.exec(path)?.[1];
    let finished = false;

    /** `body` is a VIP response document (written as JSON, or as SOAP on a SOAP route) or ready XML. */
    const send = (status: number, body: unknown, meta: { operation?: string; tokenId?: string; code?: string }, headers: Record<string, string> = {}, delayMs = 0) => {
      if (finished) return;
      finished = true;
      const write = () => {
        if (res.destroyed) return;
        const xml = soapPath !== undefined && !path.startsWith(ADMIN_PREFIX);
        const text = typeof body === 'object' && body !== null && 'soapXml' in body ? String((body as { soapXml: string }).soapXml) : xml ? soapDocument(body) : JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': xml ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
        res.end(req.method === 'HEAD' ? undefined : text);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log(`${new Date().toISOString()} ${req.method} ${printable(path)} ${meta.operation ?? '-'} token=${printable(meta.tokenId ?? '-')} ${meta.code ?? status} ${ms.toFixed(1)}ms`);
      };
      if (delayMs > 0) {
        const t = setTimeout(() => {
          timers.delete(t);
          write();
        }, delayMs);
        timers.add(t);
      } else write();
    };
    const vipError = (code: string, detail: string, extra: Record<string, string> = {}, status = 200, operation?: string) =>
      send(status, service.reply(operation, undefined, code, {}, detail), { operation, code }, extra);

    const op = getOperationByRestName(path.replace(/^\//, ''));
    // Node reads a request line without a version as HTTP/0.9; VIP speaks HTTP/1.1.
    if (req.httpVersionMajor !== 1) {
      req.resume();
      return vipError('4e00', `HTTP/${req.httpVersion} is not supported: send HTTP/1.1.`, { Connection: 'close' }, 400, op?.name);
    }

    // Transport checks first: in mTLS mode nothing is served to an unknown caller.
    if (requireClientCert) {
      const socket = req.socket as TLSSocket;
      const cert = socket.getPeerCertificate?.();
      const refuse = (code: string, detail: string) => {
        req.resume();
        vipError(code, detail, { Connection: 'close' }, 200, op?.name);
      };
      if (!cert || !cert.raw) return refuse('4e02', 'No client certificate: send your VIP certificate.');
      if (!socket.authorized) return refuse('4e02', `The client certificate was not accepted (${String(socket.authorizationError)}).`);
      if (revoked.has(normalizeSerial(cert.serialNumber))) return refuse('4e0b', `The client certificate (serial ${cert.serialNumber}) is revoked.`);
    }

    if (path.startsWith(ADMIN_PREFIX)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return vipError('4e10', `${path} answers GET only.`, { Allow: 'GET, HEAD' }, 405);
      req.resume();
      return admin(path.slice(ADMIN_PREFIX.length), url.searchParams, send);
    }
    if (soapPath !== undefined && (req.method === 'GET' || req.method === 'HEAD') && isDescriptionRequest(url.searchParams)) {
      req.resume();
      const d = describeService(soapPath, url.searchParams, { https: !!options.tls, hostHeader: req.headers.host, localAddress: req.socket.localAddress, localPort: req.socket.localPort });
      return send(d.status, { soapXml: d.text }, { operation: 'wsdl', code: String(d.status) }, { 'Content-Type': d.contentType });
    }
    if (req.method !== 'POST') {
      req.resume();
      return vipError('4e10', `Use POST${op ? ` to call ${op.name}` : ''}.`, { Allow: 'POST' }, 405, op?.name);
    }

    const requestFault = req.headers[FAULT_HEADER];
    const requestLatency = Number(req.headers[LATENCY_HEADER] ?? 0);
    const delay = Math.min(MAX_LATENCY_MS, latency + (Number.isFinite(requestLatency) && requestLatency > 0 ? requestLatency : 0));
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      vipError('4e00', `The request body did not arrive within ${bodyTimeout} ms.`, { Connection: 'close' }, 200, op?.name);
      res.once('finish', () => req.destroy());
    }, bodyTimeout);
    timers.add(timer);
    const done = () => {
      clearTimeout(timer);
      timers.delete(timer);
    };
    let draining = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (draining) {
        if (size > maxBody + MAX_DRAIN_BYTES) req.destroy();
        return;
      }
      if (finished) return;
      if (size > maxBody) {
        done();
        chunks.length = 0;
        // Answer at once, then read and drop the rest of the body (within limits): closing now would
        // reset the connection while the client is still sending, and it would lose the answer.
        draining = true;
        vipError('4e00', `The request body is larger than ${maxBody} bytes.`, {}, 200, op?.name);
        const guard = setTimeout(() => req.destroy(), bodyTimeout);
        timers.add(guard);
        req.once('close', () => {
          clearTimeout(guard);
          timers.delete(guard);
        });
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', done);
    req.on('close', done);
    req.on('end', () => {
      done();
      if (finished) return;
      const reply = (code: string, detail: string) => vipError(code, detail, {}, 200, op?.name);
      if (soapPath !== undefined) return soapEnd();
      if (!op) return reply('4e10', `No VIP operation is served at ${path}. Operations are served at /<operation-in-kebab-case>, e.g. /deactivate-token, or as SOAP at /mgmt/soap, /val/soap and /prov/soap.`);
      const type = String(req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json' && !type.endsWith('+json')) return reply('4e00', `Content-Type must be application/json, not ${type}.`);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        return reply('4e00', 'The request body is not valid UTF-8.');
      }
      let document: unknown;
      try {
        document = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch (e) {
        return reply('4e00', jsonProblem(e as Error));
      }
      const headerFault = typeof requestFault === 'string' ? requestFault.toLowerCase() : undefined;
      if (headerFault !== undefined && !(FAULT_CODES as readonly string[]).includes(headerFault)) {
        return reply('4e00', `${FAULT_HEADER} takes ${FAULT_CODES.join(' or ')}.`);
      }
      const result = service.handle(op.name, document, { now: now(), fault: headerFault ?? fault });
      if (result.changed) persist();
      send(200, result.response, { operation: result.operation, tokenId: result.tokenId, code: result.reasonCode }, {}, delay);
    });

    function soapEnd(): void {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        return vipError('4e00', 'The request body is not valid UTF-8.');
      }
      const headerFault = typeof requestFault === 'string' ? requestFault.toLowerCase() : undefined;
      const answer = soapExchange(service, soapPath!, String(req.headers['content-type'] ?? ''), text, { now: now(), fault: (FAULT_CODES as readonly string[]).includes(headerFault ?? '') ? headerFault : fault });
      if (answer.changed) persist();
      send(answer.status, { soapXml: answer.xml }, { operation: answer.operation, tokenId: answer.tokenId, code: answer.code }, {}, delay);
    }
  };

  type Send = (status: number, body: unknown, meta: { operation?: string; code?: string }) => void;
  const admin = (what: string, query: URLSearchParams, send: Send) => {
    if (what === 'deliveries') return send(200, { deliveries: service.deliveries }, { operation: 'deliveries' });
    const otpMatch = /^otp\/(.+)$/.exec(what);
    if (otpMatch) {
      const tokenId = decodeURIComponent(otpMatch[1]);
      const offset = query.get('offset');
      const clock = now();
      const code = offset === null ? nextCodeFor(service.state, tokenId, clock) : /^-?\d{1,6}$/.test(offset) ? codeFor(service.state, tokenId, clock, Number(offset)) : undefined;
      if (code === undefined) return send(404, { error: `No TOTP/HOTP code for ${tokenId}${offset !== null ? ` at offset ${offset}` : ''}: unknown token, no OATH secret, or every code in the validation window is used.` }, { operation: 'otp' });
      return send(200, { TokenId: tokenId, OTP: code, time: clock.toISOString() }, { operation: 'otp' });
    }
    return send(404, { error: `Unknown simulator endpoint. Try ${ADMIN_PREFIX}deliveries or ${ADMIN_PREFIX}otp/<TokenId>.` }, {});
  };

  const server: http.Server = options.tls
    ? https.createServer({
        cert: options.tls.cert,
        key: options.tls.key,
        minVersion: 'TLSv1.2',
        ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
      }, handler)
    : http.createServer(handler);
  // Our own body timer answers slow clients with a VIP response; Node's timer would send a bare 408.
  server.requestTimeout = 0;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;
  // Not even HTTP: still a VIP body, so that clients parsing the answer get 4e00.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // The client hung up in the middle of its request: nobody is left to answer.
    if (!socket.writable || err.code === 'HPE_INVALID_EOF_STATE' || err.code === 'ECONNRESET') return socket.destroy();
    const text = JSON.stringify(service.reply(undefined, undefined, '4e00', {}, 'The request is not valid HTTP/1.1.'));
    socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${host}:${options.port ?? 0}`;
      if (e.code === 'EADDRINUSE') reject(new Error(`cannot listen on ${where}: the port is in use; choose another port, or 0 for a free one`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new Error(`cannot listen on ${where}: no network interface has that address`));
      else if (e.code === 'EACCES') reject(new Error(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`));
      else reject(e);
    });
    server.listen(options.port ?? 0, host, () => {
      server.removeAllListeners('error');
      server.on('error', (e) => log(`${new Date().toISOString()} server error: ${e.message}`));
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const urlHost = net.isIPv6(host) ? `[${host}]` : host;
  const url = `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`;

  return {
    url,
    host,
    port: address.port,
    service,
    now,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    state: () => structuredClone(service.state),
    token: (id) => structuredClone(service.state.tokens.find((t) => t.id === id)),
    deliveries: () => structuredClone(service.deliveries),
    otp: (tokenId, offsetSteps) => (offsetSteps === undefined ? nextCodeFor(service.state, tokenId, now()) : codeFor(service.state, tokenId, now(), offsetSteps)),
    setFault: (code) => {
      checkFault(code);
      fault = code;
    },
    setLatency: (ms) => {
      if (!(ms >= 0 && ms <= MAX_LATENCY_MS)) throw new Error(`latency must be 0 to ${MAX_LATENCY_MS} ms`);
      latency = ms;
    },
  };
}

/** Where JSON.parse gave up, without the text around it (V8 quotes the body, which may hold a code). */
function jsonProblem(e: Error): string {
  const at = /position (\d+)/.exec(e.message)?.[1];
  if (at !== undefined) return `The request body is not valid JSON (at character ${at}).`;
  return /end of JSON/i.test(e.message) ? 'The request body is not valid JSON: it ends too early.' : 'The request body is not valid JSON.';
}

/** Caller-chosen text in a log line: one line, printable, short. */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 64 ? clean.slice(0, 64) + '…' : clean;
}

function checkFault(code: string | undefined): void {
  if (code !== undefined && !(FAULT_CODES as readonly string[]).includes(code)) throw new Error(`fault must be ${FAULT_CODES.join(' or ')}, not ${code}`);
}
