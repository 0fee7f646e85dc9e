// The VIP Credential Management service, independent of the wire: an operation name and the JS
// request document in, the JS response document out. The REST wire (http.ts) and a later SOAP
// wire share it. Reason codes, messages, states and adapters all come from the catalog.
import { randomInt } from 'node:crypto';
import {
  documentKey, getOperation, getReasonCode, operationForKey, reasonCodeForState, secretFields, versions,
  type OperationInfo,
} from '../data/catalog';
import { schemaIssues, validatorFor } from '../engine/schemaValidation';
import { REDACTED } from '../redact';
import { PHONE_ADAPTERS, checkCode, hashCode, keyOf, liveTempPassword, syncCodes, tempPasswordMatches, adminRecoveryCode, proofOfPossession } from './codes';
import { VipFault, fail } from './fault';
import { ocra, randomDigits } from './otp';
import { settingsOf, type SimSettings, type SimToken, type SimulatorState } from './state';

export interface CallContext {
  now: Date;
  /** Answer with this fault instead of doing the work (4879 or 4e01). */
  fault?: string;
}

export interface ServiceResult {
  /** The whole response document, `{"<Operation>Response": {…}}` (or `{"ErrorResponse": …}`). */
  response: Record<string, unknown>;
  reasonCode: string;
  operation?: string;
  tokenId?: string;
  /** The state changed (write it back when persisting). */
  changed: boolean;
}

/** A code or message the simulator "sent" to a phone instead of sending it. */
export interface Delivery {
  time: string;
  operation: string;
  tokenId?: string;
  channel: 'SMS' | 'Voice';
  to: string;
  kind: 'OTP' | 'TemporaryPassword' | 'TxnOTP' | 'Message';
  code?: string;
  message?: string;
}

/** Codes a caller can ask for on purpose, by setting or by a `simulate-<code>` RequestId. */
export const FAULT_CODES = ['4879', '4e01'] as const;
const FAULT_TRIGGER = /simulate-(4879|4e01)/i;
const MAX_DELIVERIES = 1000;
/** VIP documents are a few levels deep; anything much deeper is an attack or a mistake. */
const MAX_DEPTH = 16;

type Req = Record<string, unknown>;
type Fields = Record<string, unknown>;
type Handler = (req: Req, op: OperationInfo, ctx: CallContext) => Fields;

const SECRET = new Set(secretFields);
const DAY_MS = 86_400_000;

const isObject = (v: unknown): v is Req => typeof v === 'object' && v !== null && !Array.isArray(v);
const bool = (v: unknown): boolean | undefined => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined);
const flag = (b: boolean): string => (b ? 'true' : 'false');

/** TokenId is a string, or `{value, type}` carrying the XML `type` attribute. */
function tokenIdOf(v: unknown): { id: string; type?: string } {
  if (typeof v === 'string') return { id: v };
  if (isObject(v) && typeof v.value === 'string') return { id: v.value, type: typeof v.type === 'string' ? v.type : undefined };
  return fail('4e00', 'TokenId is missing or not a credential ID.');
}

export class VipService {
  readonly deliveries: Delivery[] = [];
  private readonly txns = new Map<string, { otp: string; to: string; expires: number }>();
  private readonly handlers: Record<string, Handler>;

