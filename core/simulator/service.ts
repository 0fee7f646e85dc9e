// The VIP Credential Management service, independent of the wire: an operation name and the JS
// request document in, the JS response document out. The REST and SOAP wires (http.ts, soapWire.ts)
// share it. It checks the document and dispatches to the handlers (handlers/), which work on the
// token ledger (ledger.ts). Reason codes, messages, states and adapters all come from the catalog.
import { documentKey, getOperation, getReasonCode, operationForKey, secretFields, versions } from '../data/catalog';
import { schemaIssues } from '../schema/schemaIssues';
import { validatorFor } from '../schema/validators';
import { REDACTED } from '../redact';
import { VipFault } from './fault';
import { isObject, type Fields, type Req } from './fields';
import { HANDLERS } from './handlers';
import type { CallContext, Delivery } from './handlerTypes';
import { SimClock, TokenLedger } from './ledger';
import type { SimulatorState } from './state';

export type { CallContext, Delivery } from './handlerTypes';

export interface ServiceResult {
  /** The whole response document, `{"<Operation>Response": {…}}` (or `{"ErrorResponse": …}`). */
  response: Record<string, unknown>;
  reasonCode: string;
  operation?: string;
  tokenId?: string;
  /** The state changed (write it back when persisting); always false when changes are not tracked. */
  changed: boolean;
}

/** Codes a caller can ask for on purpose, by setting or by a `simulate-<code>` RequestId. */
export const FAULT_CODES = ['4879', '4e01'] as const;
const FAULT_TRIGGER = /simulate-(4879|4e01)/i;
/** VIP documents are a few levels deep; anything much deeper is an attack or a mistake. */
const MAX_DEPTH = 16;

const SECRET = new Set(secretFields);

export class VipService {
  readonly ledger: TokenLedger;

  /**
   * `trackChanges` compares the whole state before and after each request (two serialisations):
   * only needed to know when to write the state file, so the wire turns it on with --persist.
   */
  constructor(
    state: SimulatorState,
    private readonly options: { trackChanges?: boolean; clock?: SimClock } = {},
  ) {
    this.ledger = new TokenLedger(state, options.clock);
  }

  get state(): SimulatorState {
    return this.ledger.state;
  }

  get deliveries(): Delivery[] {
    return this.ledger.deliveries;
  }

