// Checking the codes a credential shows: TOTP/HOTP windows, resynchronization, server-sent codes
// and temporary passwords (stored as SHA-256, never in clear).
import { createHash, createHmac } from 'node:crypto';
import { fail } from './fault';
import { hotp, secretFromHex, timeStep, totp } from './otp';
import { settingsOf, type SimSettings, type SimToken, type SimulatorState, type StoredCode } from './state';

export const TIME_ADAPTERS = ['OATH_TIME', 'VASCO_TIME', 'SECURID'];
export const EVENT_ADAPTERS = ['OATH_EVENT_BASIC', 'OATH_EVENT_ADVANCED_1', 'OATH_EVENT_ADVANCED_2'];
export const PHONE_ADAPTERS = ['SMS_OTP', 'VOICE_OTP'];

export type CodeOutcome = 'ok' | 'sync' | 'bad';

export function keyOf(token: SimToken): Buffer {
  if (!token.secret) return fail('4f05', `Credential ${token.id} (${token.adapter}) has no OATH secret.`);
  return secretFromHex(token.secret);
}

/** One code: 'ok' inside the validation window, 'sync' inside the sync window, else 'bad'.
 *  `consume` uses the code up (TOTP step, HOTP counter, server code). */
export function checkCode(token: SimToken, code: string, s: SimSettings, now: Date, consume: boolean): CodeOutcome {
  if (TIME_ADAPTERS.includes(token.adapter)) {
    const key = keyOf(token);
    const current = timeStep(now.getTime(), s.timeStepSeconds) + (token.driftSteps ?? 0);
    for (let d = 0; d <= s.syncWindow; d++) {
      for (const step of d === 0 ? [current] : [current + d, current - d]) {
        if (step < 0 || hotp(key, step, s.digits) !== code) continue;
        if (step <= (token.lastStep ?? -1)) return 'bad'; // a code is good once, and time only goes forward
        if (d > s.validationWindow) return 'sync';
        if (consume) token.lastStep = step;
        return 'ok';
      }
    }
    return 'bad';
  }
  if (EVENT_ADAPTERS.includes(token.adapter)) {
    const key = keyOf(token);
    const counter = token.counter ?? 0;
    for (let i = 0; i < Math.max(s.syncWindow, s.lookAheadWindow); i++) {
      if (hotp(key, counter + i, s.digits) !== code) continue;
      if (i >= s.lookAheadWindow) return 'sync';
      if (consume) token.counter = counter + i + 1;
      return 'ok';
    }
    return 'bad';
  }
  if (PHONE_ADAPTERS.includes(token.adapter) || token.adapter === 'SERVER_OTP') {
    if (!storedMatches(token, 'phoneOtp', code, now)) return 'bad';
    if (consume) delete token.phoneOtp;
    return 'ok';
  }
  return fail(
    '4f05',
    `${token.adapter} credentials are not validated with a security code here${token.adapter === 'OCRA' ? '; use ValidateCR' : ''}.`,
  );
}

/** Two consecutive codes inside the sync window resynchronize the credential. */
export function syncCodes(token: SimToken, code1: string, code2: string, s: SimSettings, now: Date): boolean {
  if (TIME_ADAPTERS.includes(token.adapter)) {
    const key = keyOf(token);
    const raw = timeStep(now.getTime(), s.timeStepSeconds);
    const current = raw + (token.driftSteps ?? 0);
    for (let d = 0; d <= s.syncWindow; d++) {
      for (const step of d === 0 ? [current] : [current + d, current - d]) {
        if (step < 0 || step + 1 <= (token.lastStep ?? -1)) continue;
        if (hotp(key, step, s.digits) === code1 && hotp(key, step + 1, s.digits) === code2) {
          token.driftSteps = step + 1 - raw;
          token.lastStep = step + 1;
          return true;
        }
      }
    }
    return false;
  }
  if (EVENT_ADAPTERS.includes(token.adapter)) {
    const key = keyOf(token);
    const counter = token.counter ?? 0;
    for (let i = 0; i < s.syncWindow; i++) {
      if (hotp(key, counter + i, s.digits) === code1 && hotp(key, counter + i + 1, s.digits) === code2) {
        token.counter = counter + i + 2;
        return true;
      }
    }
    return false;
  }
  return fail('4f05', `${token.adapter} credentials do not need to be synchronized.`);
}

