// The vocabulary of findings: what the schema layer and the engine report about a document. Rule
// ids are a closed union the compiler checks at every switch (as vscode-json-languageservice's
// ErrorCode); each rule's payload has one type and travels nested in `data`.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A span of the document text, in UTF-16 offsets. */
export interface Span {
  offset: number;
  length: number;
}

export type JsonPath = (string | number)[];

/** Every rule id, for run-time checks of ids that come back from a client. */
export const RULE_IDS = [
  'syntax',
  'document.tooLarge',
  'document.notObject',
  'document.empty',
  'document.manyKeys',
  'document.unknownOperation',
  'version.unsupported',
  'expiration.past',
  'expiration.tooFar',
  'otp.notSixDigits',
  'otp.sameTwice',
  'requestId.both',
  'requestId.alias',
  'reasonCode.unknown',
  'adapter.wrongSettingsBlock',
  'schema.required',
  'schema.unknownField',
  'schema.dependency',
  'schema.type',
  'schema.pattern',
  'schema.minLength',
  'schema.maxLength',
  'schema.enum',
  'schema.format',
  'schema.minItems',
  'schema.maxItems',
  /** A JSON Schema keyword the schemas do not use today. */
  'schema.other',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

/** The payload of the rules that carry one (for quick fixes). */
export interface FindingPayloads {
  'document.unknownOperation': { suggestions: string[] };
  'version.unsupported': { supported: string[] };
  'expiration.past': { maxDays: number };
  'expiration.tooFar': { maxDays: number };
  'schema.required': { missing: string };
  'schema.dependency': { missing: string };
  'schema.unknownField': { field: string; suggestions: string[] };
  'schema.enum': { allowed: string[] };
  'adapter.wrongSettingsBlock': { expected: string };
}

export type FindingData = FindingPayloads[keyof FindingPayloads];

type PayloadOf<R extends RuleId> = R extends keyof FindingPayloads
  ? { data: FindingPayloads[R] }
  : { data?: undefined };

/** A finding: where it is, what rule found it, how bad it is, and the rule's payload. */
export type Finding = {
  [R in RuleId]: Span & {
    rule: R;
    severity: Severity;
    message: string;
    /** The VIP reason code (lower case) the service would answer, where one applies. */
    code?: string;
    /** JSON path of the offending node, when the finding is about one. */
    path?: JsonPath;
  } & PayloadOf<R>;
}[RuleId];

type WithoutSpan<F> = F extends Finding ? Omit<F, 'offset' | 'length' | 'path'> : never;

/** A finding before it is located in the text: by its path, on the property key or its value. */
export type Issue = WithoutSpan<Finding> & { path: JsonPath; onKey?: boolean };
