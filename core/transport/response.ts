// Reading one HTTP response into a VIP result, step by step: the TLS peer, the body under its size
// cap (or spilled to a file), the body decoded (JSON, or SOAP mapped to JSON), the VIP status, the
// result and its log line. Each step that finds the answer unusable throws a TransportError.
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import type * as tls from 'node:tls';
import { getReasonCode, operationForKey } from '../data/catalog';
import { redactText, redactValues } from '../redact';
import { parseResponseEnvelope, SoapError } from '../soap';
import { TransportError } from './errors';
import type { PreparedRequest } from './request';
import type { SendPlan, SendResult, Timings, TlsInfo } from './sendTypes';

export const HARD_SPILL_LIMIT = 256 * 1024 * 1024;

/** What is known once the status line and headers arrived. */
export interface ResponseHead {
  status: number;
  statusMessage: string;
  contentType: string;
  /** Content-Length, NaN when absent. */
  declaredLength: number;
}

export function headOf(res: http.IncomingMessage): ResponseHead {
  return {
    status: res.statusCode ?? 0,
    statusMessage: res.statusMessage ?? '',
    contentType: String(res.headers['content-type'] ?? ''),
    declaredLength: Number(res.headers['content-length']),
  };
}

/** Performance marks of one attempt (performance.now() values). */
export interface Marks {
  lookup?: number;
  connect?: number;
  secure?: number;
  response?: number;
}

export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  return `${e.name}: ${code ? `${code} ` : ''}${e.message}`;
}

const tlsInfoOf = new WeakMap<tls.TLSSocket, TlsInfo>();

/** The TLS details of the response's connection, read once per kept-alive connection (same peer). */
export function readTlsInfo(socket: tls.TLSSocket, isHttps: boolean): TlsInfo | undefined {
  let info = tlsInfoOf.get(socket);
  if (info || !isHttps || typeof socket.getPeerCertificate !== 'function') return info;
  // Not getPeerX509Certificate(): on Node 20 it takes the certificate from the socket (later
  // calls of either method find none), and making the X509Certificate object costs more.
  const peer = socket.getPeerCertificate();
  const name = (o: Record<string, unknown> | undefined) =>
    o
      ? Object.entries(o)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')
      : '';
  info = {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name ?? '',
    peerSubject: name(peer?.subject),
    peerIssuer: name(peer?.issuer),
    peerValidTo: peer?.valid_to,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    sessionReused: socket.isSessionReused(),
  };
  tlsInfoOf.set(socket, info);
  return info;
}

/** The response is over the cap; `outcome` says whether it was saved, or why it could not be. */
export function tooLarge(
  head: ResponseHead,
  cap: number,
  received: string,
  outcome: { savedTo?: string; notSaved?: string } = {},
): TransportError {
  const { status, contentType } = head;
  const next = outcome.savedTo
    ? `It was saved to ${outcome.savedTo}.`
    : outcome.notSaved
      ? `It could not be kept: ${outcome.notSaved}.`
      : 'Raise the cap (vipApi.maxResponseBytes) to see it.';
  return new TransportError(
    'too-large',
    `The response (HTTP ${status}, ${contentType || 'no content type'}) is larger than the ${Math.round(cap / 1024)} KB cap (${received}). ${next}`,
    { status, contentType, savedTo: outcome.savedTo },
  );
}

