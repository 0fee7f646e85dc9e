// What an operation handler is and what it may use: a leaf module (types only), so that the
// dispatcher (service.ts), the ledger (ledger.ts) and the handlers (handlers/) never import each other
// in a circle. A handler gets the ledger, the request object, its catalog entry and the call
// context, and returns the fields of a success or throws a VipFault (fault.ts).
import type { OperationInfo } from '../data/catalog';
import type { Fields, Req } from './fields';
import type { SimSettings, SimToken, SimulatorState } from './state';

export interface CallContext {
  now: Date;
  /** Answer with this fault instead of doing the work (4879 or 4e01). */
  fault?: string;
  /** Answer with this code and detail instead of doing the work (a request the wire cannot take). */
  refuse?: { code: string; detail: string };
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

/** A transaction verification in progress (memory only). */
export interface Txn {
  otp: string;
  to: string;
  expires: number;
}

/** The token ledger as the handlers see it: the state, the counters and the shared checks. */
export interface Ledger {
  readonly state: SimulatorState;
  readonly settings: SimSettings;
  readonly txns: Map<string, Txn>;
  /** The account the request acts for (AuthorizerAccountId or the caller's); 4e03 when not allowed. */
  authorize(req: Req): string;
  /** The credential `idValue` names, owned by the request's account; 49f2, 4e11, 4e03, 4e16 otherwise. */
  findToken(idValue: unknown, req: Req, phoneOperation?: boolean): SimToken;
  /** Adapter and state checks of `op`; true when the token is already in the op's result state. */
  gate(token: SimToken, op: OperationInfo): boolean;
  touch(token: SimToken, ctx: CallContext): void;
  recordFailure(token: SimToken, ctx: CallContext): void;
  resetFailures(token: SimToken): void;
  category(token: SimToken, temporary?: boolean): Fields;
  deliver(d: Omit<Delivery, 'time'>, ctx: CallContext): void;
  issuePhoneOtp(token: SimToken, ctx: CallContext): string;
  /** ExpirationDate of a temporary password: later than now, at most `op.expirationMaxDays` ahead (4953). */
  expiry(value: unknown, op: OperationInfo, ctx: CallContext): string;
}

export type OperationHandler = (ledger: Ledger, req: Req, op: OperationInfo, ctx: CallContext) => Fields;
