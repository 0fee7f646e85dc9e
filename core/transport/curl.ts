// A working curl command line for a prepared request and its environment. The passphrase is never
// written: it appears as an environment-variable placeholder the user sets first.
import type { Environment } from './environment';
import type { PreparedRequest } from './request';

/** POSIX shell single-quoting. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CurlOptions {
  /** Name of the environment variable that holds the passphrase (default VIP_CERT_PASSPHRASE). */
  passphraseVar?: string;
  /** Whether the key / PKCS#12 needs a passphrase. */
  needsPassphrase?: boolean;
  timeoutMs?: number;
}

export function toCurl(request: PreparedRequest, env: Environment, opts: CurlOptions = {}): string {
  const v = opts.passphraseVar ?? 'VIP_CERT_PASSPHRASE';
  const args: string[] = ['curl', '--silent', '--show-error', '--tlsv1.2', '-X', 'POST'];
  for (const [k, val] of Object.entries(request.headers)) args.push('-H', shellQuote(`${k}: ${val}`));
  if (env.pfx) {
    args.push(
      '--cert-type',
      'P12',
      '--cert',
      opts.needsPassphrase === false ? shellQuote(env.pfx) : `${shellQuote(env.pfx + ':')}"$${v}"`,
    );
  } else if (env.cert && env.key) {
    args.push('--cert', shellQuote(env.cert), '--key', shellQuote(env.key));
    if (opts.needsPassphrase) args.push('--pass', `"$${v}"`);
  }
  if (env.ca) args.push('--cacert', shellQuote(env.ca));
  if (env.rejectUnauthorized === false) args.push('--insecure');
  const timeout = opts.timeoutMs ?? env.timeoutMs;
  if (timeout) args.push('--max-time', String(Math.ceil(timeout / 1000)));
  args.push('--data-binary', shellQuote(request.body), shellQuote(request.url.href));
  return args.join(' ');
}