  /** Answers one request document sent to the URL of `operation`. Never throws. */
  handle(operation: string, document: unknown, ctx: CallContext): ServiceResult {
    const before = this.options.trackChanges === false ? undefined : JSON.stringify(this.state);
    const call: Call = { opName: getOperation(operation)?.name };
    const result = ({ code, detail, fields = {} }: Answer): ServiceResult => ({
      response: this.reply(call.opName, call.req, code, fields, detail),
      reasonCode: code,
      operation: call.opName,
      tokenId: call.tokenId,
      changed: before !== undefined && JSON.stringify(this.state) !== before,
    });
    try {
      return result(this.answer(operation, document, ctx, call));
    } catch (e) {
      if (e instanceof VipFault) return result({ code: e.code, detail: e.detail, fields: e.fields });
      return result({ code: '4e01', detail: `Simulator error: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** The first check the request fails, else what its handler answers; fills in `call` as it learns. */
  private answer(operation: string, document: unknown, ctx: CallContext, call: Call): Answer {
    const envelope = openEnvelope(operation, document, call);
    if (!('req' in envelope)) return envelope;
    const { opName, req } = envelope;
    const refusal = refusalBeforeSchema(req, ctx);
    if (refusal) return refusal;
    if (!validatorFor(opName, 'request')(envelope.document)) return this.schemaProblem(envelope.document, opName);
    const op = getOperation(opName)!;
    const handler = HANDLERS[opName];
    if (!handler) return { code: '4e01', detail: `${opName} is not implemented by the simulator.` };
    return { code: '0000', fields: handler(this.ledger, req, op, ctx) };
  }

  /** A well-formed response document for `code` (also used by the wire for transport errors). */
  reply(
    operation: string | undefined,
    req: Req | undefined,
    code: string,
    fields: Fields = {},
    detail?: string,
  ): Record<string, unknown> {
    const info = getReasonCode(code);
    if (!info) throw new Error(`reason code ${code} is not in the catalog`);
    const op = operation ? getOperation(operation) : undefined;
    const version =
      typeof req?.Version === 'string' && new RegExp(versions.pattern).test(req.Version)
        ? req.Version
        : versions.default;
    const requestId = [req?.RequestId, req?.Id].find((v): v is string => typeof v === 'string' && v.length <= 40);
    const body: Fields = { Version: version };
    if (requestId !== undefined) body.RequestId = requestId;
    if (op?.resultState && !('SameInitialState' in fields)) body.SameInitialState = 'false';
    Object.assign(body, fields);
    body.Status = { ReasonCode: info.code, StatusMessage: info.message, ...(detail ? { ErrorDetail: detail } : {}) };
    return { [op ? documentKey(op.name, 'response') : 'ErrorResponse']: body };
  }

  private schemaProblem(document: Req, operation: string): { code: string; detail: string } {
    const issues = schemaIssues(document, operation, 'request').filter(
      (i) => i.severity === 'error' || i.rule === 'schema.unknownField',
    );
    if (issues.length === 0) return { code: '4e00', detail: `The request does not match the ${operation} schema.` };
    // A field with its own reason code (TemporaryPassword 4952, ACProfile 4e08) wins when it is the only problem.
    const codes = new Set(issues.map((i) => i.code ?? '4e00'));
    const code = codes.size === 1 ? [...codes][0] : '4e00';
    const detail = issues
      .slice(0, 3)
      .map((i) => {
        const path = i.path.slice(1).join('.') || String(i.path[0] ?? '');
        return `${path}: ${hideSecretValue(i.message, i.path, document)}`;
      })
      .join(' ');
    return { code, detail };
  }
}

/** What the answer names, learnt step by step: an early refusal still names what was known by then. */
interface Call {
  opName?: string;
  req?: Req;
  tokenId?: string;
}

/** The reason code a request is answered with, its detail and the response fields. */
interface Answer {
  code: string;
  detail?: string;
  fields?: Fields;
}

/** A request whose envelope is right: the operation, the whole document and its body. */
interface Envelope {
  opName: string;
  document: Req;
  req: Req;
}

/** The envelope checks: a served URL, exactly one member that is a request of this URL's operation, an object. */
function openEnvelope(operation: string, document: unknown, call: Call): Envelope | Answer {
  const opName = call.opName;
  if (!opName) return { code: '4e10', detail: `No VIP operation is served at this URL (${operation}).` };
  if (!isObject(document))
    return { code: '4e00', detail: `The body must be a JSON object {"${documentKey(opName, 'request')}": {…}}.` };
  const keys = Object.keys(document);
  const found = keys.length === 1 ? operationForKey(keys[0]) : undefined;
  if (!found || found.kind !== 'request') return { code: '4e00', detail: oneMemberDetail(opName, keys) };
  if (found.operation.name !== opName) {
    // The reply is named for the operation the body is, and echoes its RequestId.
    call.opName = found.operation.name;
    call.req = isObject(document[keys[0]]) ? (document[keys[0]] as Req) : undefined;
    return {
      code: '4e10',
      detail: `This URL serves ${opName}; the body is a ${keys[0]}. Send it to /${found.operation.rest}.`,
    };
  }
  const body = document[keys[0]];
  if (!isObject(body)) return { code: '4e00', detail: `${keys[0]} must be an object.` };
  call.req = body;
  call.tokenId = tokenIdOf(body);
  return { opName, document, req: body };
}

function oneMemberDetail(opName: string, keys: string[]): string {
  const foundKeys = keys.length
    ? `; found ${keys
        .slice(0, 3)
        .map((k) => JSON.stringify(k))
        .join(', ')}`
    : '';
  return `The body must have exactly one member, "${documentKey(opName, 'request')}"${foundKeys}.`;
}

/** The TokenId of a request, plain or as `{ value }`, for the history. */
function tokenIdOf(req: Req): string | undefined {
  if (typeof req.TokenId === 'string') return req.TokenId;
  return isObject(req.TokenId) && typeof req.TokenId.value === 'string' ? req.TokenId.value : undefined;
}

/** Checks before the schema: a hostile depth, a refusal or fault asked for, an unsupported Version. */
function refusalBeforeSchema(req: Req, ctx: CallContext): Answer | undefined {
  if (nestedDeeperThan(req, MAX_DEPTH))
    return { code: '4e00', detail: `The request is nested more than ${MAX_DEPTH} levels deep.` };
  if (ctx.refuse) return { code: ctx.refuse.code, detail: ctx.refuse.detail };
  const fault = ctx.fault ?? (typeof req.RequestId === 'string' ? FAULT_TRIGGER.exec(req.RequestId)?.[1] : undefined);
  if (fault) return { code: fault.toLowerCase(), detail: 'Fault injected by the simulator.' };
  if (
    typeof req.Version === 'string' &&
    new RegExp(versions.pattern).test(req.Version) &&
    !versions.supported.includes(req.Version)
  ) {
    return { code: '4e04', detail: `Version ${req.Version} is not supported; use ${versions.supported.join(', ')}.` };
  }
  return undefined;
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
  for (const p of path)
    value = isObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[p] : undefined;
  if (!['string', 'number', 'boolean'].includes(typeof value) || value === '') return message;
  const text = String(value);
  const shown = [JSON.stringify(text), JSON.stringify(text.slice(0, 40) + '…')];
  return shown.reduce((m, s) => m.split(s).join(`"${REDACTED}"`), message);
}
