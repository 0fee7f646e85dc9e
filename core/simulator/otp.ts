// One-time codes with node:crypto: HOTP (RFC 4226), TOTP (RFC 6238) and the OCRA suite
// OCRA-1:HOTP-SHA1-6:QN08 (RFC 6287) for challenge/response credentials.
import { createHmac, randomInt } from 'node:crypto';

/** A shared secret written as hex (the form `oathtool` takes): `3132…30`. */
export function secretFromHex(hex: string): Buffer {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length === 0 || clean.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(clean)) {
    throw new Error('a secret must be an even number of hex digits');
  }
  return Buffer.from(clean, 'hex');
}

/** RFC 4226 dynamic truncation of an HMAC to `digits` decimal digits. */
function truncate(mac: Buffer, digits: number): string {
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function hotp(key: Buffer, counter: number, digits = 6): string {
  if (!Number.isSafeInteger(counter) || counter < 0)
    throw new Error(`HOTP counter must be a non-negative integer, not ${counter}`);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  return truncate(createHmac('sha1', key).update(message).digest(), digits);
}

/** The TOTP time step that contains `timeMs`. */
export function timeStep(timeMs: number, stepSeconds = 30): number {
  return Math.floor(timeMs / 1000 / stepSeconds);
}

export function totp(key: Buffer, timeMs: number, stepSeconds = 30, digits = 6): string {
  return hotp(key, timeStep(timeMs, stepSeconds), digits);
}

/** OCRA-1:HOTP-SHA1-6:QN08: a numeric challenge of up to 8 digits, no counter, PIN or time. */
export const OCRA_SUITE = 'OCRA-1:HOTP-SHA1-6:QN08';

export function ocra(key: Buffer, numericChallenge: string): string {
  if (!/^[0-9]{1,8}$/.test(numericChallenge)) throw new Error('an OCRA QN08 challenge is 1 to 8 digits');
  // Q: the challenge as a hex number, left-aligned and zero-padded to 128 bytes.
  let hex = BigInt(numericChallenge).toString(16).toUpperCase();
  hex = hex.padEnd(256, '0');
  const message = Buffer.concat([Buffer.from(OCRA_SUITE, 'ascii'), Buffer.from([0]), Buffer.from(hex, 'hex')]);
  return truncate(createHmac('sha1', key).update(message).digest(), 6);
}

/** A random code of `digits` digits (phone OTPs, temporary passwords, activation codes). */
export function randomDigits(digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += String(randomInt(10));
  return out;
}
