// Checking the codes credentials show: Validate, ValidateMultiple, Synchronize, CheckOTP, ValidateCR, and the server time they are checked against.
import type { OperationInfo } from '../../data/catalog';
import { checkCode, keyOf, syncCodes, tempPasswordMatches } from '../codes';
import { fail } from '../fault';
import { bool, type Fields, type Req } from '../fields';
import type { CallContext, Ledger, OperationHandler } from '../handlerTypes';
import { ocra } from '../otp';

function validate(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  const otp = req.OTP as string;
  if (token.state === 'DISABLED') {
    // A disabled credential validates only with its temporary security code.
    if (tempPasswordMatches(token, otp, ctx.now, true)) return ledger.category(token, true);
    return fail('4997', `Credential ${token.id} is DISABLED: only its temporary security code validates.`);
  }
  ledger.gate(token, op);
  if (tempPasswordMatches(token, otp, ctx.now, true)) {
    ledger.resetFailures(token);
    return ledger.category(token, true);
  }
  const outcome = checkCode(token, otp, ledger.settings, ctx.now, true);
  if (outcome === 'ok') {
    ledger.resetFailures(token);
    return ledger.category(token);
  }
  if (outcome === 'sync') return fail('4923', 'Call Synchronize (or CheckOTP) with this code and the next one.');
  ledger.recordFailure(token, ctx);
  return fail('49b5', token.state === 'LOCKED' ? `Too many failed attempts: ${token.id} is now LOCKED.` : undefined);
}

function validateMultiple(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const tokens = (req.TokenIds as unknown[]).map((id) => ledger.findToken(id, req));
  const enabled = tokens.filter((t) => t.state === 'ENABLED');
  if (enabled.length === 0) ledger.gate(tokens[0], op);
  const otp = req.OTP as string;
  let sync = false;
  for (const token of enabled) {
    const temporary = tempPasswordMatches(token, otp, ctx.now, true);
    const outcome = temporary ? 'ok' : checkCode(token, otp, ledger.settings, ctx.now, true);
    if (outcome === 'ok') {
      ledger.resetFailures(token);
      return {
        ...(bool(req.SendSuccessfulTokenId) ? { SuccessfulTokenId: token.id } : {}),
        ...ledger.category(token, temporary),
      };
    }
    sync ||= outcome === 'sync';
  }
  if (sync) return fail('4923', 'Call Synchronize with this code and the next one.');
  for (const token of enabled) ledger.recordFailure(token, ctx);
  return fail('49b5');
}

function synchronize(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  if (syncCodes(token, req.OTP1 as string, req.OTP2 as string, ledger.settings, ctx.now)) {
    ledger.resetFailures(token);
    return {};
  }
  ledger.recordFailure(token, ctx);
  return fail('49b5', 'OTP1 and OTP2 are not two consecutive codes inside the sync window.');
}

/** Administrative check: works on LOCKED and DISABLED credentials, changes neither state nor failure count. */
function checkOtp(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  const otp1 = req.OTP1 as string;
  if (bool(req.acceptTemporaryPassword) && tempPasswordMatches(token, otp1, ctx.now, false))
    return ledger.category(token, true);
  if (typeof req.OTP2 === 'string') {
    if (syncCodes(token, otp1, req.OTP2, ledger.settings, ctx.now)) return ledger.category(token);
    return fail('49b5', 'OTP1 and OTP2 are not two consecutive codes inside the sync window.');
  }
  const outcome = checkCode(token, otp1, ledger.settings, ctx.now, false);
  if (outcome === 'sync') fail('4923', 'Send the next code in OTP2.');
  if (outcome === 'bad') fail('49b5');
  return ledger.category(token);
}

function validateCr(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const tokens = (req.TokenIds as unknown[]).map((id) => ledger.findToken(id, req));
  for (const token of tokens) {
    if (token.adapter !== 'OCRA') fail('4f05', `ValidateCR needs OCRA credentials; ${token.id} is ${token.adapter}.`);
    ledger.gate(token, op);
  }
  if (typeof req.NumericChallenge !== 'string' || req.NumericChallenge.length > 8) {
    fail(
      '4e00',
      'The simulator supports the OCRA suite OCRA-1:HOTP-SHA1-6:QN08: send a NumericChallenge of 6 to 8 digits.',
    );
  }
  const checkOnly = bool(req.CheckOnly) === true;
  for (const token of tokens) {
    if (ocra(keyOf(token), req.NumericChallenge) === req.Response) {
      if (!checkOnly) ledger.resetFailures(token);
      return { SuccessfulTokenId: token.id, ...ledger.category(token) };
    }
  }
  if (!checkOnly) for (const token of tokens) ledger.recordFailure(token, ctx);
  return fail('49b5');
}

export const otpValidation: Record<string, OperationHandler> = {
  Validate: validate,
  ValidateMultiple: validateMultiple,
  Synchronize: synchronize,
  CheckOTP: checkOtp,
  ValidateCR: validateCr,
  GetServerTime: (_ledger, _req, _op, ctx) => ({
    Timestamp: ctx.now.toISOString(),
    UTCTimestamp: ctx.now.toISOString(),
  }),
};