  constructor(public state: SimulatorState) {
    this.handlers = {
      ActivateToken: (r, op, c) => this.activate(r, op, c),
      DeactivateToken: (r, op, c) => this.transition(r, op, c),
      EnableToken: (r, op, c) => this.transition(r, op, c),
      DisableToken: (r, op, c) => this.transition(r, op, c),
      UnlockToken: (r, op, c) => this.transition(r, op, c),
      Validate: (r, op, c) => this.validate(r, op, c),
      ValidateMultiple: (r, op, c) => this.validateMultiple(r, op, c),
      Synchronize: (r, op, c) => this.synchronize(r, op, c),
      CheckOTP: (r, op, c) => this.checkOtp(r, op, c),
      SetTemporaryPassword: (r, op, c) => this.setTemporaryPassword(r, op, c),
      GenerateTemporaryPassword: (r, op, c) => this.generateTemporaryPassword(r, op, c),
      SendTemporaryPassword: (r, op, c) => this.sendTemporaryPassword(r, op, c),
      SetTemporaryPwdExpiration: (r, op, c) => this.setTemporaryPwdExpiration(r, op, c),
      GetTemporaryPwdExpiration: (r, op, c) => this.getTemporaryPwdExpiration(r, op, c),
      GetTokenInformation: (r, op, c) => this.getTokenInformation(r, op, c),
      Register: (r, op, c) => this.register(r, op, c),
      SendOTP: (r, op, c) => this.sendOtp(r, op, c),
      DeliverSMS: (r, op, c) => this.deliverSms(r, op, c),
      GetServerTime: (_r, _op, c) => ({ Timestamp: c.now.toISOString(), UTCTimestamp: c.now.toISOString() }),
      GetActivationCode: (r, _op, c) => this.getActivationCode(r, c),
      GetAdminCode: (r, op, c) => this.getAdminCode(r, op, c),
      ValidateCR: (r, op, c) => this.validateCr(r, op, c),
      SubmitTxnVerification: (r, _op, c) => this.submitTxnVerification(r, c),
      PollTxnVerification: (r) => this.pollTxnVerification(r),
      DeliverTxnOTP: (r, _op, c) => this.deliverTxnOtp(r, c),
      VerifyTxnOTP: (r, _op, c) => this.verifyTxnOtp(r, c),
      SetTokenAttributes: (r, op, c) => this.setTokenAttributes(r, op, c),
    };
  }

  get settings(): SimSettings {
    return settingsOf(this.state);
  }

