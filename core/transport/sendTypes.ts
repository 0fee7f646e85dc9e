// The shapes of a send: its options, its result, and the plan worked out before any byte goes out.
import type * as tls from 'node:tls';
import type { ReasonCodeInfo } from '../data/catalog';
import type { AgentPool } from './agents';
import type { Environment } from './environment';
import type { CertificateSummary, TlsMaterial } from './preflight';
import type { PreparedRequest } from './request';

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

/** Where the request goes, as the error messages name it. */
export interface Target {
  host: string;
  port: string;
  url: string;
}

/** Everything one send needs, worked out (and the TLS material checked) before any byte goes out. */
export interface SendPlan {
  request: PreparedRequest;
  env: Environment;
  options: SendOptions;
  material: TlsMaterial;
  secureContext?: tls.SecureContext;
  target: Target;
  /** What the network error messages may suggest (a CA to set, a certificate to add). */
  netContext: { ca: boolean; clientCertificate: boolean };
  timeoutMs: number;
  /** The response size cap in bytes. */
  cap: number;
  /** The request's secret values: a server may quote them, and no log line or error may. */
  secrets: readonly string[];
  /** The caller's log, with the secrets redacted. */
  log: (line: string) => void;
}
