// The life cycle of a credential: activation, the state transitions, its information and attributes, activation and admin codes.
import type { OperationInfo } from '../../data/catalog';
import {
  PHONE_ADAPTERS,
  adminRecoveryCode,
  checkCode,
  keyOf,
  liveTempPassword,
  proofOfPossession,
  syncCodes,
} from '../codes';
import { fail } from '../fault';
import { DAY_MS, bool, flag, type Fields, type Req } from '../fields';
import type { CallContext, Ledger, OperationHandler } from '../handlerTypes';
import { randomDigits } from '../otp';

function transition(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  if (ledger.gate(token, op)) return { SameInitialState: 'true' };
  token.state = op.resultState!;
  if (typeof req.Reason === 'string') token.reportedReason = req.Reason;
  if (token.state === 'ENABLED') ledger.resetFailures(token);
  ledger.touch(token, ctx);
  return { SameInitialState: 'false' };
}

function activate(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  if (ledger.gate(token, op)) return { SameInitialState: 'true' };
  const otp1 = req.OTP1 as string | undefined;
  const otp2 = req.OTP2 as string | undefined;
  if (PHONE_ADAPTERS.includes(token.adapter) && token.state === 'NEW' && !otp1) {
    fail('4e1d', 'Send the code delivered by Register in OTP1.');
  }
  if (otp1 && otp2) {
    if (!syncCodes(token, otp1, otp2, ledger.settings, ctx.now))
      fail('49b5', 'OTP1 and OTP2 are not two consecutive codes of this credential.');
  } else if (otp1) {
    const outcome = checkCode(token, otp1, ledger.settings, ctx.now, true);
    if (outcome === 'sync') fail('4923', 'Send the next code in OTP2.');
    if (outcome === 'bad') fail('49b5');
  }
  return transition(ledger, req, op, ctx);
}

function getTokenInformation(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  const temp = liveTempPassword(token, ctx.now);
  const info: Fields = {
    TokenId: token.id,
    ...(token.kind ? { TokenKind: token.kind } : {}),
    Adapter: token.adapter,
    TokenStatus: token.state,
    ExpirationDate: token.expirationDate ?? new Date(ctx.now.getTime() + 365 * DAY_MS).toISOString(),
    ...(temp ? { TempPasswordExpirationDate: temp.expires, TempPasswordOneTimeUse: flag(!!temp.oneTimeUse) } : {}),
    LastUpdate: token.lastUpdate ?? ctx.now.toISOString(),
    ...(token.tokenGroupId ? { TokenGroupId: token.tokenGroupId } : {}),
    Owner: 'true',
    ...(token.reportedReason ? { ReportedReason: token.reportedReason } : {}),
    ...(bool(req.includeBadAttemptsCount) ? { BadAttemptsCount: token.failedAttempts ?? 0 } : {}),
  };
  return { TokenInformation: info, ...ledger.category(token) };
}

/** Simulator convention: ProofOfPossession = base64 HMAC(secret, TokenId) with the named algorithm. */
function setTokenAttributes(ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  const proof = req.ProofOfPossession as { algorithm: string; value: string };
  if (proof.value.replace(/\s+/g, '') !== proofOfPossession(keyOf(token), token.id, proof.algorithm)) {
    fail('49b5', 'ProofOfPossession is not the HMAC of the TokenId with the credential secret.');
  }
  const attributes = new Map((token.attributes ?? []).map((a) => [a.name, a]));
  for (const a of req.Attribute as { name: string; value?: string }[]) attributes.set(a.name, { ...a });
  token.attributes = [...attributes.values()];
  ledger.touch(token, ctx);
  return { Attribute: token.attributes.map((a) => ({ ...a })) };
}

function getActivationCode(ledger: Ledger, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  ledger.authorize(req);
  return { ActivationCode: randomDigits(8), ACExpiry: new Date(ctx.now.getTime() + DAY_MS).toISOString() };
}

/** Simulator convention: RecoveryCode = 8-digit HMAC-SHA1 (RFC 4226 truncation) of the RequestCode. */
function getAdminCode(ledger: Ledger, req: Req, op: OperationInfo): Fields {
  const token = ledger.findToken(req.TokenId, req);
  ledger.gate(token, op);
  return { RecoveryCode: adminRecoveryCode(keyOf(token), req.RequestCode as string) };
}

export const credentialLifecycle: Record<string, OperationHandler> = {
  ActivateToken: activate,
  DeactivateToken: transition,
  EnableToken: transition,
  DisableToken: transition,
  UnlockToken: transition,
  GetTokenInformation: getTokenInformation,
  SetTokenAttributes: setTokenAttributes,
  GetActivationCode: getActivationCode,
  GetAdminCode: getAdminCode,
};
