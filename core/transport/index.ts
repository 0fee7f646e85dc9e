// Transport core: request files → HTTPS (mutual TLS) → VIP responses. No vscode, no LSP.
export { TransportError, mapNetworkError, type TransportErrorKind } from './errors';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  expandPath,
  isLoopbackHost,
  resolveEnvironment,
  validateEnvironment,
  type Environment,
  type ExpandContext,
} from './environment';
export { buildRequest, newRequestId, operationUrl, type BuildOptions, type PreparedRequest } from './request';
export {
  LEGACY_PFX_RECIPE,
  loadTlsMaterial,
  type CertificateSummary,
  type TlsMaterial,
  type TlsOptions,
} from './preflight';
export { AgentPool, send, sendText, type SendOptions, type SendResult, type Timings, type TlsInfo } from './send';
export { shellQuote, toCurl, type CurlOptions } from './curl';
