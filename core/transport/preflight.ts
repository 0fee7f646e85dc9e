// Preflight: load and check the TLS material before any byte goes out, and say exactly what is wrong.
import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import type { Environment } from './environment';
import { TransportError } from './errors';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  serial: string;
  fingerprint256: string;
}

/** The TLS options put on every request (and on the environment's agent). */
export interface TlsOptions {
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
  passphrase?: string;
  ca?: Buffer;
  minVersion: 'TLSv1.2';
  rejectUnauthorized: boolean;
}

export interface TlsMaterial {
  options: TlsOptions;
  /** The client certificate we will present, if any. */
  clientCertificate?: CertificateSummary;
  /** True when the environment turned server verification off (shown in status and log). */
  insecure: boolean;
}

export const LEGACY_PFX_RECIPE =
  'openssl pkcs12 -legacy -in old.p12 -nodes -out tmp.pem && openssl pkcs12 -export -in tmp.pem -out new.p12 && rm tmp.pem';

function readFile(file: string, what: string, setting: string): Buffer {
  try {
    const st = fs.statSync(file);
    if (!st.isFile())
      throw new TransportError(
        'tls-material',
        `The ${what} "${file}" is not a file. Check "${setting}" of the environment.`,
      );
    return fs.readFileSync(file);
  } catch (e) {
    if (e instanceof TransportError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new TransportError(
        'tls-material',
        `The ${what} "${file}" does not exist. Check "${setting}" of the environment (relative paths start at the workspace folder).`,
        { code },
      );
    throw new TransportError('tls-material', `The ${what} "${file}" cannot be read (${code ?? String(e)}).`, { code });
  }
}

export function summarize(cert: X509Certificate): CertificateSummary {
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    serial: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  };
}

const day = (d: Date) =>
  d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

function checkDates(c: CertificateSummary, file: string, now: Date): void {
  if (now < c.validFrom) {
    throw new TransportError(
      'tls-material',
      `The client certificate "${file}" (${c.subject}) is not valid yet: valid from ${day(c.validFrom)} to ${day(c.validTo)}. Check this machine's clock, or use the current certificate.`,
    );
  }
  if (now > c.validTo) {
    throw new TransportError(
      'tls-material',
      `The client certificate "${file}" (${c.subject}) expired on ${day(c.validTo)} (valid from ${day(c.validFrom)}). Download a new VIP certificate from VIP Manager and point the environment to it.`,
    );
  }
}

function parseCert(pem: Buffer, file: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new TransportError(
      'tls-material',
      `"${file}" is not a PEM or DER certificate. For a .p12/.pfx file use "pfx" instead of "cert".`,
    );
  }
}

function loadKey(pem: Buffer, file: string, passphrase: string | undefined): KeyObject {
  try {
    return createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const msg = (e as Error).message;
    if (passphrase === undefined && /INTERRUPTED|passphrase/i.test(code + msg)) {
      throw new TransportError(
        'tls-material',
        `The private key "${file}" is encrypted and no passphrase is set. Set it with "VIP: Set certificate passphrase…" (CLI: --passphrase-env VAR).`,
        { code },
      );
    }
    if (/BAD_DECRYPT|bad decrypt/i.test(code + msg)) {
      throw new TransportError(
        'tls-material',
        `Wrong passphrase for the private key "${file}" (bad decrypt). Set the right one with "VIP: Set certificate passphrase…" (CLI: --passphrase-env VAR).`,
        { code },
      );
    }
    throw new TransportError(
      'tls-material',
      `"${file}" is not a usable private key (${msg}). Give the PEM private key that belongs to the certificate.`,
      { code },
    );
  }
}

function loadPfx(pfx: Buffer, file: string, passphrase: string | undefined): CertificateSummary | undefined {
  let ctx: tls.SecureContext;
  try {
    ctx = tls.createSecureContext({ pfx, passphrase: passphrase ?? '' });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const code = (e as NodeJS.ErrnoException).code;
    if (/mac verify failure/i.test(msg)) {
      throw new TransportError(
        'tls-material',
        passphrase
          ? `Wrong passphrase for the PKCS#12 file "${file}" (mac verify failure). Set the right one with "VIP: Set certificate passphrase…" (CLI: --passphrase-env VAR).`
          : `The PKCS#12 file "${file}" needs a passphrase (mac verify failure). Set it with "VIP: Set certificate passphrase…" (CLI: --passphrase-env VAR).`,
        { code },
      );
    }
    if (/Unsupported PKCS12 PFX data/i.test(msg)) {
      throw new TransportError(
        'tls-material',
        `The PKCS#12 file "${file}" uses legacy encryption (RC2/3DES) that OpenSSL 3 refuses (Unsupported PKCS12 PFX data). Re-export it once with modern encryption: ${LEGACY_PFX_RECIPE} (both steps ask for the passphrase), then point the environment to new.p12.`,
        { code },
      );
    }
    if (/not enough data|wrong tag|asn1|header too long/i.test(msg)) {
      throw new TransportError(
        'tls-material',
        `"${file}" is not a PKCS#12 (.p12/.pfx) file (${msg}). For PEM files use "cert" and "key" instead of "pfx".`,
        { code },
      );
    }
    throw new TransportError('tls-material', `The PKCS#12 file "${file}" cannot be used: ${msg}.`, { code });
  }
  // An unconnected TLS socket over the context reveals the certificate it would present.
  const socket = new tls.TLSSocket(null as never, { secureContext: ctx });
  try {
    const raw = (socket.getCertificate() as tls.PeerCertificate | null)?.raw;
    return raw ? summarize(new X509Certificate(raw)) : undefined;
  } finally {
    socket.destroy();
  }
}