/** Collects the body under the cap; over it, fails, or with a spill folder writes the body to a file there. */
export class BodyCollector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private spill?: { file: string; stream: fs.WriteStream };

  constructor(
    private readonly head: ResponseHead,
    private readonly cap: number,
    private readonly spillDir: string | undefined,
    private readonly fail: (e: TransportError) => void,
  ) {}

  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.spill) {
      if (this.size > HARD_SPILL_LIMIT)
        this.fail(tooLarge(this.head, this.cap, `over ${HARD_SPILL_LIMIT} bytes; stopped`));
      else this.spill.stream.write(chunk);
      return;
    }
    this.chunks.push(chunk);
    if (this.size <= this.cap) return;
    if (this.spillDir === undefined) this.fail(tooLarge(this.head, this.cap, `more than ${this.cap} bytes`));
    else this.startSpill(this.spillDir);
  }

  /** The whole body as text; undefined when it was spilled, and then `settle` gets the spill's outcome. */
  end(settle: (e: TransportError) => void): string | undefined {
    if (!this.spill) return Buffer.concat(this.chunks).toString('utf8');
    const { file, stream } = this.spill;
    // end()'s callback also gets a write error: then nothing was saved.
    stream.end((e?: Error | null) =>
      settle(e ? this.spillFailed(e) : tooLarge(this.head, this.cap, `${this.size} bytes`, { savedTo: file })),
    );
    return undefined;
  }

  /** Stops writing the spill file (the send failed). */
  discard(): void {
    this.spill?.stream.destroy();
  }

  private startSpill(dir: string): void {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      this.fail(this.spillFailed(e));
      return;
    }
    const file = path.join(dir, `vip-response-${Date.now()}.txt`);
    this.spill = { file, stream: fs.createWriteStream(file) };
    this.spill.stream.on('error', (e) => this.fail(this.spillFailed(e)));
    for (const c of this.chunks) this.spill.stream.write(c);
    this.chunks.length = 0;
  }

  private spillFailed(e: unknown): TransportError {
    return tooLarge(this.head, this.cap, `${this.size} bytes`, {
      notSaved: `saving it to ${this.spillDir} failed (${describeError(e)})`,
    });
  }
}

function firstBytes(text: string): string {
  const t = redactText(text.slice(0, 300)).replace(/\s+/g, ' ').trim();
  return t.length ? `"${t}${text.length > 300 ? '…' : ''}"` : '(empty body)';
}

/** The body as a JSON value: JSON as sent, or for SOAP the envelope mapped to the JSON response. */
export function decodeBody(text: string, head: ResponseHead, request: PreparedRequest): unknown {
  return request.transport === 'soap' ? decodeSoap(text, head, request) : decodeJson(text, head);
}

function decodeJson(text: string, head: ResponseHead): unknown {
  const { status, statusMessage, contentType } = head;
  try {
    return JSON.parse(text);
  } catch {
    throw new TransportError(
      'not-vip',
      `The server answered HTTP ${status}${statusMessage ? ' ' + statusMessage : ''} with ${contentType || 'no content type'} that is not JSON, first bytes: ${firstBytes(text)}. Check the environment URL (path and {operation}).`,
      { status, contentType },
    );
  }
}

function decodeSoap(text: string, head: ResponseHead, request: PreparedRequest): unknown {
  const { status, contentType } = head;
  try {
    return parseResponseEnvelope(text, request.operation.name).document;
  } catch (e) {
    if (!(e instanceof SoapError)) {
      // Not a SOAP problem the parser knows (e.g. nesting too deep for it): still the answer's fault.
      throw new TransportError(
        'not-vip',
        `The server answered HTTP ${status} with ${contentType || 'no content type'} that could not be read as a VIP SOAP response (${describeError(e)}), first bytes: ${firstBytes(text)}. Check the environment URL.`,
        { status, contentType },
      );
    }
    if (e.kind !== 'fault') {
      throw new TransportError(
        'not-vip',
        `The server answered HTTP ${status} with ${contentType || 'no content type'} that is not a VIP SOAP response (${e.message}), first bytes: ${firstBytes(text)}. Check the environment URL.`,
        { status, contentType },
      );
    }
    const f = e.fault;
    throw new TransportError(
      'soap-fault',
      `The SOAP service answered HTTP ${status} with a Fault: ${redactText(f?.faultcode ?? '')}: ${redactText(f?.faultstring ?? '')}${f?.detail ? ` (${redactText(f.detail)})` : ''}. A Fault means the service could not process the envelope at all; show the envelope (VIP: Show SOAP envelope) and check the URL's path (${request.operation.soapPath}).`,
      { status, contentType, faultcode: f?.faultcode, faultstring: f?.faultstring },
    );
  }
}

