// One HTTP request to the simulator and its answer, and the steps every wire shares: the checks
// before the body is read (HTTP version, client certificate), reading the body within limits,
// decoding it as UTF-8, and the fault and latency request headers.
import type * as http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { getOperationByRestName, type OperationInfo } from '../data/catalog';
import { soapDocument, SOAP_ROUTE } from './soapWire';
import { FAULT_CODES, type VipService } from './service';

/** Request headers that trigger behaviour for one request. */
export const FAULT_HEADER = 'x-vip-simulator-fault';
export const LATENCY_HEADER = 'x-vip-simulator-latency';
export const MAX_LATENCY_MS = 60_000;
/** After a too-large body has been answered, how much more of it is read and dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** What every exchange of one running simulator shares. */
export interface Wire {
  service: VipService;
  log: (line: string) => void;
  /** Timers to clear when the simulator closes. */
  timers: Set<NodeJS.Timeout>;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  /** Production strictness on the SOAP wire (false with --lenient). */
  strict: boolean;
  /** mTLS: client certificates are required; these serials (normalized) are revoked. */
  clientCertificates?: { revoked: Set<string> };
}

export interface Meta {
  operation?: string;
  tokenId?: string;
  code?: string;
}

/** A ready answer body: XML or JSON text written as is. */
export class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

export class Exchange {
  readonly started = process.hrtime.bigint();
  readonly url: URL;
  readonly path: string;
  /** `mgmt`, `val` or `prov` on a SOAP route: answers are SOAP XML there. */
  readonly soapPath?: string;
  /** The operation the REST path names, if any. */
  readonly op?: OperationInfo;
  private finished = false;
  /** Answers are SOAP XML: on a SOAP route, or for a request that looks like SOAP anywhere. */
  private soap: boolean;

