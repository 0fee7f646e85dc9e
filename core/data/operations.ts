// schemas/operations.json: the operations, their REST and SOAP names, versions and secret fields.
// Apart from the catalog (which re-exports it), only code that must stay small imports this module
// directly: the extension's activation bundle needs the operation names, not the JSON Schemas.
import operationsFile from '../../schemas/operations.json';

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
  /** Where the operation is documented, when it is not in the public WSDL. */
  source?: string;
  /**
   * Request fields that carry security codes the service checks, and what a check costs: the code
   * is used up (`consumesCode`), a wrong one counts towards lockout (`countsTowardsLockout`).
   * Flows refuse to retry such a request (core/flows/retry.ts).
   */
  codeCheck?: { fields: string[]; consumesCode: boolean; countsTowardsLockout: boolean };
}

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
export const soap: SoapSettings = operationsFile.soap;
export const operations: readonly OperationInfo[] = operationsFile.operations as OperationInfo[];

const operationByName = new Map(operations.map((op) => [op.name, op]));
const operationByRest = new Map(operations.map((op) => [op.rest, op]));

export function getOperation(name: string): OperationInfo | undefined {
  return operationByName.get(name);
}

export function getOperationByRestName(rest: string): OperationInfo | undefined {
  return operationByRest.get(rest);
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
  return [
    ...operations.map((op) => documentKey(op.name, 'request')),
    ...operations.map((op) => documentKey(op.name, 'response')),
  ];
}

/** Fields whose values are secrets (OTPs, temporary passwords…): never logged or stored in clear. */
export const secretFields: readonly string[] = operationsFile.secretFields;

/** Adapter (e.g. `OATH_TIME`) → the settings block of Get/SetAdapterConfiguration that configures it. */
export const adapterSettingsBlocks: Readonly<Record<string, string>> = operationsFile.adapterSettingsBlocks;