/** `<Op>Response` → Status of a VIP response. */
export interface VipStatus {
  key: string;
  code: string;
  message: string;
}

function findVipStatus(json: unknown): VipStatus | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  for (const [key, body] of Object.entries(json)) {
    if (!key.endsWith('Response') || typeof body !== 'object' || body === null) continue;
    const status = (body as Record<string, unknown>).Status;
    if (typeof status !== 'object' || status === null) continue;
    const s = status as Record<string, unknown>;
    if (typeof s.ReasonCode === 'string')
      return {
        key,
        code: s.ReasonCode.toLowerCase(),
        message: typeof s.StatusMessage === 'string' ? s.StatusMessage : '',
      };
  }
  return undefined;
}

/** The VIP status of the decoded body; a body without one is not a VIP response. */
export function vipStatusOf(json: unknown, text: string, head: ResponseHead): VipStatus {
  const vip = findVipStatus(json);
  if (vip) return vip;
  throw new TransportError(
    'not-vip',
    `The server answered HTTP ${head.status} with JSON that is not a VIP response (no "<Operation>Response" with "Status"), first bytes: ${firstBytes(text)}. Check the environment URL.`,
    { status: head.status, contentType: head.contentType },
  );
}

export function timingsOf(marks: Marks, t0: number, end: number): Timings {
  const ms = (t: number | undefined) => (t === undefined ? undefined : Math.round((t - t0) * 10) / 10);
  return {
    dns: marks.lookup !== undefined ? ms(marks.lookup) : undefined,
    connect: marks.connect !== undefined ? ms(marks.connect)! - (ms(marks.lookup) ?? 0) : undefined,
    tls:
      marks.secure !== undefined && marks.connect !== undefined
        ? Math.round((marks.secure - marks.connect) * 10) / 10
        : undefined,
    firstByte: ms(marks.response)!,
    total: ms(end)!,
  };
}

/** What the exchange knows besides the body: its connection and timings. */
export interface ExchangeFacts {
  head: ResponseHead;
  timings: Timings;
  reusedConnection: boolean;
  tls?: TlsInfo;
}

export function resultOf(
  plan: SendPlan,
  facts: ExchangeFacts,
  text: string,
  json: unknown,
  vip: VipStatus,
): SendResult {
  return {
    environment: plan.env.name,
    request: plan.request,
    url: plan.request.url.href,
    status: facts.head.status,
    contentType: facts.head.contentType,
    timings: facts.timings,
    reusedConnection: facts.reusedConnection,
    tls: facts.tls,
    clientCertificate: plan.material.clientCertificate,
    insecure: plan.material.insecure,
    text,
    json,
    responseKey: vip.key,
    reasonCode: vip.code,
    statusMessage: redactValues(vip.message, plan.secrets),
    reason: getReasonCode(vip.code),
    success: vip.code === '0000',
  };
}

/** `← HTTP 200 0000 Success · 12 ms (…)`, with the TLS peer, connection reuse and a mismatched response key. */
export function responseLogLine(result: SendResult, vipMessage: string): string {
  const { timings, tls: tlsInfo, reason } = result;
  const opMatch = operationForKey(result.responseKey);
  const phases = (['dns', 'connect', 'tls', 'firstByte'] as const)
    .filter((k) => timings[k] !== undefined)
    .map((k) => `${k} ${timings[k]}`)
    .join(', ');
  return (
    `← HTTP ${result.status} ${result.reasonCode} ${vipMessage || reason?.message || ''} · ${timings.total} ms (${phases})` +
    (tlsInfo ? ` · ${tlsInfo.protocol} ${tlsInfo.cipher} · server "${tlsInfo.peerSubject}"` : '') +
    (result.reusedConnection ? ' · reused connection' : '') +
    (opMatch && opMatch.operation.name !== result.request.operation.name
      ? ` · ⚠ response key ${result.responseKey} for ${result.request.operation.name}`
      : '')
  );
}
