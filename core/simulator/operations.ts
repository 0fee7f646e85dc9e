// The common operations (catalog `common: true`): life cycle, codes, temporary passwords, token
// information, phones. Each gets the service, the request object, its catalog entry and the call
// context, and returns the fields of a success or throws a VipFault.
import type { OperationInfo } from '../data/catalog';
import { PHONE_ADAPTERS, checkCode, hashCode, liveTempPassword, syncCodes, tempPasswordMatches } from './codes';
import { fail } from './fault';
import { DAY_MS, bool, flag, isObject, tokenIdOf, type Fields, type Req } from './fields';
import { randomDigits } from './otp';
import type { SimToken } from './state';
import type { CallContext, VipService } from './service';

export type OperationHandler = (svc: VipService, req: Req, op: OperationInfo, ctx: CallContext) => Fields;

function transition(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  if (svc.gate(token, op)) return { SameInitialState: 'true' };
  token.state = op.resultState!;
  if (typeof req.Reason === 'string') token.reportedReason = req.Reason;
  if (token.state === 'ENABLED') svc.resetFailures(token);
  svc.touch(token, ctx);
  return { SameInitialState: 'false' };
}

function activate(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  if (svc.gate(token, op)) return { SameInitialState: 'true' };
  const otp1 = req.OTP1 as string | undefined;
  const otp2 = req.OTP2 as string | undefined;
  if (PHONE_ADAPTERS.includes(token.adapter) && token.state === 'NEW' && !otp1) {
    fail('4e1d', 'Send the code delivered by Register in OTP1.');
  }
  if (otp1 && otp2) {
    if (!syncCodes(token, otp1, otp2, svc.settings, ctx.now)) fail('49b5', 'OTP1 and OTP2 are not two consecutive codes of this credential.');
  } else if (otp1) {
    const outcome = checkCode(token, otp1, svc.settings, ctx.now, true);
    if (outcome === 'sync') fail('4923', 'Send the next code in OTP2.');
    if (outcome === 'bad') fail('49b5');
  }
  return transition(svc, req, op, ctx);
}

function validate(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  const otp = req.OTP as string;
  if (token.state === 'DISABLED') {
    // A disabled credential validates only with its temporary security code.
    if (tempPasswordMatches(token, otp, ctx.now, true)) return svc.category(token, true);
    return fail('4997', `Credential ${token.id} is DISABLED: only its temporary security code validates.`);
  }
  svc.gate(token, op);
  if (tempPasswordMatches(token, otp, ctx.now, true)) {
    svc.resetFailures(token);
    return svc.category(token, true);
  }
  const outcome = checkCode(token, otp, svc.settings, ctx.now, true);
  if (outcome === 'ok') {
    svc.resetFailures(token);
    return svc.category(token);
  }
  if (outcome === 'sync') return fail('4923', 'Call Synchronize (or CheckOTP) with this code and the next one.');
  svc.recordFailure(token, ctx);
  return fail('49b5', token.state === 'LOCKED' ? `Too many failed attempts: ${token.id} is now LOCKED.` : undefined);
}

function validateMultiple(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const tokens = (req.TokenIds as unknown[]).map((id) => svc.findToken(id, req));
  const enabled = tokens.filter((t) => t.state === 'ENABLED');
  if (enabled.length === 0) svc.gate(tokens[0], op);
  const otp = req.OTP as string;
  let sync = false;
  for (const token of enabled) {
    const temporary = tempPasswordMatches(token, otp, ctx.now, true);
    const outcome = temporary ? 'ok' : checkCode(token, otp, svc.settings, ctx.now, true);
    if (outcome === 'ok') {
      svc.resetFailures(token);
      return { ...(bool(req.SendSuccessfulTokenId) ? { SuccessfulTokenId: token.id } : {}), ...svc.category(token, temporary) };
    }
    sync ||= outcome === 'sync';
  }
  if (sync) return fail('4923', 'Call Synchronize with this code and the next one.');
  for (const token of enabled) svc.recordFailure(token, ctx);
  return fail('49b5');
}

function synchronize(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
  if (syncCodes(token, req.OTP1 as string, req.OTP2 as string, svc.settings, ctx.now)) {
    svc.resetFailures(token);
    return {};
  }
  svc.recordFailure(token, ctx);
  return fail('49b5', 'OTP1 and OTP2 are not two consecutive codes inside the sync window.');
}

/** Administrative check: works on LOCKED and DISABLED credentials, changes neither state nor failure count. */
function checkOtp(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
  const otp1 = req.OTP1 as string;
  if (bool(req.acceptTemporaryPassword) && tempPasswordMatches(token, otp1, ctx.now, false)) return svc.category(token, true);
  if (typeof req.OTP2 === 'string') {
    if (syncCodes(token, otp1, req.OTP2, svc.settings, ctx.now)) return svc.category(token);
    return fail('49b5', 'OTP1 and OTP2 are not two consecutive codes inside the sync window.');
  }
  const outcome = checkCode(token, otp1, svc.settings, ctx.now, false);
  if (outcome === 'sync') fail('4923', 'Send the next code in OTP2.');
  if (outcome === 'bad') fail('49b5');
  return svc.category(token);
}

