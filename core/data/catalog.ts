// The one place that loads schemas/: operations, reason codes and JSON Schemas.
// Everything else (engine, simulator, CLI, docs) asks this module, so the data has one source.
import operationsFile from '../../schemas/operations.json';
import reasonCodesFile from '../../schemas/reason-codes.json';
import commonSchema from '../../schemas/common.json';

export type TokenState = 'NEW' | 'ENABLED' | 'DISABLED' | 'LOCKED' | 'INACTIVE';
export type DocumentKind = 'request' | 'response';

export interface OperationInfo {
  name: string;
  /** REST path segment, e.g. `deactivate-token`. */
  rest: string;
  /** SOAP endpoint path: `/mgmt/soap`, `/val/soap` or `/prov/soap`. */
  soapPath: 'mgmt' | 'val' | 'prov';
  soapPathConfirmed?: boolean;
  restNameConfirmed?: boolean;
  summary: string;
  /** What the request names: one token, several, the account, or nothing. */
  scope: 'token' | 'tokens' | 'account' | 'none';
  acceptsStates?: TokenState[];
  resultState?: TokenState;
  /** Longest ExpirationDate the service accepts, in days from now (4953 beyond). */
  expirationMaxDays?: number;
  /** Credential adapters the operation supports (4f05 for others); absent = all. */
  adapters?: string[];
  /** Shown first in pickers and completion. */
  common: boolean;
}

export interface ReasonCodeInfo {
  /** Lower-case four hex digits. */
  code: string;
  message: string;
  solution: string;
  note?: string;
  family: 'credential-management' | 'user-services';
  source: 'troubleshooting-page' | 'reference';
  fields?: string[];
  /** For the "operation not allowed on a … token" codes: the state they report. */
  state?: TokenState;
  retryable?: boolean;
  /** Raised by the transport layer (certificate, URL) rather than by a field. */
  transport?: boolean;
  /** Meaning inferred from client behaviour, not documented. */
  inferred?: boolean;
}

export type JsonSchema = { [keyword: string]: unknown };

export const versions: { supported: string[]; default: string; pattern: string } = operationsFile.versions;
export interface SoapSettings {
  envelopeNamespace: string;
  /** The current vipservice namespace, used for requests. */
  namespace: string;
  /** Older namespaces still accepted in responses. */
  legacyNamespaces: string[];
  endpoints: Record<'mgmt' | 'val' | 'prov', string>;
  /** JSON field → XML attribute of the operation element. */
  requestAttributes: Record<string, string>;
  responseAttributes: Record<string, string>;
  contentType: string;
  soapAction: string;
}
export const soap: SoapSettings = operationsFile.soap as SoapSettings;
export const operations: readonly OperationInfo[] = operationsFile.operations as OperationInfo[];
export const reasonCodes: readonly ReasonCodeInfo[] = reasonCodesFile.codes as ReasonCodeInfo[];
export const reasonCodeFamilies: Record<string, string> = reasonCodesFile.families;
export const common: JsonSchema = commonSchema as JsonSchema;

const operationByName = new Map(operations.map((op) => [op.name, op]));
const operationByRest = new Map(operations.map((op) => [op.rest, op]));
const reasonByCode = new Map(reasonCodes.map((rc) => [rc.code, rc]));

export function getOperation(name: string): OperationInfo | undefined {
  return operationByName.get(name);
}

export function getOperationByRestName(rest: string): OperationInfo | undefined {
  return operationByRest.get(rest);
}

/** Reason codes compare case-insensitively (REST writes `4e04`, SOAP `4E04`). */
export function getReasonCode(code: string): ReasonCodeInfo | undefined {
  return reasonByCode.get(code.toLowerCase());
}

/** The reason code the service returns for an operation refused in `state`. */
export function reasonCodeForState(state: TokenState): ReasonCodeInfo | undefined {
  return reasonCodes.find((rc) => rc.state === state);
}

/** `ActivateTokenRequest` → ActivateToken/request; anything else → undefined. */
export function operationForKey(key: string): { operation: OperationInfo; kind: DocumentKind } | undefined {
  for (const kind of ['Request', 'Response'] as const) {
    if (key.endsWith(kind)) {
      const operation = operationByName.get(key.slice(0, -kind.length));
      if (operation) return { operation, kind: kind === 'Request' ? 'request' : 'response' };
    }
  }
  return undefined;
}

export function documentKey(operation: string, kind: DocumentKind): string {
  return operation + (kind === 'request' ? 'Request' : 'Response');
}

/** Every valid top-level key, requests first. */
export function allDocumentKeys(): string[] {
  return [...operations.map((op) => documentKey(op.name, 'request')), ...operations.map((op) => documentKey(op.name, 'response'))];
}

/** Path of an operation's schema file relative to schemas/. */
export function schemaFile(operation: string, kind: DocumentKind): string {
  return `${kind}s/${operation}.json`;
}

const schemaCache = new Map<string, JsonSchema>();

/** The JSON Schema of a whole request or response document of `operation`. */
export function getSchema(operation: string, kind: DocumentKind): JsonSchema {
  const file = schemaFile(operation, kind);
  let schema = schemaCache.get(file);
  if (!schema) {
    if (!operationByName.has(operation)) throw new Error(`Unknown VIP operation: ${operation}`);
    // esbuild bundles every file that matches these template paths.
    schema = (kind === 'request'
      ? require(`../../schemas/requests/${operation}.json`)
      : require(`../../schemas/responses/${operation}.json`)) as JsonSchema;
    schemaCache.set(file, schema);
  }
  return schema;
}

/** Fields whose values are secrets (OTPs, temporary passwords…): never logged or stored in clear. */
export const secretFields: readonly string[] = operationsFile.secretFields;
