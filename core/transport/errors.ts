// Transport failures as plain sentences with the next step. Every message is safe to log:
// it never contains a passphrase, an OTP or a request body.

export type TransportErrorKind =
  | 'usage' // bad input: file, URL, environment
  | 'tls-material' // our own certificate / key / PKCS#12 / CA is wrong (preflight)
  | 'refused'
  | 'dns'
  | 'timeout'
  | 'cancelled'
  | 'server-certificate' // the server's certificate does not verify
  | 'handshake' // the server rejected us during or right after the handshake
  | 'network'
  | 'too-large'
  | 'not-vip' // the response is not JSON or not a VIP response
  | 'soap-fault' // the SOAP service answered with a Fault instead of a response
  | 'internal'; // an unexpected failure while handling the response (a bug; the message says where)

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly details: {
      code?: string;
      status?: number;
      contentType?: string;
      savedTo?: string;
      faultcode?: string;
      faultstring?: string;
    } = {},
  ) {
    super(message);
  }
}

/** Maps a Node socket/TLS error to a sentence with the next step. */
// long: one case per Node error code, each a sentence; as one switch it reads like the table it is.
export function mapNetworkError(
  e: unknown,
  target: { host: string; port: string; url: string },
  context: { ca: boolean; clientCertificate: boolean } = { ca: false, clientCertificate: false },
): TransportError {
  const caGiven = context.ca;
  if (e instanceof TransportError) return e;
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = err?.code ?? '';
  const raw = err?.message ?? String(e);
  const where = `${target.host}:${target.port}`;
  const caStep = caGiven
    ? 'Check that the CA file of this environment contains the CA that issued the server certificate.'
    : 'If the server uses a private CA, set the CA file (ca) of this environment to that CA certificate (PEM).';
  switch (code) {
    case 'ECONNREFUSED':
      return new TransportError(
        'refused',
        `Connection refused by ${where}: nothing is listening there. Check the host and port in the environment URL, and that the service is running.`,
        { code },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new TransportError(
        'dns',
        `The host name "${target.host}" could not be resolved (${code}). Check the spelling of the host in the environment URL, and your network or proxy.`,
        { code },
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return new TransportError(
        'handshake',
        `The connection to ${where} was closed by the server (${code}). If the server requires a client certificate, it may have rejected ours: check the environment's certificate (VIP answers such calls with 4e02/4e0b).`,
        { code },
      );
    case 'ETIMEDOUT':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new TransportError(
        'network',
        `${where} cannot be reached (${code}). Check the network, a VPN or proxy, and the host in the environment URL.`,
        { code },
      );
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return new TransportError(
        'server-certificate',
        `The server certificate of ${where} is self-signed and not trusted (${code}). ${caStep}`,
        { code },
      );
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return new TransportError(
        'server-certificate',
        `The server certificate of ${where} is not trusted: its chain ends in a CA that this environment does not trust (${code}). ${caStep}`,
        { code },
      );
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
    case 'CERT_SIGNATURE_FAILURE':
      return new TransportError(
        'server-certificate',
        `The server certificate of ${where} is not trusted: it is not signed by a known CA (${code}). ${caStep}`,
        { code },
      );
    case 'CERT_HAS_EXPIRED':
      return new TransportError(
        'server-certificate',
        `The server certificate of ${where} has expired (${code}). Tell the service's operator; check also this machine's clock.`,
        { code },
      );
    case 'CERT_NOT_YET_VALID':
      return new TransportError(
        'server-certificate',
        `The server certificate of ${where} is not valid yet (${code}). Check this machine's clock.`,
        { code },
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new TransportError(
        'server-certificate',
        `The server certificate does not name "${target.host}" (${err.reason ?? 'host name mismatch'}). Use the host name that the certificate names in the environment URL.`,
        { code },
      );
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return new TransportError(
        'handshake',
        `${where} did not answer with TLS (${code}). The URL says https:// but the server may speak plain HTTP, or the port is wrong.`,
        { code },
      );
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
      return new TransportError(
        'handshake',
        `${where} does not support TLS 1.2 or later (${code}); VIP requires TLS 1.2+. Check the URL.`,
        { code },
      );
  }
  // Node reports a server that only speaks TLS 1.0/1.1 as EPROTO with the alert in the message.
  if (/alert protocol version|unsupported protocol/i.test(raw)) {
    return new TransportError(
      'handshake',
      `${where} does not support TLS 1.2 or later (${code || 'protocol version'}); VIP requires TLS 1.2+. Check the URL.`,
      { code },
    );
  }
  if (/ALERT|SSL|TLS/.test(code) || /alert/i.test(raw)) {
    const alert = /alert ([a-z ]+)/i.exec(raw)?.[1]?.trim() ?? code;
    if (!context.clientCertificate && /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(code)) {
      return new TransportError(
        'handshake',
        `The server at ${where} requires a client certificate ("${alert}"), and this environment has none. Set "pfx" (PKCS#12 from VIP Manager) or "cert" + "key" for the environment (CLI: --pfx or --cert/--key).`,
        { code },
      );
    }
    return new TransportError(
      'handshake',
      `The server at ${where} ended the TLS handshake with "${alert}": it most likely rejected our client certificate (missing, not issued by the CA it trusts, expired or revoked — VIP reports these as 4e02/4e0b). Check the environment's certificate, and that it is the VIP certificate from VIP Manager for this account.`,
      { code },
    );
  }
  return new TransportError('network', `The request to ${target.url} failed: ${raw}${code ? ` (${code})` : ''}.`, {
    code,
  });
}
