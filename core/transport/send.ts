// Sends one prepared request over node:https with the TLS material on the request's own options
// (VS Code's proxy support replaces the agent for non-localhost hosts and drops agent-only options),
// one keep-alive agent per environment, a total timeout, cancellation and a response size cap.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import type * as tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { getReasonCode, operationForKey, type ReasonCodeInfo } from '../data/catalog';
import { redactText, redactValues, secretValues } from '../redact';
import { parseResponseEnvelope, SoapError } from '../soap';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, type Environment } from './environment';
import { TransportError, mapNetworkError } from './errors';
import { loadTlsMaterial, secureContextFor, type CertificateSummary, type TlsMaterial } from './preflight';
import { buildRequest, type PreparedRequest } from './request';

export interface SendOptions {
  /** Passphrase of the encrypted key or PKCS#12 file (from SecretStorage or an env var). */
  passphrase?: string;
  signal?: AbortSignal;
  /** Overrides the environment's timeout. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** When set, a response over the cap is written to a file in this folder (up to 256 MB) and named in the error. */
  spillDir?: string;
  /** Reuse connections across sends (one keep-alive agent per environment). */
  agents?: AgentPool;
  autoRequestId?: boolean;
  /** Receives log lines; they carry no secrets. */
  log?: (line: string) => void;
  now?: Date;
}

export interface Timings {
  /** Phase durations in ms; absent when the phase did not happen (IP address, reused connection). */
  dns?: number;
  connect?: number;
  tls?: number;
  /** From the start of the send to the first response byte. */
  firstByte: number;
  total: number;
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string;
  peerSubject: string;
  peerIssuer: string;
  peerValidTo?: string;
  /** Whether the server certificate verified (false only with verification off). */
  authorized: boolean;
  authorizationError?: string;
  /** Whether the handshake resumed an earlier TLS session (an abbreviated handshake). */
  sessionReused: boolean;
}

export interface SendResult {
  environment: string;
  request: PreparedRequest;
  url: string;
  status: number;
  contentType: string;
  timings: Timings;
  reusedConnection: boolean;
  tls?: TlsInfo;
  clientCertificate?: CertificateSummary;
  insecure: boolean;
  /** The response body text and its JSON value. */
  text: string;
  json: unknown;
  responseKey: string;
  reasonCode: string;
  statusMessage: string;
  reason?: ReasonCodeInfo;
  success: boolean;
}

export const HARD_SPILL_LIMIT = 256 * 1024 * 1024;

/** Checked material is one object while its files are unchanged: hash its bytes once. */
const fingerprints = new WeakMap<TlsMaterial, string>();

function materialFingerprint(material: TlsMaterial): string {
  let fingerprint = fingerprints.get(material);
  if (fingerprint === undefined) {
    const h = createHash('sha256').update(String(material.options.rejectUnauthorized));
    for (const b of [material.options.cert, material.options.key, material.options.pfx, material.options.ca]) h.update(b ?? '').update('\0');
    h.update(material.options.passphrase ?? '');
    fingerprint = h.digest('hex');
    fingerprints.set(material, fingerprint);
  }
  return fingerprint;
}

/** One keep-alive agent per environment; a new one when its TLS material changes. */
export class AgentPool {
  private readonly agents = new Map<string, { fingerprint: string; agent: http.Agent }>();

  get(env: Environment, protocol: string, material: TlsMaterial): http.Agent {
    const fingerprint = protocol + materialFingerprint(material);
    const found = this.agents.get(env.name);
    if (found?.fingerprint === fingerprint) return found.agent;
    found?.agent.destroy();
    const agent = protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 4, ...material.options })
      : new http.Agent({ keepAlive: true, maxSockets: 4 });
    this.agents.set(env.name, { fingerprint, agent });
    return agent;
  }

  /** Closes every connection (on deactivate, or when environments change). */
  destroy(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

function firstBytes(text: string): string {
  const t = redactText(text.slice(0, 300)).replace(/\s+/g, ' ').trim();
  return t.length ? `"${t}${text.length > 300 ? '…' : ''}"` : '(empty body)';
}

/** Finds `<Op>Response` → Status in a response value. */
function vipStatus(json: unknown): { key: string; code: string; message: string } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  for (const [key, body] of Object.entries(json)) {
    if (!key.endsWith('Response') || typeof body !== 'object' || body === null) continue;
    const status = (body as Record<string, unknown>).Status;
    if (typeof status !== 'object' || status === null) continue;
    const s = status as Record<string, unknown>;
    if (typeof s.ReasonCode === 'string') return { key, code: s.ReasonCode.toLowerCase(), message: typeof s.StatusMessage === 'string' ? s.StatusMessage : '' };
  }
  return undefined;
}

