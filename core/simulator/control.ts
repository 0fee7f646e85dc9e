// The control API under /_simulator/: what tests ask the running simulator (codes, deliveries).
import { codeFor, nextCodeFor } from './codes';
import type { Exchange } from './exchange';

export const CONTROL_PREFIX = '/_simulator/';

export function control(ex: Exchange, now: () => Date): void {
  const { req, service } = { req: ex.req, service: ex.wire.service };
  if (req.method !== 'GET' && req.method !== 'HEAD') return ex.vipError('4e10', `${ex.path} answers GET only.`, { Allow: 'GET, HEAD' }, 405);
  req.resume();
  const what = ex.path.slice(CONTROL_PREFIX.length);
  if (what === 'deliveries') return ex.send(200, { deliveries: service.deliveries }, { operation: 'deliveries' });
  const otpMatch = /^otp\/(.+)$/.exec(what);
  if (!otpMatch) return ex.send(404, { error: `Unknown simulator endpoint. Try ${CONTROL_PREFIX}deliveries or ${CONTROL_PREFIX}otp/<TokenId>.` }, {});
  const tokenId = decodeURIComponent(otpMatch[1]);
  const offset = ex.url.searchParams.get('offset');
  const clock = now();
  const code = offset === null ? nextCodeFor(service.state, tokenId, clock) : /^-?\d{1,6}$/.test(offset) ? codeFor(service.state, tokenId, clock, Number(offset)) : undefined;
  if (code === undefined) {
    return ex.send(404, { error: `No TOTP/HOTP code for ${tokenId}${offset !== null ? ` at offset ${offset}` : ''}: unknown token, no OATH secret, or every code in the validation window is used.` }, { operation: 'otp' });
  }
  ex.send(200, { TokenId: tokenId, OTP: code, time: clock.toISOString() }, { operation: 'otp' });
}
