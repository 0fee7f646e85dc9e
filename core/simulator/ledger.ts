// The token ledger: the simulator's state (credentials, counters, failure counts, temporary
// passwords), the deliveries and transactions in memory, the clock, and the checks every
// operation shares (account, credential, adapter and state).
import { reasonCodeForState, type OperationInfo } from '../data/catalog';
import { maxFailedAttemptsOf } from './adapterSettings';
import { hashCode } from './codes';
import { fail } from './fault';
import { DAY_MS, tokenIdOf, type Fields, type Req } from './fields';
import type { CallContext, Delivery, Ledger, Txn } from './handlerTypes';
import { randomDigits } from './otp';
import { settingsOf, type SimSettings, type SimToken, type SimulatorState } from './state';

const MAX_DELIVERIES = 1000;

/**
 * The time the simulator lives in: a start clock (the real one, or a fixed `--now`) until it is set
 * or advanced, then frozen at that moment until it is set, advanced or reset again.
 */
export class SimClock {
  private frozenAt?: number;

  constructor(private readonly start: () => Date = () => new Date()) {}

  now(): Date {
    return this.frozenAt === undefined ? this.start() : new Date(this.frozenAt);
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  set(at: Date): void {
    if (Number.isNaN(at.getTime())) throw new Error('the clock needs a valid date');
    this.frozenAt = at.getTime();
  }

  advance(ms: number): void {
    this.set(new Date(this.now().getTime() + ms));
  }

  /** Back to the start clock. */
  reset(): void {
    this.frozenAt = undefined;
  }
}

export class TokenLedger implements Ledger {
  readonly deliveries: Delivery[] = [];
  readonly txns = new Map<string, Txn>();

  constructor(
    public state: SimulatorState,
    readonly clock = new SimClock(),
  ) {}

  get settings(): SimSettings {
    return settingsOf(this.state);
  }

  /** Replaces the state and forgets the deliveries and transactions (a reset, or a loaded state). */
  replace(state: SimulatorState): void {
    this.state = state;
    this.deliveries.length = 0;
    this.txns.clear();
  }

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
      if (phoneOperation && (type === 'SMS' || type === 'Voice' || /^[0-9]{5,20}$/.test(id)))
        fail('4e16', `Phone number ${id} is not registered; call Register first.`);
      return fail('49f2', `No credential ${id}.`);
    }
    if (token.revoked) fail('4e11', `Credential ${id} has been revoked.`);
    if ((token.owner ?? this.state.account) !== account) fail('4e03', 'Your account did not issue this credential.');
    return token;
  }

  gate(token: SimToken, op: OperationInfo): boolean {
    if (op.adapters && !op.adapters.includes(token.adapter))
      fail('4f05', `${op.name} does not support ${token.adapter} credentials.`);
    if (op.resultState && token.state === op.resultState) return true;
    if (op.acceptsStates && !op.acceptsStates.includes(token.state)) {
      fail(
        reasonCodeForState(token.state)?.code ?? '4990',
        `${op.name} needs a credential that is ${op.acceptsStates.join(' or ')}; ${token.id} is ${token.state}.`,
      );
    }
    return false;
  }

  touch(token: SimToken, ctx: CallContext): void {
    token.lastUpdate = ctx.now.toISOString();
  }

  recordFailure(token: SimToken, ctx: CallContext): void {
    token.failedAttempts = (token.failedAttempts ?? 0) + 1;
    if (
      token.failedAttempts >= maxFailedAttemptsOf(this.state, token.adapter, this.settings.maxFailedAttempts) &&
      token.state === 'ENABLED'
    ) {
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
    token.phoneOtp = {
      sha256: hashCode(token, code),
      expires: new Date(ctx.now.getTime() + this.settings.phoneOtpValiditySeconds * 1000).toISOString(),
    };
    return code;
  }

  expiry(value: unknown, op: OperationInfo, ctx: CallContext): string {
    const maxDays = op.expirationMaxDays ?? 30;
    const now = ctx.now.getTime();
    if (value === undefined)
      return new Date(
        now + Math.min(this.settings.temporaryPasswordDefaultHours * 3_600_000, maxDays * DAY_MS),
      ).toISOString();
    // The request was checked against the schema: ExpirationDate is a date-time string.
    const at = typeof value === 'string' ? Date.parse(value) : NaN;
    if (!(at > now) || at > now + maxDays * DAY_MS)
      fail('4953', `ExpirationDate must be after ${ctx.now.toISOString()} and at most ${maxDays} days later.`);
    return new Date(at).toISOString();
  }
}