  /** Answers one request document sent to the URL of `operation`. Never throws. */
  handle(operation: string, document: unknown, ctx: CallContext): ServiceResult {
    const before = JSON.stringify(this.state);
    let opName: string | undefined = getOperation(operation)?.name;
    let req: Req | undefined;
    let tokenId: string | undefined;
    const result = (code: string, detail?: string, fields: Fields = {}): ServiceResult => ({
      response: this.reply(opName, req, code, fields, detail),
      reasonCode: code,
      operation: opName,
      tokenId,
      changed: JSON.stringify(this.state) !== before,
    });
    try {
      if (!opName) return result('4e10', `No VIP operation is served at this URL (${operation}).`);
      if (!isObject(document)) return result('4e00', `The body must be a JSON object {"${documentKey(opName, 'request')}": {…}}.`);
      const keys = Object.keys(document);
      const found = keys.length === 1 ? operationForKey(keys[0]) : undefined;
      if (!found || found.kind !== 'request') {
        return result('4e00', `The body must have exactly one member, "${documentKey(opName, 'request')}"${keys.length ? `; found ${keys.slice(0, 3).map((k) => JSON.stringify(k)).join(', ')}` : ''}.`);
      }
      if (found.operation.name !== opName) {
        const urlOp = opName;
        opName = found.operation.name;
        req = isObject(document[keys[0]]) ? (document[keys[0]] as Req) : undefined;
        return result('4e10', `This URL serves ${urlOp}; the body is a ${keys[0]}. Send it to /${found.operation.rest}.`);
      }
      const body = document[keys[0]];
      if (!isObject(body)) return result('4e00', `${keys[0]} must be an object.`);
      req = body;
      tokenId = typeof req.TokenId === 'string' ? req.TokenId : isObject(req.TokenId) && typeof req.TokenId.value === 'string' ? req.TokenId.value : undefined;
      if (nestedDeeperThan(body, MAX_DEPTH)) return result('4e00', `The request is nested more than ${MAX_DEPTH} levels deep.`);
      const fault = ctx.fault ?? (typeof req.RequestId === 'string' ? FAULT_TRIGGER.exec(req.RequestId)?.[1] : undefined);
      if (fault) return result(fault.toLowerCase(), 'Fault injected by the simulator.');
      if (typeof req.Version === 'string' && new RegExp(versions.pattern).test(req.Version) && !versions.supported.includes(req.Version)) {
        return result('4e04', `Version ${req.Version} is not supported; use ${versions.supported.join(', ')}.`);
      }
      if (!validatorFor(opName, 'request')(document)) {
        const problem = this.schemaProblem(document, opName);
        return result(problem.code, problem.detail);
      }
      const op = getOperation(opName)!;
      const handler = this.handlers[opName];
      if (!handler) return result('4e01', `${opName} is not implemented by the simulator.`);
      return result('0000', undefined, handler(req, op, ctx));
    } catch (e) {
      if (e instanceof VipFault) return result(e.code, e.detail, e.fields);
      return result('4e01', `Simulator error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A well-formed response document for `code` (also used by the wire for transport errors). */
  reply(operation: string | undefined, req: Req | undefined, code: string, fields: Fields = {}, detail?: string): Record<string, unknown> {
    const info = getReasonCode(code);
    if (!info) throw new Error(`reason code ${code} is not in the catalog`);
    const op = operation ? getOperation(operation) : undefined;
    const version = typeof req?.Version === 'string' && new RegExp(versions.pattern).test(req.Version) ? req.Version : versions.default;
    const requestId = [req?.RequestId, req?.Id].find((v): v is string => typeof v === 'string' && v.length <= 40);
    const body: Fields = { Version: version };
    if (requestId !== undefined) body.RequestId = requestId;
    if (op?.resultState && !('SameInitialState' in fields)) body.SameInitialState = 'false';
    Object.assign(body, fields);
    body.Status = { ReasonCode: info.code, StatusMessage: info.message, ...(detail ? { ErrorDetail: detail } : {}) };
    return { [op ? documentKey(op.name, 'response') : 'ErrorResponse']: body };
  }

  private schemaProblem(document: Req, operation: string): { code: string; detail: string } {
    const issues = schemaIssues(document, operation, 'request').filter((i) => i.severity === 'error' || i.rule === 'schema.unknownField');
    if (issues.length === 0) return { code: '4e00', detail: `The request does not match the ${operation} schema.` };
    // A field with its own reason code (TemporaryPassword 4952, ACProfile 4e08) wins when it is the only problem.
    const codes = new Set(issues.map((i) => i.code ?? '4e00'));
    const code = codes.size === 1 ? [...codes][0] : '4e00';
    const detail = issues.slice(0, 3).map((i) => {
      const path = i.path.slice(1).join('.') || String(i.path[0] ?? '');
      return `${path}: ${hideSecretValue(i.message, i.path, document)}`;
    }).join(' ');
    return { code, detail };
  }

  // ---- credentials, accounts and states ------------------------------------------------------

  private authorize(req: Req): string {
    const account = typeof req.AuthorizerAccountId === 'string' ? req.AuthorizerAccountId : this.state.account;
    if (account !== this.state.account && !this.state.memberAccounts?.includes(account)) {
      fail('4e03', `Account ${account} is not authorized for the caller's account.`);
    }
    return account;
  }

  private findToken(idValue: unknown, req: Req, phoneOperation = false): SimToken {
    const { id, type } = tokenIdOf(idValue);
    const account = this.authorize(req);
    if (this.state.revokedTokenIds?.includes(id)) fail('4e11', `Credential ${id} has been revoked.`);
    const token = this.state.tokens.find((t) => t.id === id);
    if (!token) {
      if (phoneOperation && (type === 'SMS' || type === 'Voice' || /^[0-9]{5,20}$/.test(id))) fail('4e16', `Phone number ${id} is not registered; call Register first.`);
      return fail('49f2', `No credential ${id}.`);
    }
    if (token.revoked) fail('4e11', `Credential ${id} has been revoked.`);
    if ((token.owner ?? this.state.account) !== account) fail('4e03', 'Your account did not issue this credential.');
    return token;
  }

  /** Adapter and state checks of `op`; true when the token is already in the op's result state. */
  private gate(token: SimToken, op: OperationInfo): boolean {
    if (op.adapters && !op.adapters.includes(token.adapter)) fail('4f05', `${op.name} does not support ${token.adapter} credentials.`);
    if (op.resultState && token.state === op.resultState) return true;
    if (op.acceptsStates && !op.acceptsStates.includes(token.state)) {
      fail(reasonCodeForState(token.state)?.code ?? '4990', `${op.name} needs a credential that is ${op.acceptsStates.join(' or ')}; ${token.id} is ${token.state}.`);
    }
    return false;
  }

  private touch(token: SimToken, ctx: CallContext): void {
    token.lastUpdate = ctx.now.toISOString();
  }

  private recordFailure(token: SimToken, ctx: CallContext): void {
    token.failedAttempts = (token.failedAttempts ?? 0) + 1;
    if (token.failedAttempts >= this.settings.maxFailedAttempts && token.state === 'ENABLED') {
      token.state = 'LOCKED';
      this.touch(token, ctx);
    }
  }

  private resetFailures(token: SimToken): void {
    if (token.failedAttempts) token.failedAttempts = 0;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private category(token: SimToken, temporary = false): Fields {
    if (!token.category) return {};
    return { TokenCategoryDetails: { ...token.category, ...(temporary ? { MovingFactor: 'NONE' } : {}) } };
  }

  private deliver(d: Omit<Delivery, 'time'>, ctx: CallContext): void {
    this.deliveries.push({ time: ctx.now.toISOString(), ...d });
    if (this.deliveries.length > MAX_DELIVERIES) this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERIES);
  }

  private issuePhoneOtp(token: SimToken, ctx: CallContext): string {
    const code = randomDigits(this.settings.digits);
    token.phoneOtp = { sha256: hashCode(token, code), expires: new Date(ctx.now.getTime() + this.settings.phoneOtpValiditySeconds * 1000).toISOString() };
    return code;
  }

  /** ExpirationDate of a temporary password: later than now, at most `op.expirationMaxDays` ahead (4953). */
  private expiry(value: unknown, op: OperationInfo, ctx: CallContext): string {
    const maxDays = op.expirationMaxDays ?? 30;
    const now = ctx.now.getTime();
    if (value === undefined) return new Date(now + Math.min(this.settings.temporaryPasswordDefaultHours * 3_600_000, maxDays * DAY_MS)).toISOString();
    const at = Date.parse(String(value));
    if (!(at > now) || at > now + maxDays * DAY_MS) fail('4953', `ExpirationDate must be after ${ctx.now.toISOString()} and at most ${maxDays} days later.`);
    return new Date(at).toISOString();
  }

  // ---- operations ----------------------------------------------------------------------------

  private transition(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    if (this.gate(token, op)) return { SameInitialState: 'true' };
    token.state = op.resultState!;
    if (typeof req.Reason === 'string') token.reportedReason = req.Reason;
    if (token.state === 'ENABLED') this.resetFailures(token);
    this.touch(token, ctx);
    return { SameInitialState: 'false' };
  }

  private activate(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    if (this.gate(token, op)) return { SameInitialState: 'true' };
    const otp1 = req.OTP1 as string | undefined;
    const otp2 = req.OTP2 as string | undefined;
    if (PHONE_ADAPTERS.includes(token.adapter) && token.state === 'NEW' && !otp1) {
      fail('4e1d', 'Send the code delivered by Register in OTP1.');
    }
    if (otp1 && otp2) {
      if (!syncCodes(token, otp1, otp2, this.settings, ctx.now)) fail('49b5', 'OTP1 and OTP2 are not two consecutive codes of this credential.');
    } else if (otp1) {
      const outcome = checkCode(token, otp1, this.settings, ctx.now, true);
      if (outcome === 'sync') fail('4923', 'Send the next code in OTP2.');
      if (outcome === 'bad') fail('49b5');
    }
    return this.transition(req, op, ctx);
  }

  private validate(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    const otp = req.OTP as string;
    if (token.state === 'DISABLED') {
      // A disabled credential validates only with its temporary security code.
      if (tempPasswordMatches(token, otp, ctx.now, true)) return this.category(token, true);
      return fail('4997', `Credential ${token.id} is DISABLED: only its temporary security code validates.`);
    }
    this.gate(token, op);
    if (tempPasswordMatches(token, otp, ctx.now, true)) {
      this.resetFailures(token);
      return this.category(token, true);
    }
    const outcome = checkCode(token, otp, this.settings, ctx.now, true);
    if (outcome === 'ok') {
      this.resetFailures(token);
      return this.category(token);
    }
    if (outcome === 'sync') return fail('4923', 'Call Synchronize (or CheckOTP) with this code and the next one.');
    this.recordFailure(token, ctx);
    return fail('49b5', token.state === 'LOCKED' ? `Too many failed attempts: ${token.id} is now LOCKED.` : undefined);
  }

  private validateMultiple(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const tokens = (req.TokenIds as unknown[]).map((id) => this.findToken(id, req));
    const enabled = tokens.filter((t) => t.state === 'ENABLED');
    if (enabled.length === 0) this.gate(tokens[0], op);
    const otp = req.OTP as string;
    let sync = false;
    for (const token of enabled) {
      const temporary = tempPasswordMatches(token, otp, ctx.now, true);
      const outcome = temporary ? 'ok' : checkCode(token, otp, this.settings, ctx.now, true);
      if (outcome === 'ok') {
        this.resetFailures(token);
        return { ...(bool(req.SendSuccessfulTokenId) ? { SuccessfulTokenId: token.id } : {}), ...this.category(token, temporary) };
      }
      sync ||= outcome === 'sync';
    }
    if (sync) return fail('4923', 'Call Synchronize with this code and the next one.');
    for (const token of enabled) this.recordFailure(token, ctx);
    return fail('49b5');
  }

  private synchronize(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
    if (syncCodes(token, req.OTP1 as string, req.OTP2 as string, this.settings, ctx.now)) {
      this.resetFailures(token);
      return {};
    }
    this.recordFailure(token, ctx);
    return fail('49b5', 'OTP1 and OTP2 are not two consecutive codes inside the sync window.');
  }

  /** Administrative check: works on LOCKED and DISABLED credentials, changes neither state nor failure count. */
  private checkOtp(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
    const otp1 = req.OTP1 as string;
    if (bool(req.acceptTemporaryPassword) && tempPasswordMatches(token, otp1, ctx.now, false)) return this.category(token, true);
    if (typeof req.OTP2 === 'string') {
      if (syncCodes(token, otp1, req.OTP2, this.settings, ctx.now)) return this.category(token);
      return fail('49b5', 'OTP1 and OTP2 are not two consecutive codes inside the sync window.');
    }
    const outcome = checkCode(token, otp1, this.settings, ctx.now, false);
    if (outcome === 'sync') fail('4923', 'Send the next code in OTP2.');
    if (outcome === 'bad') fail('49b5');
    return this.category(token);
  }

  private setTemporaryPassword(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
    const value = req.TemporaryPassword as string;
    if (value === '') {
      delete token.tempPassword;
      return {};
    }
    const expires = this.expiry(req.ExpirationDate, op, ctx);
    token.tempPassword = { sha256: hashCode(token, value), expires, ...(bool(req.OneTimeUseOnly) ? { oneTimeUse: true } : {}) };
    this.touch(token, ctx);
    return {};
  }

  private newTemporaryPassword(req: Req, op: OperationInfo, ctx: CallContext): { token: SimToken; value: string } {
    const token = this.findToken(req.TokenId, req, op.name === 'SendTemporaryPassword');
    this.gate(token, op);
    const expires = this.expiry(req.ExpirationDate, op, ctx);
    const value = randomDigits(6);
    token.tempPassword = { sha256: hashCode(token, value), expires, ...(bool(req.OneTimeUseOnly) ? { oneTimeUse: true } : {}) };
    this.touch(token, ctx);
    return { token, value };
  }

  private generateTemporaryPassword(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    return { TemporaryPassword: this.newTemporaryPassword(req, op, ctx).value };
  }

  private sendTemporaryPassword(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const destination = isObject(req.Destination) ? req.Destination : undefined;
    const to = typeof req.PhoneNumber === 'string' ? req.PhoneNumber : typeof destination?.value === 'string' ? destination.value : undefined;
    if (!to) fail('4e00', 'SendTemporaryPassword needs PhoneNumber (SMS) or Destination (Voice).');
    const { token, value } = this.newTemporaryPassword(req, op, ctx);
    this.deliver({ operation: op.name, tokenId: token.id, channel: destination?.type === 'Voice' ? 'Voice' : 'SMS', to: to!, kind: 'TemporaryPassword', code: value }, ctx);
    return {};
  }

  private setTemporaryPwdExpiration(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
    const current = liveTempPassword(token, ctx.now);
    if (!current) return fail('4990', `Credential ${token.id} has no temporary security code; set one first.`);
    current.expires = this.expiry(req.ExpirationDate, op, ctx);
    this.touch(token, ctx);
    return {};
  }

  private getTemporaryPwdExpiration(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
    const current = liveTempPassword(token, ctx.now);
    return current ? { ExpirationDate: current.expires } : {};
  }

  private getTokenInformation(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
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
    return { TokenInformation: info, ...this.category(token) };
  }

  private register(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const { id, type } = tokenIdOf(req.TokenId);
    this.authorize(req);
    if (this.state.revokedTokenIds?.includes(id)) fail('4e11', `Credential ${id} has been revoked.`);
    let token = this.state.tokens.find((t) => t.id === id);
    if (token) {
      token = this.findToken(req.TokenId, req);
      this.gate(token, op);
      if (token.state !== 'NEW') fail('4e1b', `Phone number ${id} is already registered (${token.state}); use SendOTP.`);
    } else {
      if (!/^[0-9]{5,20}$/.test(id)) fail('4e00', 'Register takes a phone number with country code, digits only, as TokenId.');
      token = { id, adapter: type === 'Voice' ? 'VOICE_OTP' : 'SMS_OTP', kind: 'SOFTWARE', state: 'NEW', lastUpdate: ctx.now.toISOString() };
      this.state.tokens.push(token);
    }
    const code = this.issuePhoneOtp(token, ctx);
    if (bool(req.DeliverOTP) === false) return { OTP: code }; // the caller delivers it
    this.deliver({ operation: op.name, tokenId: id, channel: token.adapter === 'VOICE_OTP' ? 'Voice' : 'SMS', to: id, kind: 'OTP', code }, ctx);
    return {};
  }

  private sendOtp(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req, true);
    this.gate(token, op);
    const code = this.issuePhoneOtp(token, ctx);
    this.deliver({ operation: op.name, tokenId: token.id, channel: token.adapter === 'VOICE_OTP' ? 'Voice' : 'SMS', to: token.id, kind: 'OTP', code }, ctx);
    return { GatewayResponse: 'SIMULATED: delivered' };
  }