/**
 * Material already checked, by environment files (with their size and modification time) and
 * passphrase: repeated sends skip parsing certificates and keys, and only the dates are checked
 * again. A changed file, or a different passphrase, loads and checks everything anew.
 */
const checked = new Map<string, TlsMaterial>();
const MAX_CHECKED = 32;

function cacheKey(env: Environment, passphrase: string | undefined): string | undefined {
  const parts: unknown[] = [
    env.rejectUnauthorized !== false,
    passphrase === undefined ? null : createHash('sha256').update(passphrase).digest('hex'),
  ];
  for (const file of [env.ca, env.pfx, env.cert, env.key]) {
    if (!file) {
      parts.push(null);
      continue;
    }
    try {
      const st = fs.statSync(file);
      parts.push([file, st.size, st.mtimeMs, st.ino]);
    } catch {
      return undefined; // let the full load say what is wrong
    }
  }
  return JSON.stringify(parts);
}

/** Loads the environment's certificate material; throws a TransportError naming the problem and the fix. */
export function loadTlsMaterial(env: Environment, opts: { passphrase?: string; now?: Date } = {}): TlsMaterial {
  const now = opts.now ?? new Date();
  const key = cacheKey(env, opts.passphrase);
  const known = key === undefined ? undefined : checked.get(key);
  if (known) {
    if (known.clientCertificate) checkDates(known.clientCertificate, env.pfx ?? env.cert ?? '', now);
    return known;
  }
  const material = loadUnchecked(env, opts.passphrase, now);
  if (key !== undefined) {
    if (checked.size >= MAX_CHECKED) checked.delete(checked.keys().next().value!);
    checked.set(key, material);
  }
  return material;
}

/**
 * The OpenSSL context for a checked material, made once: a new connection then does not parse the
 * certificate, key and CA again (1–2 ms each time with OpenSSL 3). Cached material is one object
 * while its files are unchanged, so a changed file gets a new context. Undefined when OpenSSL
 * refuses the material: the request then makes its own context and reports OpenSSL's error as before.
 */
const contexts = new WeakMap<TlsMaterial, tls.SecureContext>();

export function secureContextFor(material: TlsMaterial): tls.SecureContext | undefined {
  let context = contexts.get(material);
  if (!context) {
    try {
      context = tls.createSecureContext(material.options);
    } catch {
      return undefined;
    }
    contexts.set(material, context);
  }
  return context;
}

function loadUnchecked(env: Environment, passphrase: string | undefined, now: Date): TlsMaterial {
  const opts = { passphrase };
  const options: TlsOptions = { minVersion: 'TLSv1.2', rejectUnauthorized: env.rejectUnauthorized !== false };
  let clientCertificate: CertificateSummary | undefined;
  if (env.ca) {
    const ca = readFile(env.ca, 'CA file', 'ca');
    if (!/-----BEGIN CERTIFICATE-----/.test(ca.toString('latin1'))) {
      throw new TransportError(
        'tls-material',
        `The CA file "${env.ca}" contains no PEM certificate (-----BEGIN CERTIFICATE-----). Convert it with: openssl x509 -inform der -in ca.cer -out ca.pem`,
      );
    }
    options.ca = ca;
  }
  if (env.pfx) {
    const pfx = readFile(env.pfx, 'PKCS#12 file', 'pfx');
    clientCertificate = loadPfx(pfx, env.pfx, opts.passphrase);
    if (clientCertificate) checkDates(clientCertificate, env.pfx, now);
    options.pfx = pfx;
    if (opts.passphrase !== undefined) options.passphrase = opts.passphrase;
  } else if (env.cert || env.key) {
    if (!env.cert || !env.key) throw new TransportError('tls-material', 'Give both "cert" and "key" (PEM), or "pfx".');
    const certPem = readFile(env.cert, 'client certificate file', 'cert');
    const keyPem = readFile(env.key, 'private key file', 'key');
    const cert = parseCert(certPem, env.cert);
    const key = loadKey(keyPem, env.key, opts.passphrase);
    if (!cert.checkPrivateKey(key)) {
      throw new TransportError(
        'tls-material',
        `The private key "${env.key}" does not match the certificate "${env.cert}" (${cert.subject.replace(/\n/g, ', ')}). Use the key that was generated with this certificate.`,
      );
    }
    clientCertificate = summarize(cert);
    checkDates(clientCertificate, env.cert, now);
    options.cert = certPem;
    options.key = keyPem;
    if (opts.passphrase !== undefined && /ENCRYPTED/.test(keyPem.toString('latin1')))
      options.passphrase = opts.passphrase;
  }
  return { options, clientCertificate, insecure: !options.rejectUnauthorized };
}
