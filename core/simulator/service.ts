// The VIP Credential Management service, independent of the wire: an operation name and the JS
// request document in, the JS response document out. The REST wire (http.ts) and a later SOAP
// wire share it. Reason codes, messages, states and adapters all come from the catalog.
import {
  documentKey, getOperation, getReasonCode, operationForKey, reasonCodeForState, secretFields, versions,
  type OperationInfo,
} from '../data/catalog';
import { schemaIssues } from '../schema/schemaIssues';
import { validatorFor } from '../schema/validators';
import { REDACTED } from '../redact';
import { hashCode } from './codes';
import { VipFault, fail } from './fault';
import { DAY_MS, isObject, tokenIdOf, type Fields, type Req } from './fields';
import { lessCommonOperations } from './lessCommonOperations';
import { commonOperations, type OperationHandler } from './operations';
import { randomDigits } from './otp';
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
  /** The state changed (write it back when persisting); always false when changes are not tracked. */
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

const SECRET = new Set(secretFields);

export class VipService {
  readonly deliveries: Delivery[] = [];
  /** Transaction verifications in progress (memory only). */
  readonly txns = new Map<string, { otp: string; to: string; expires: number }>();
  private readonly handlers: Record<string, OperationHandler> = { ...commonOperations, ...lessCommonOperations };

  /**
   * `trackChanges` compares the whole state before and after each request (two serialisations):
   * only needed to know when to write the state file, so the wire turns it on with --persist.
   */
  constructor(public state: SimulatorState, private readonly options: { trackChanges?: boolean } = {}) {}

  get settings(): SimSettings {
    return settingsOf(this.state);
  }

  /** Answers one request document sent to the URL of `operation`. Never throws. */
  handle(operation: string, document: unknown, ctx: CallContext): ServiceResult {
    const before = this.options.trackChanges === false ? undefined : JSON.stringify(this.state);
    let opName: string | undefined = getOperation(operation)?.name;
    let req: Req | undefined;
    let tokenId: string | undefined;
    const result = (code: string, detail?: string, fields: Fields = {}): ServiceResult => ({
      response: this.reply(opName, req, code, fields, detail),
      reasonCode: code,
      operation: opName,
      tokenId,
      changed: before !== undefined && JSON.stringify(this.state) !== before,
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
      return result('0000', undefined, handler(this, req, op, ctx));
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

  // ---- shared by the operations (operations.ts, lessCommonOperations.ts) --------------------

  authorize(req: Req): string {
    const account = typeof req.AuthorizerAccountId === 'string' ? req.AuthorizerAccountId : this.state.account;
    if (account !== this.state.account && !this.state.memberAccounts?.includes(account)) {
      fail('4e03', `Account ${account} is not authorized for the caller's account.`);
    }
    return account;
  }

  findToken(idValue: unknown, req: Req, phoneOperation = false): SimToken {
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
  gate(token: SimToken, op: OperationInfo): boolean {
    if (op.adapters && !op.adapters.includes(token.adapter)) fail('4f05', `${op.name} does not support ${token.adapter} credentials.`);
    if (op.resultState && token.state === op.resultState) return true;
    if (op.acceptsStates && !op.acceptsStates.includes(token.state)) {
      fail(reasonCodeForState(token.state)?.code ?? '4990', `${op.name} needs a credential that is ${op.acceptsStates.join(' or ')}; ${token.id} is ${token.state}.`);
    }
    return false;
  }

  touch(token: SimToken, ctx: CallContext): void {
    token.lastUpdate = ctx.now.toISOString();
  }

  recordFailure(token: SimToken, ctx: CallContext): void {
    token.failedAttempts = (token.failedAttempts ?? 0) + 1;
    if (token.failedAttempts >= this.settings.maxFailedAttempts && token.state === 'ENABLED') {
      token.state = 'LOCKED';
      this.touch(token, ctx);
    }
  }

  resetFailures(token: SimToken): void {
    if (token.failedAttempts) token.failedAttempts = 0;
  }

  category(token: SimToken, temporary = false): Fields {
    if (!token.category) return {};
    return { TokenCategoryDetails: { ...token.category, ...(temporary ? { MovingFactor: 'NONE' } : {}) } };
  }

  deliver(d: Omit<Delivery, 'time'>, ctx: CallContext): void {
    this.deliveries.push({ time: ctx.now.toISOString(), ...d });
    if (this.deliveries.length > MAX_DELIVERIES) this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERIES);
  }

  issuePhoneOtp(token: SimToken, ctx: CallContext): string {
    const code = randomDigits(this.settings.digits);
    token.phoneOtp = { sha256: hashCode(token, code), expires: new Date(ctx.now.getTime() + this.settings.phoneOtpValiditySeconds * 1000).toISOString() };
    return code;
  }

  /** ExpirationDate of a temporary password: later than now, at most `op.expirationMaxDays` ahead (4953). */
  expiry(value: unknown, op: OperationInfo, ctx: CallContext): string {
    const maxDays = op.expirationMaxDays ?? 30;
    const now = ctx.now.getTime();
    if (value === undefined) return new Date(now + Math.min(this.settings.temporaryPasswordDefaultHours * 3_600_000, maxDays * DAY_MS)).toISOString();
    const at = Date.parse(String(value));
    if (!(at > now) || at > now + maxDays * DAY_MS) fail('4953', `ExpirationDate must be after ${ctx.now.toISOString()} and at most ${maxDays} days later.`);
    return new Date(at).toISOString();
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
  if (!['string', 'number', 'boolean'].includes(typeof value) || value === '') return message;
  const text = String(value);
  const shown = [JSON.stringify(text), JSON.stringify(text.slice(0, 40) + '…')];
  return shown.reduce((m, s) => m.split(s).join(`"${REDACTED}"`), message);
}
