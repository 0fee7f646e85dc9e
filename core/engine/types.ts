export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A span of the document text, in UTF-16 offsets. */
export interface Span {
  offset: number;
  length: number;
}

export interface Finding extends Span {
  severity: Severity;
  message: string;
  /** The VIP reason code (lower case) the service would answer, where one applies. */
  code?: string;
  /** Stable identifier of the rule that produced the finding (for quick fixes and tests). */
  rule: string;
  /** JSON path of the offending node, when the finding is about one. */
  path?: (string | number)[];
  /** Extra data for quick fixes (e.g. the closest known name). */
  data?: Record<string, unknown>;
}

export interface EngineSettings {
  /** Versions the service is expected to accept (`vipApi.supportedVersions`). */
  supportedVersions: string[];
  /** The clock used for ExpirationDate checks. */
  now: () => Date;
  /** Documents over this many characters are not analysed beyond syntax. */
  maxDocumentLength: number;
}

export type JsonPath = (string | number)[];