/** What is stored for a temporary password or a sent code, salted with the TokenId. */
export function hashCode(token: SimToken, code: string): string {
  return createHash('sha256').update(`${token.id}\0${code}`).digest('hex');
}

/** A stored code that has not expired and equals `code` (an expired one is dropped). */
function storedMatches(token: SimToken, field: 'tempPassword' | 'phoneOtp', code: string, now: Date): boolean {
  const stored = token[field];
  if (!stored) return false;
  if (Date.parse(stored.expires) <= now.getTime()) {
    delete token[field];
    return false;
  }
  return stored.sha256 === hashCode(token, code);
}

/** A live temporary password equal to `code`; a one-time password is used up when `consume`. */
export function tempPasswordMatches(token: SimToken, code: string, now: Date, consume: boolean): boolean {
  if (!storedMatches(token, 'tempPassword', code, now)) return false;
  if (consume && token.tempPassword?.oneTimeUse) delete token.tempPassword;
  return true;
}

export function liveTempPassword(token: SimToken, now: Date): StoredCode | undefined {
  if (token.tempPassword && Date.parse(token.tempPassword.expires) <= now.getTime()) delete token.tempPassword;
  return token.tempPassword;
}

/** Simulator convention: RecoveryCode = 8-digit HMAC-SHA1 (RFC 4226 truncation) of the RequestCode. */
export function adminRecoveryCode(key: Buffer, requestCode: string): string {
  const mac = createHmac('sha1', key).update(requestCode.toUpperCase()).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e8).padStart(8, '0');
}

/** Simulator convention: ProofOfPossession = base64 HMAC(secret, TokenId) with the named algorithm. */
export function proofOfPossession(key: Buffer, tokenId: string, algorithm: string): string {
  const hash = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' }[algorithm] ?? 'sha1';
  return createHmac(hash, key).update(tokenId).digest('base64');
}

/** The code a credential shows `offsetSteps` steps (TOTP) or counters (HOTP) from now. */
export function codeFor(state: SimulatorState, tokenId: string, now: Date, offsetSteps = 0): string | undefined {
  const token = state.tokens.find((t) => t.id === tokenId);
  if (!token?.secret) return undefined;
  const s = settingsOf(state);
  const key = secretFromHex(token.secret);
  if (TIME_ADAPTERS.includes(token.adapter)) {
    return totp(
      key,
      now.getTime() + (offsetSteps + (token.driftSteps ?? 0)) * s.timeStepSeconds * 1000,
      s.timeStepSeconds,
      s.digits,
    );
  }
  if (EVENT_ADAPTERS.includes(token.adapter)) return hotp(key, (token.counter ?? 0) + offsetSteps, s.digits);
  return undefined;
}

/** The next code the simulator accepts for a TOTP credential (after any code already used). */
export function nextCodeFor(state: SimulatorState, tokenId: string, now: Date): string | undefined {
  const token = state.tokens.find((t) => t.id === tokenId);
  if (!token?.secret || !TIME_ADAPTERS.includes(token.adapter)) return codeFor(state, tokenId, now);
  const s = settingsOf(state);
  const current = timeStep(now.getTime(), s.timeStepSeconds) + (token.driftSteps ?? 0);
  const step = Math.max(current, (token.lastStep ?? -1) + 1);
  if (step > current + s.validationWindow) return undefined;
  return hotp(secretFromHex(token.secret), step, s.digits);
}
