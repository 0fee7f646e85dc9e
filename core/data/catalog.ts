// The one place that loads schemas/: reason codes and JSON Schemas here, the operations in
// ./operations (re-exported). Everything else (engine, simulator, CLI, docs) asks these modules,
// so the data has one source.
import { getOperation, type DocumentKind, type TokenState } from './operations';
export * from './operations';
import reasonCodesFile from '../../schemas/reason-codes.json';
import commonSchema from '../../schemas/common.json';

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

export const reasonCodes: readonly ReasonCodeInfo[] = reasonCodesFile.codes as ReasonCodeInfo[];
export const reasonCodeFamilies: Record<string, string> = reasonCodesFile.families;
export const common: JsonSchema = commonSchema;

const reasonByCode = new Map(reasonCodes.map((rc) => [rc.code, rc]));

/** Reason codes compare case-insensitively (REST writes `4e04`, SOAP `4E04`). */
export function getReasonCode(code: string): ReasonCodeInfo | undefined {
  return reasonByCode.get(code.toLowerCase());
}

/** The reason code the service returns for an operation refused in `state`. */
export function reasonCodeForState(state: TokenState): ReasonCodeInfo | undefined {
  return reasonCodes.find((rc) => rc.state === state);
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
    if (!getOperation(operation)) throw new Error(`Unknown VIP operation: ${operation}`);
    // esbuild bundles every file that matches these template paths.
    schema = (
      kind === 'request'
        ? require(`../../schemas/requests/${operation}.json`)
        : require(`../../schemas/responses/${operation}.json`)
    ) as JsonSchema;
    schemaCache.set(file, schema);
  }
  return schema;
}