// The ExpirationDate is checked before the credential: 4953 is about the request alone.
function setTemporaryPassword(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const value = req.TemporaryPassword as string;
  const expires = value === '' ? undefined : svc.expiry(req.ExpirationDate, op, ctx);
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
  if (expires === undefined) {
    delete token.tempPassword;
    return {};
  }
  token.tempPassword = { sha256: hashCode(token, value), expires, ...(bool(req.OneTimeUseOnly) ? { oneTimeUse: true } : {}) };
  svc.touch(token, ctx);
  return {};
}

function newTemporaryPassword(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): { token: SimToken; value: string } {
  const expires = svc.expiry(req.ExpirationDate, op, ctx);
  const token = svc.findToken(req.TokenId, req, op.name === 'SendTemporaryPassword');
  svc.gate(token, op);
  const value = randomDigits(6);
  token.tempPassword = { sha256: hashCode(token, value), expires, ...(bool(req.OneTimeUseOnly) ? { oneTimeUse: true } : {}) };
  svc.touch(token, ctx);
  return { token, value };
}

function generateTemporaryPassword(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  return { TemporaryPassword: newTemporaryPassword(svc, req, op, ctx).value };
}

function sendTemporaryPassword(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const destination = isObject(req.Destination) ? req.Destination : undefined;
  const to = typeof req.PhoneNumber === 'string' ? req.PhoneNumber : typeof destination?.value === 'string' ? destination.value : undefined;
  if (!to) fail('4e00', 'SendTemporaryPassword needs PhoneNumber (SMS) or Destination (Voice).');
  const { token, value } = newTemporaryPassword(svc, req, op, ctx);
  svc.deliver({ operation: op.name, tokenId: token.id, channel: destination?.type === 'Voice' ? 'Voice' : 'SMS', to: to!, kind: 'TemporaryPassword', code: value }, ctx);
  return {};
}

function setTemporaryPwdExpiration(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const expires = svc.expiry(req.ExpirationDate, op, ctx);
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
  const current = liveTempPassword(token, ctx.now);
  if (!current) return fail('4990', `Credential ${token.id} has no temporary security code; set one first.`);
  current.expires = expires;
  svc.touch(token, ctx);
  return {};
}

function getTemporaryPwdExpiration(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
  const current = liveTempPassword(token, ctx.now);
  return current ? { ExpirationDate: current.expires } : {};
}

function getTokenInformation(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req);
  svc.gate(token, op);
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
  return { TokenInformation: info, ...svc.category(token) };
}

function register(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const { id, type } = tokenIdOf(req.TokenId);
  svc.authorize(req);
  if (svc.state.revokedTokenIds?.includes(id)) fail('4e11', `Credential ${id} has been revoked.`);
  let token = svc.state.tokens.find((t) => t.id === id);
  if (token) {
    token = svc.findToken(req.TokenId, req);
    svc.gate(token, op);
    if (token.state !== 'NEW') fail('4e1b', `Phone number ${id} is already registered (${token.state}); use SendOTP.`);
  } else {
    if (!/^[0-9]{5,20}$/.test(id)) fail('4e00', 'Register takes a phone number with country code, digits only, as TokenId.');
    token = { id, adapter: type === 'Voice' ? 'VOICE_OTP' : 'SMS_OTP', kind: 'SOFTWARE', state: 'NEW', lastUpdate: ctx.now.toISOString() };
    svc.state.tokens.push(token);
  }
  const code = svc.issuePhoneOtp(token, ctx);
  if (bool(req.DeliverOTP) === false) return { OTP: code }; // the caller delivers it
  svc.deliver({ operation: op.name, tokenId: id, channel: token.adapter === 'VOICE_OTP' ? 'Voice' : 'SMS', to: id, kind: 'OTP', code }, ctx);
  return {};
}

function sendOtp(svc: VipService, req: Req, op: OperationInfo, ctx: CallContext): Fields {
  const token = svc.findToken(req.TokenId, req, true);
  svc.gate(token, op);
  const code = svc.issuePhoneOtp(token, ctx);
  svc.deliver({ operation: op.name, tokenId: token.id, channel: token.adapter === 'VOICE_OTP' ? 'Voice' : 'SMS', to: token.id, kind: 'OTP', code }, ctx);
  return { GatewayResponse: 'SIMULATED: delivered' };
}

function getActivationCode(svc: VipService, req: Req, _op: OperationInfo, ctx: CallContext): Fields {
  svc.authorize(req);
  return { ActivationCode: randomDigits(8), ACExpiry: new Date(ctx.now.getTime() + DAY_MS).toISOString() };
}

export const commonOperations: Record<string, OperationHandler> = {
  ActivateToken: activate,
  DeactivateToken: transition,
  EnableToken: transition,
  DisableToken: transition,
  UnlockToken: transition,
  Validate: validate,
  ValidateMultiple: validateMultiple,
  Synchronize: synchronize,
  CheckOTP: checkOtp,
  SetTemporaryPassword: setTemporaryPassword,
  GenerateTemporaryPassword: generateTemporaryPassword,
  SendTemporaryPassword: sendTemporaryPassword,
  SetTemporaryPwdExpiration: setTemporaryPwdExpiration,
  GetTemporaryPwdExpiration: getTemporaryPwdExpiration,
  GetTokenInformation: getTokenInformation,
  Register: register,
  SendOTP: sendOtp,
  GetServerTime: (_svc, _req, _op, ctx) => ({ Timestamp: ctx.now.toISOString(), UTCTimestamp: ctx.now.toISOString() }),
  GetActivationCode: getActivationCode,
};