const tlsInfoOf = new WeakMap<tls.TLSSocket, TlsInfo>();

/** Parses and sends request file text to the environment. */
export async function sendText(text: string, env: Environment, options: SendOptions = {}): Promise<SendResult> {
  return send(buildRequest(text, env, { autoRequestId: options.autoRequestId }), env, options);
}

export async function send(request: PreparedRequest, env: Environment, options: SendOptions = {}): Promise<SendResult> {
  // A server may quote a sent code in any text (fault string, status message): none reaches a log or error.
  const secrets = secretValues(request.value);
  const log = (line: string) => options.log?.(redactValues(line, secrets));
  if (options.signal?.aborted) return Promise.reject(new TransportError('cancelled', 'The request was cancelled before it was sent.'));
  // Preflight: throws before any byte goes out.
  const material = loadTlsMaterial(env, { passphrase: options.passphrase, now: options.now });
  const url = request.url;
  const isHttps = url.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? env.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cap = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (isHttps ? '443' : '80'), url: url.href };
  const secureContext = isHttps ? secureContextFor(material) : undefined;
  const cc = material.clientCertificate;
  const netContext = { ca: Boolean(env.ca), clientCertificate: Boolean(material.options.pfx || material.options.cert) };
  log(`→ POST ${url.href} [${env.name}]${cc ? ` client certificate "${cc.subject}" (expires ${cc.validTo.toISOString()})` : ' no client certificate'}`);
  if (material.insecure) log(`⚠ Server certificate verification is OFF for environment "${env.name}" (rejectUnauthorized: false).`);

  const deadline = performance.now() + timeoutMs;
  // A kept-alive connection the server closed while idle fails before any response: retry on a new one.
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendOnce();
    } catch (e) {
      if (!(e instanceof StaleConnection) || attempt >= 2) throw e instanceof StaleConnection ? e.mapped : e;
      log('↻ the kept-alive connection had been closed by the server; sending again on a new connection.');
    }
  }

  function sendOnce(): Promise<SendResult> {
    return new Promise<SendResult>((resolve, reject) => {
      const t0 = performance.now();
      const marks: { lookup?: number; connect?: number; secure?: number; response?: number } = {};
      let settled = false;
      let abortReason: TransportError | undefined;
      let spill: { file: string; stream: fs.WriteStream } | undefined;
      const ms = (t: number | undefined) => (t === undefined ? undefined : Math.round((t - t0) * 10) / 10);

      const finish = (err: TransportError | StaleConnection | undefined, result?: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (err) {
          spill?.stream.destroy();
          if (err instanceof TransportError) err.message = redactValues(err.message, secrets);
          if (err instanceof TransportError) log(`✗ ${err.message}`);
          reject(err);
        } else resolve(result!);
      };
      const abort = (err: TransportError) => {
        abortReason ??= err;
        req.destroy(err);
        finish(err);
      };
      /** Runs a listener; whatever it throws settles the send instead of escaping as an uncaught exception. */
      const guard = <A extends unknown[]>(step: string, listener: (...args: A) => void) => (...args: A): void => {
        try {
          listener(...args);
        } catch (e) {
          abort(e instanceof TransportError ? e : unexpectedFailure(step, e, target));
        }
      };
      const onAbort = () => abort(new TransportError('cancelled', 'The request was cancelled; the connection was closed. The service may still have processed it if it had arrived.'));
      const timer = setTimeout(
        () => abort(new TransportError('timeout', `No complete response from ${target.host}:${target.port} within ${timeoutMs / 1000} s. The service may be slow or unreachable: check the URL, then retry or raise the timeout (environment "timeoutMs", CLI --timeout).`)),
        Math.max(0, deadline - performance.now()),
      );

      const reqOptions: https.RequestOptions = {
        method: 'POST',
        headers: { ...request.headers, 'Content-Length': Buffer.byteLength(request.body) },
        agent: options.agents?.get(env, url.protocol, material) ?? false,
        // The certificate, key and CA stay on the options (a proxy agent may build its own connection).
        ...(isHttps ? { ...material.options, ...(secureContext ? { secureContext } : {}) } : {}),
      };
      const req = (isHttps ? https : http).request(url, reqOptions);
      options.signal?.addEventListener('abort', onAbort, { once: true });

      req.on('socket', (socket) => {
        if (req.reusedSocket) return;
        socket.once('lookup', () => (marks.lookup = performance.now()));
        socket.once('connect', () => (marks.connect = performance.now()));
        socket.once('secureConnect', () => (marks.secure = performance.now()));
      });
      req.on('error', (e) => {
        const code = (e as NodeJS.ErrnoException).code;
        if (!abortReason && req.reusedSocket && marks.response === undefined && (code === 'ECONNRESET' || code === 'EPIPE')) {
          finish(new StaleConnection(mapNetworkError(e, target, netContext)));
        } else finish(abortReason ?? mapNetworkError(e, target, netContext));
      });
      req.on('response', guard('reading the response headers', (res) => {
        marks.response = performance.now();
        const socket = res.socket as tls.TLSSocket;
        // A kept-alive connection has the same peer for every response: read it once.
        let tlsInfo: TlsInfo | undefined = tlsInfoOf.get(socket);
        if (!tlsInfo && isHttps && typeof socket.getPeerCertificate === 'function') {
          // Not getPeerX509Certificate(): on Node 20 it takes the certificate from the socket (later
          // calls of either method find none), and making the X509Certificate object costs more.
          const peer = socket.getPeerCertificate();
          const name = (o: Record<string, unknown> | undefined) => (o ? Object.entries(o).map(([k, v]) => `${k}=${String(v)}`).join(', ') : '');
          tlsInfo = {
            protocol: socket.getProtocol(),
            cipher: socket.getCipher()?.name ?? '',
            peerSubject: name(peer?.subject as unknown as Record<string, unknown>),
            peerIssuer: name(peer?.issuer as unknown as Record<string, unknown>),
            peerValidTo: peer?.valid_to,
            authorized: socket.authorized,
            authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
            sessionReused: socket.isSessionReused(),
          };
          tlsInfoOf.set(socket, tlsInfo);
        }
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers['content-type'] ?? '');
        const declared = Number(res.headers['content-length']);
        const tooLarge = (received: string, savedTo?: string, notSaved?: string) => new TransportError('too-large',
          `The response (HTTP ${status}, ${contentType || 'no content type'}) is larger than the ${Math.round(cap / 1024)} KB cap (${received}). ${savedTo ? `It was saved to ${savedTo}.` : notSaved ? `It could not be kept: ${notSaved}.` : 'Raise the cap (vipApi.maxResponseBytes) to see it.'}`,
          { status, contentType, savedTo });
        if (!options.spillDir && Number.isFinite(declared) && declared > cap) {
          abort(tooLarge(`${declared} bytes announced`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const spillFailed = (e: unknown) => tooLarge(`${size} bytes`, undefined, `saving it to ${options.spillDir} failed (${describeError(e)})`);
        res.on('data', guard('receiving the response', (chunk: Buffer) => {
          size += chunk.length;
          if (spill) {
            if (size > HARD_SPILL_LIMIT) abort(tooLarge(`over ${HARD_SPILL_LIMIT} bytes; stopped`));
            else spill.stream.write(chunk);
            return;
          }
          chunks.push(chunk);
          if (size > cap) {
            if (!options.spillDir) {
              abort(tooLarge(`more than ${cap} bytes`));
              return;
            }
            try {
              fs.mkdirSync(options.spillDir, { recursive: true });
            } catch (e) {
              abort(spillFailed(e));
              return;
            }
            const file = path.join(options.spillDir, `vip-response-${Date.now()}.txt`);
            spill = { file, stream: fs.createWriteStream(file) };
            spill.stream.on('error', (e) => abort(spillFailed(e)));
            for (const c of chunks) spill.stream.write(c);
            chunks.length = 0;
          }
        }));
        res.on('error', (e) => finish(abortReason ?? new TransportError('network',
          `The connection to ${target.host}:${target.port} closed before the whole response arrived (HTTP ${status}; ${(e as NodeJS.ErrnoException).code ?? e.message}). Retry; if it keeps happening, check a proxy or load balancer in between.`,
          { code: (e as NodeJS.ErrnoException).code, status, contentType })));
        res.on('end', guard('reading the response body', () => {
          if (settled) return;
          if (spill) {
            const s = spill;
            // end()'s callback also gets a write error: then nothing was saved.
            s.stream.end((e?: Error | null) => finish(e ? spillFailed(e) : tooLarge(`${size} bytes`, s.file)));
            return;
          }
          const end = performance.now();
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (request.transport === 'soap') {
            try {
              json = parseResponseEnvelope(text, request.operation.name).document;
            } catch (e) {
              if (!(e instanceof SoapError)) {
                // Not a SOAP problem the parser knows (e.g. nesting too deep for it): still the answer's fault.
                finish(new TransportError('not-vip', `The server answered HTTP ${status} with ${contentType || 'no content type'} that could not be read as a VIP SOAP response (${describeError(e)}), first bytes: ${firstBytes(text)}. Check the environment URL.`, { status, contentType }));
                return;
              }
              finish(e.kind === 'fault'
                ? new TransportError('soap-fault', `The SOAP service answered HTTP ${status} with a Fault: ${redactText(e.fault?.faultcode ?? '')}: ${redactText(e.fault?.faultstring ?? '')}${e.fault?.detail ? ` (${redactText(e.fault.detail)})` : ''}. A Fault means the service could not process the envelope at all; show the envelope (VIP: Show SOAP envelope) and check the URL's path (${request.operation.soapPath}).`, { status, contentType, faultcode: e.fault?.faultcode, faultstring: e.fault?.faultstring })
                : new TransportError('not-vip', `The server answered HTTP ${status} with ${contentType || 'no content type'} that is not a VIP SOAP response (${e.message}), first bytes: ${firstBytes(text)}. Check the environment URL.`, { status, contentType }));
              return;
            }
          } else {
            try {
              json = JSON.parse(text);
            } catch {
              finish(new TransportError('not-vip',
                `The server answered HTTP ${status}${res.statusMessage ? ' ' + res.statusMessage : ''} with ${contentType || 'no content type'} that is not JSON, first bytes: ${firstBytes(text)}. Check the environment URL (path and {operation}).`,
                { status, contentType }));
              return;
            }
          }
          const vip = vipStatus(json);
          if (!vip) {
            finish(new TransportError('not-vip',
              `The server answered HTTP ${status} with JSON that is not a VIP response (no "<Operation>Response" with "Status"), first bytes: ${firstBytes(text)}. Check the environment URL.`,
              { status, contentType }));
            return;
          }
          const timings: Timings = {
            dns: marks.lookup !== undefined ? ms(marks.lookup) : undefined,
            connect: marks.connect !== undefined ? ms(marks.connect)! - (ms(marks.lookup) ?? 0) : undefined,
            tls: marks.secure !== undefined && marks.connect !== undefined ? Math.round((marks.secure - marks.connect) * 10) / 10 : undefined,
            firstByte: ms(marks.response)!,
            total: ms(end)!,
          };
          const reason = getReasonCode(vip.code);
          const result: SendResult = {
            environment: env.name,
            request,
            url: url.href,
            status,
            contentType,
            timings,
            reusedConnection: req.reusedSocket,
            tls: tlsInfo,
            clientCertificate: material.clientCertificate,
            insecure: material.insecure,
            text,
            json,
            responseKey: vip.key,
            reasonCode: vip.code,
            statusMessage: redactValues(vip.message, secrets),
            reason,
            success: vip.code === '0000',
          };
          const opMatch = operationForKey(vip.key);
          const phases = (['dns', 'connect', 'tls', 'firstByte'] as const).filter((k) => timings[k] !== undefined).map((k) => `${k} ${timings[k]}`).join(', ');
          log(`← HTTP ${status} ${vip.code} ${vip.message || reason?.message || ''} · ${timings.total} ms (${phases})` +
            (tlsInfo ? ` · ${tlsInfo.protocol} ${tlsInfo.cipher} · server "${tlsInfo.peerSubject}"` : '') +
            (result.reusedConnection ? ' · reused connection' : '') +
            (opMatch && opMatch.operation.name !== request.operation.name ? ` · ⚠ response key ${vip.key} for ${request.operation.name}` : ''));
          finish(undefined, result);
        }));
      }));
      req.end(request.body);
    });
  }
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${(e as NodeJS.ErrnoException).code ? `${(e as NodeJS.ErrnoException).code} ` : ''}${e.message}` : String(e);
}

/** A failure no step expected (a bug here, or in a library): said plainly instead of lost. */
function unexpectedFailure(step: string, e: unknown, target: { host: string; port: string }): TransportError {
  return new TransportError('internal',
    `Sending to ${target.host}:${target.port} failed unexpectedly while ${step} (${describeError(e)}). The service may have processed the request. This is a bug in VIP API Workbench: please report it with this message.`,
    { code: (e as NodeJS.ErrnoException | undefined)?.code });
}

/** Internal: a reused keep-alive connection failed before any response. */
class StaleConnection extends Error {
  constructor(readonly mapped: TransportError) {
    super(mapped.message);
  }
}