  constructor(
    readonly req: http.IncomingMessage,
    readonly res: http.ServerResponse,
    readonly wire: Wire,
  ) {
    this.url = new URL(req.url ?? '/', 'http://simulator.invalid');
    this.path = this.url.pathname;
    this.soapPath = SOAP_ROUTE.exec(this.path)?.[1];
    this.soap = this.soapPath !== undefined;
    this.op = getOperationByRestName(this.path.replace(/^\//, ''));
  }

  /** From now on, answers are written as SOAP (a SOAP request on a path that is not a SOAP route). */
  answerAsSoap(): void {
    this.soap = true;
  }

  get answered(): boolean {
    return this.finished;
  }

  /** `body`: a VIP response document (JSON, or SOAP on a SOAP route), a RawBody, or other JSON. */
  send(status: number, body: unknown, meta: Meta, headers: Record<string, string> = {}, delayMs = 0): void {
    if (this.finished) return;
    this.finished = true;
    if (delayMs <= 0) return this.write(status, body, meta, headers);
    const t = setTimeout(() => {
      this.wire.timers.delete(t);
      this.write(status, body, meta, headers);
    }, delayMs);
    this.wire.timers.add(t);
  }

  /** A VIP answer with `code` for the operation of the path (ErrorResponse when none). */
  vipError(code: string, detail: string, headers: Record<string, string> = {}, status = 200): void {
    const operation = this.op?.name;
    this.send(status, this.wire.service.reply(operation, undefined, code, {}, detail), { operation, code }, headers);
  }

  /** Ignores the request body and answers with a VIP error. */
  refuse(code: string, detail: string, headers: Record<string, string> = {}, status = 200): void {
    this.req.resume();
    this.vipError(code, detail, headers, status);
  }

  private write(status: number, body: unknown, meta: Meta, headers: Record<string, string>): void {
    const { req, res } = this;
    if (res.destroyed) return;
    const xml = this.soap;
    const text =
      body instanceof RawBody ? body.text : xml ? soapDocument(body, this.wire.strict) : JSON.stringify(body);
    const type =
      body instanceof RawBody ? body.contentType : xml ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : text);
    const ms = Number(process.hrtime.bigint() - this.started) / 1e6;
    this.wire.log(
      `${new Date().toISOString()} ${req.method} ${printable(this.path)} ${meta.operation ?? '-'} token=${printable(meta.tokenId ?? '-')} ${meta.code ?? status} ${ms.toFixed(1)}ms`,
    );
  }
}

/** The media type of the request body, lower case, without parameters. */
export function contentTypeOf(req: http.IncomingMessage, fallback = ''): string {
  return String(req.headers['content-type'] ?? fallback)
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/** Node reads a request line without a version as HTTP/0.9; VIP speaks HTTP/1.1. True when refused. */
export function refuseHttpVersion(ex: Exchange): boolean {
  if (ex.req.httpVersionMajor === 1) return false;
  ex.refuse('4e00', `HTTP/${ex.req.httpVersion} is not supported: send HTTP/1.1.`, { Connection: 'close' }, 400);
  return true;
}

/** Transport checks first: in mTLS mode nothing is served to an unknown caller. True when refused. */
export function refuseClientCertificate(ex: Exchange): boolean {
  const required = ex.wire.clientCertificates;
  if (!required) return false;
  const socket = ex.req.socket as TLSSocket;
  const cert = socket.getPeerCertificate?.();
  const refuse = (code: string, detail: string) => (ex.refuse(code, detail, { Connection: 'close' }), true);
  if (!cert || !cert.raw) return refuse('4e02', 'No client certificate: send your VIP certificate.');
  if (!socket.authorized)
    return refuse('4e02', `The client certificate was not accepted (${String(socket.authorizationError)}).`);
  if (required.revoked.has(normalizeSerial(cert.serialNumber)))
    return refuse('4e0b', `The client certificate (serial ${cert.serialNumber}) is revoked.`);
  return false;
}

/** Serial numbers compare as upper-case hex without leading zeros, colons or 0x. */
export function normalizeSerial(serial: string): string {
  return serial
    .trim()
    .replace(/^0x/i, '')
    .replace(/:/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
}

/**
 * Reads the whole body within the size and time limits, then calls `onBody`. Too large: 4e00 at
 * once, and the rest is read and dropped (closing now would reset the connection while the client
 * still sends, and it would lose the answer). Too slow: 4e00, and the connection is closed.
 */
export function readBody(ex: Exchange, onBody: (body: Buffer) => void): void {
  const { req, res, wire } = ex;
  const chunks: Buffer[] = [];
  let size = 0;
  let draining = false;
  const timer = setTimeout(() => {
    ex.vipError('4e00', `The request body did not arrive within ${wire.bodyTimeoutMs} ms.`, { Connection: 'close' });
    res.once('finish', () => req.destroy());
  }, wire.bodyTimeoutMs);
  wire.timers.add(timer);
  const done = () => {
    clearTimeout(timer);
    wire.timers.delete(timer);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (draining) {
      if (size > wire.maxBodyBytes + MAX_DRAIN_BYTES) req.destroy();
      return;
    }
    if (ex.answered) return;
    if (size <= wire.maxBodyBytes) return void chunks.push(chunk);
    done();
    chunks.length = 0;
    draining = true;
    ex.vipError('4e00', `The request body is larger than ${wire.maxBodyBytes} bytes.`);
    const guard = setTimeout(() => req.destroy(), wire.bodyTimeoutMs);
    wire.timers.add(guard);
    req.once('close', () => {
      clearTimeout(guard);
      wire.timers.delete(guard);
    });
  });
  req.on('error', done);
  req.on('close', done);
  req.on('end', () => {
    done();
    if (!ex.answered) onBody(Buffer.concat(chunks));
  });
}

/** The body as text, or undefined after answering 4e00 (on a SOAP route, as SOAP). */
export function decodeUtf8(ex: Exchange, body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    ex.vipError('4e00', 'The request body is not valid UTF-8.');
    return undefined;
  }
}

/** The fault and latency request headers of one request, the same on every wire. */
export interface RequestFault {
  /** A fault code the request asks for. */
  fault?: string;
  /** The fault header is there but names no fault code: the request is answered 4e00. */
  refuse?: { code: string; detail: string };
  delayMs: number;
}

export function requestFault(req: http.IncomingMessage, latencyMs: number): RequestFault {
  const header = req.headers[FAULT_HEADER];
  const requested = Number(req.headers[LATENCY_HEADER] ?? 0);
  const delayMs = Math.min(MAX_LATENCY_MS, latencyMs + (Number.isFinite(requested) && requested > 0 ? requested : 0));
  if (header === undefined) return { delayMs };
  const fault = String(header).toLowerCase();
  if ((FAULT_CODES as readonly string[]).includes(fault)) return { fault, delayMs };
  return { refuse: { code: '4e00', detail: `${FAULT_HEADER} takes ${FAULT_CODES.join(' or ')}.` }, delayMs };
}

/** Caller-chosen text in a log line: one line, printable, short. */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 64 ? clean.slice(0, 64) + '…' : clean;
}