  private deliverSms(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req, true);
    this.gate(token, op);
    const info = req.SMSDeliveryInfo as Req;
    this.deliver({ operation: op.name, tokenId: token.id, channel: 'SMS', to: token.id, kind: 'Message', message: typeof info.Message === 'string' ? info.Message : '' }, ctx);
    return { GatewayResponse: 'SIMULATED: delivered' };
  }

  private getActivationCode(req: Req, ctx: CallContext): Fields {
    this.authorize(req);
    return { ActivationCode: randomDigits(8), ACExpiry: new Date(ctx.now.getTime() + DAY_MS).toISOString() };
  }

  /** Simulator convention: RecoveryCode = 8-digit HMAC-SHA1 (RFC 4226 truncation) of the RequestCode. */
  private getAdminCode(req: Req, op: OperationInfo, _ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
    return { RecoveryCode: adminRecoveryCode(keyOf(token), req.RequestCode as string) };
  }

  private validateCr(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const tokens = (req.TokenIds as unknown[]).map((id) => this.findToken(id, req));
    for (const token of tokens) {
      if (token.adapter !== 'OCRA') fail('4f05', `ValidateCR needs OCRA credentials; ${token.id} is ${token.adapter}.`);
      this.gate(token, op);
    }
    if (typeof req.NumericChallenge !== 'string' || req.NumericChallenge.length > 8) {
      fail('4e00', 'The simulator supports the OCRA suite OCRA-1:HOTP-SHA1-6:QN08: send a NumericChallenge of 6 to 8 digits.');
    }
    const checkOnly = bool(req.CheckOnly) === true;
    for (const token of tokens) {
      if (ocra(keyOf(token), req.NumericChallenge as string) === req.Response) {
        if (!checkOnly) this.resetFailures(token);
        return { SuccessfulTokenId: token.id, ...this.category(token) };
      }
    }
    if (!checkOnly) for (const token of tokens) this.recordFailure(token, ctx);
    return fail('49b5');
  }

  private newTxn(to: string, otp: string | undefined, ctx: CallContext): { txnId: string; otp: string } {
    if (this.txns.size >= MAX_DELIVERIES) {
      for (const [id, txn] of this.txns) if (txn.expires <= ctx.now.getTime()) this.txns.delete(id);
      if (this.txns.size >= MAX_DELIVERIES) this.txns.delete(this.txns.keys().next().value!);
    }
    const txnId = `TXN${randomInt(10 ** 9, 10 ** 10)}`;
    const code = otp ?? randomDigits(6);
    this.txns.set(txnId, { otp: code, to, expires: ctx.now.getTime() + this.settings.phoneOtpValiditySeconds * 1000 });
    return { txnId, otp: code };
  }

  private submitTxnVerification(req: Req, ctx: CallContext): Fields {
    this.authorize(req);
    const to = req.PhoneNumber as string;
    const { txnId, otp } = this.newTxn(to, req.TxnOTP as string | undefined, ctx);
    this.deliver({ operation: 'SubmitTxnVerification', channel: 'Voice', to, kind: 'TxnOTP', code: otp }, ctx);
    return { TxnId: txnId, TxnOTP: otp };
  }

  private txn(req: Req): { otp: string; to: string; expires: number } {
    const txn = typeof req.TxnId === 'string' ? this.txns.get(req.TxnId) : undefined;
    return txn ?? fail('4845', `Unknown TxnId ${JSON.stringify(req.TxnId ?? null)}.`);
  }

  private pollTxnVerification(req: Req): Fields {
    this.authorize(req);
    return { TxnOTP: this.txn(req).otp };
  }

  private deliverTxnOtp(req: Req, ctx: CallContext): Fields {
    this.authorize(req);
    const destination = req.Destination as { value: string; type: string };
    const { txnId, otp } = this.newTxn(destination.value, req.TxnOTP as string | undefined, ctx);
    this.deliver({ operation: 'DeliverTxnOTP', channel: destination.type === 'Voice' ? 'Voice' : 'SMS', to: destination.value, kind: 'TxnOTP', code: otp }, ctx);
    return { TxnId: txnId, GatewayResponse: 'SIMULATED: delivered' };
  }

  private verifyTxnOtp(req: Req, ctx: CallContext): Fields {
    this.authorize(req);
    const txn = this.txn(req);
    if (txn.expires <= ctx.now.getTime()) {
      this.txns.delete(req.TxnId as string);
      fail('4e3f', 'The transaction code expired.');
    }
    if (txn.otp !== req.TxnOTP) fail('4e3a', 'TxnOTP does not match the code sent for this transaction.');
    this.txns.delete(req.TxnId as string);
    return {};
  }

  /** Simulator convention: ProofOfPossession = base64 HMAC(secret, TokenId) with the named algorithm. */
  private setTokenAttributes(req: Req, op: OperationInfo, ctx: CallContext): Fields {
    const token = this.findToken(req.TokenId, req);
    this.gate(token, op);
    const proof = req.ProofOfPossession as { algorithm: string; value: string };
    if (proof.value.replace(/\s+/g, '') !== proofOfPossession(keyOf(token), token.id, proof.algorithm)) {
      fail('49b5', 'ProofOfPossession is not the HMAC of the TokenId with the credential secret.');
    }
    const attributes = new Map((token.attributes ?? []).map((a) => [a.name, a]));
    for (const a of req.Attribute as { name: string; value?: string }[]) attributes.set(a.name, { ...a });
    token.attributes = [...attributes.values()];
    this.touch(token, ctx);
    return { Attribute: token.attributes.map((a) => ({ ...a })) };
  }
}

/** Iterative, so that a hostile document cannot exhaust the stack. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A schema message with the offending value hidden when the field is a secret. */
function hideSecretValue(message: string, path: (string | number)[], document: unknown): string {
  const field = [...path].reverse().find((p): p is string => typeof p === 'string');
  if (!field || !SECRET.has(field)) return message;
  let value: unknown = document;
  for (const p of path) value = isObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[p] : undefined;
  if (typeof value !== 'string' || value === '') return message;
  const shown = [JSON.stringify(value), JSON.stringify(value.slice(0, 40) + '…')];
  return shown.reduce((m, s) => m.split(s).join(`"${REDACTED}"`), message);
}
