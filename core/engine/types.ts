import type { FormattingOptions } from 'jsonc-parser';
import type { OperationInfo } from '../data/catalog';

export type { Finding, FindingData, Issue, JsonPath, RuleId, Severity, Span } from '../schema/findings';

/** What the engine's features need to know besides the document: one context for all of them. */
export interface EngineContext {
  /** Versions the service is expected to accept (`vipApi.supportedVersions`). */
  supportedVersions: readonly string[];
  /** The time ExpirationDate is checked against and proposed dates start from. */
  now: Date;
  /** The operation of the document, for operation-specific limits (ExpirationDate); the engine sets it. */
  operation?: OperationInfo;
  /** Indentation for inserted fields; guessed from the document when absent. */
  formatting?: FormattingOptions;
}
