export type { Finding, FindingData, Issue, JsonPath, RuleId, Severity, Span } from '../schema/findings';

export interface EngineSettings {
  /** Versions the service is expected to accept (`vipApi.supportedVersions`). */
  supportedVersions: string[];
  /** The clock used for ExpirationDate checks. */
  now: () => Date;
  /** Documents over this many characters are not analysed beyond syntax. */
  maxDocumentLength: number;
}
