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
      if (!isObject(document))
        return result('4e00', `The body must be a JSON object {"${documentKey(opName, 'request')}": {…}}.`);
      const keys = Object.keys(document);
      const found = keys.length === 1 ? operationForKey(keys[0]) : undefined;
      if (!found || found.kind !== 'request') {
        return result(
          '4e00',
          `The body must have exactly one member, "${documentKey(opName, 'request')}"${
            keys.length
              ? `; found ${keys
                  .slice(0, 3)
                  .map((k) => JSON.stringify(k))
                  .join(', ')}`
              : ''
          }.`,
        );
      }
      if (found.operation.name !== opName) {
        const urlOp = opName;
        opName = found.operation.name;
        req = isObject(document[keys[0]]) ? (document[keys[0]] as Req) : undefined;
        return result(
          '4e10',
          `This URL serves ${urlOp}; the body is a ${keys[0]}. Send it to /${found.operation.rest}.`,
        );
      }
      const body = document[keys[0]];
      if (!isObject(body)) return result('4e00', `${keys[0]} must be an object.`);
      req = body;
      tokenId =
        typeof req.TokenId === 'string'
          ? req.TokenId
          : isObject(req.TokenId) && typeof req.TokenId.value === 'string'
            ? req.TokenId.value
            : undefined;
      if (nestedDeeperThan(body, MAX_DEPTH))
        return result('4e00', `The request is nested more than ${MAX_DEPTH} levels deep.`);
      if (ctx.refuse) return result(ctx.refuse.code, ctx.refuse.detail);
      const fault =
        ctx.fault ?? (typeof req.RequestId === 'string' ? FAULT_TRIGGER.exec(req.RequestId)?.[1] : undefined);
      if (fault) return result(fault.toLowerCase(), 'Fault injected by the simulator.');
      if (
        typeof req.Version === 'string' &&
        new RegExp(versions.pattern).test(req.Version) &&
        !versions.supported.includes(req.Version)
      ) {
        return result('4e04', `Version ${req.Version} is not supported; use ${versions.supported.join(', ')}.`);
      }
      if (!validatorFor(opName, 'request')(document)) {
        const problem = this.schemaProblem(document, opName);
        return result(problem.code, problem.detail);
      }
      const op = getOperation(opName)!;
      const handler = HANDLERS[opName];
      if (!handler) return result('4e01', `${opName} is not implemented by the simulator.`);
      return result('0000', undefined, handler(this.ledger, req, op, ctx));
    } catch (e) {
      if (e instanceof VipFault) return result(e.code, e.detail, e.fields);
      return result('4e01', `Simulator error: ${e instanceof Error ? e.message : String(e)}`);
    }
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
