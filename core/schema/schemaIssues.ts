// Schema findings: a document validated against its operation's schema, and ajv's errors turned
// into issues that name the field, say what is allowed, and carry the VIP reason code.
import type { ErrorObject } from 'ajv';
import { documentKey, getReasonCode, getSchema, type DocumentKind, type JsonSchema } from '../data/catalog';
import type { Issue, JsonPath, RuleId, Severity } from './findings';
import { propertiesOf, schemaAt, shortDescription } from './schemaWalk';
import { closest } from './suggest';
import { validatorFor } from './validators';

/** Validates `value` (the whole document) against its operation's schema. */
export function schemaIssues(value: unknown, operation: string, kind: DocumentKind): Issue[] {
  const validate = validatorFor(operation, kind);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  // A wrong type makes every other complaint about the same value noise.
  const typed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const err of errors) {
    if (
      err.keyword !== 'type' &&
      typed.has(err.instancePath) &&
      !['required', 'additionalProperties', 'dependencies'].includes(err.keyword)
    )
      continue;
    const issue = toIssue(err, value, operation, kind);
    if (!issue) continue;
    const id = `${issue.path.join('/')}|${issue.onKey}|${issue.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      issues.push(issue);
    }
  }
  return issues;
}

/** Rules of the keywords that share a message. */
const LENGTH_RULES: Record<
  string,
  Extract<RuleId, 'schema.pattern' | 'schema.minLength' | 'schema.maxLength' | 'schema.minItems' | 'schema.maxItems'>
> = {
  pattern: 'schema.pattern',
  minLength: 'schema.minLength',
  maxLength: 'schema.maxLength',
  minItems: 'schema.minItems',
  maxItems: 'schema.maxItems',
};

/** What every message about one ajv error needs. */
interface ErrorContext {
  err: ErrorObject;
  params: Record<string, unknown>;
  path: JsonPath;
  /** The path inside the operation object, for messages (`TokenInformation.TokenStatus`). */
  field: string;
  operation: string;
  kind: DocumentKind;
  /** The reason code the schema names for this field, if any. */
  reasonCode?: string;
  /** The fields every issue starts from: on the value, an error, with the reason code. */
  base: { path: JsonPath; onKey: boolean; severity: Severity; code?: string };
}

function toIssue(err: ErrorObject, doc: unknown, operation: string, kind: DocumentKind): Issue | undefined {
  const c = errorContext(err, doc, operation, kind);
  switch (err.keyword) {
    case 'required':
      return requiredIssue(c);
    case 'additionalProperties':
      return unknownFieldIssue(c);
    case 'dependencies':
      return dependencyIssue(c);
    case 'type':
      return typeIssue(c);
    case 'pattern':
    case 'minLength':
    case 'maxLength':
      return stringIssue(c, err.parentSchema);
    case 'enum':
      return enumIssue(c);
    case 'format':
      return formatIssue(c);
    case 'minItems':
    case 'maxItems':
      return itemCountIssue(c);
    default:
      return { ...c.base, rule: 'schema.other', message: `\`${c.field}\` ${err.message ?? 'is invalid'}.` };
  }
}

function errorContext(err: ErrorObject, doc: unknown, operation: string, kind: DocumentKind): ErrorContext {
  const path = pointerToPath(err.instancePath, doc);
  const parent = err.parentSchema;
  const reasonCode = typeof parent?.['x-vip-reasonCode'] === 'string' ? parent['x-vip-reasonCode'] : undefined;
  // The service rejects a request that breaks its schema as a whole: 4e00 Malformed request.
  const code = reasonCode ?? (kind === 'request' ? '4e00' : undefined);
  return {
    err,
    params: err.params as Record<string, unknown>,
    path,
    field: fieldName(path, operation, kind),
    operation,
    kind,
    reasonCode,
    base: { path, onKey: false, severity: 'error', code },
  };
}

/** A field that is only valid together with another (the consecutive OTP pair). */
function dependencyIssue(c: ErrorContext): Issue {
  const property = String(c.params.property);
  const missing = String(c.params.missingProperty);
  return {
    ...c.base,
    path: [...c.path, property],
    onKey: true,
    rule: 'schema.dependency',
    message: `\`${property}\` needs \`${missing}\`: send the first code in \`${missing}\` and the next consecutive one in \`${property}\`.`,
    data: { missing },
  };
}

function typeIssue(c: ErrorContext): Issue {
  const types = Array.isArray(c.params.type) ? (c.params.type as string[]) : String(c.params.type).split(',');
  return {
    ...c.base,
    rule: 'schema.type',
    message: `\`${c.field}\` must be ${types.map(article).join(' or ')}, not ${describeValue(c.err.data)}.`,
  };
}

function formatIssue(c: ErrorContext): Issue {
  return {
    ...c.base,
    rule: 'schema.format',
    message: `\`${c.field}\` must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T12:00:00Z; got ${JSON.stringify(truncate(String(c.err.data)))}.`,
  };
}

/** minItems, maxItems: how many items there are and how many the operation takes. */
function itemCountIssue(c: ErrorContext): Issue {
  const n = Array.isArray(c.err.data) ? c.err.data.length : 0;
  const s = c.err.parentSchema as JsonSchema;
  return {
    ...c.base,
    rule: LENGTH_RULES[c.err.keyword],
    message: `\`${c.field}\` has ${n} item${n === 1 ? '' : 's'}; ${c.operation} takes ${typeof s.minItems === 'number' ? s.minItems : 0} to ${typeof s.maxItems === 'number' ? s.maxItems : 'any number of'}.`,
  };
}

function requiredIssue(c: ErrorContext): Issue | undefined {
  const missing = String(c.params.missingProperty);
  if (c.path.length === 0) return undefined; // the root is checked by the document rules
  const where = c.path.length === 1 ? String(c.path[0]) : c.field;
  const desc = shortDescription(schemaAt(getSchema(c.operation, c.kind), [...c.path, missing]));
  return {
    ...c.base,
    onKey: true,
    rule: 'schema.required',
    message: `Missing required field \`${missing}\` in ${where}.${desc ? ' ' + desc : ''}`,
    data: { missing },
  };
}

function unknownFieldIssue(c: ErrorContext): Issue | undefined {
  const extra = String(c.params.additionalProperty);
  if (c.path.length === 0) return undefined;
  const known = Object.keys(propertiesOf(schemaAt(getSchema(c.operation, c.kind), c.path)));
  const suggestions = closest(extra, known);
  const hint = suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ` Known fields: ${known.join(', ')}.`;
  return {
    ...c.base,
    path: [...c.path, extra],
    onKey: true,
    severity: c.kind === 'request' ? 'warning' : 'information',
    code: undefined,
    rule: 'schema.unknownField',
    message: `\`${extra}\` is not a field of ${c.path.length === 1 ? c.path[0] : c.field}; the service may reject the request.${hint}`,
    data: { field: extra, suggestions },
  };
}

/** pattern, minLength, maxLength: the value, what the field is, and what the service would answer. */
function stringIssue(c: ErrorContext, parent: JsonSchema | undefined): Issue {
  const desc = shortDescription(parent);
  const v = typeof c.err.data === 'string' ? c.err.data : '';
  const len = c.err.keyword === 'pattern' ? '' : ` (${[...v].length} characters)`;
  return {
    ...c.base,
    rule: LENGTH_RULES[c.err.keyword],
    message: `Invalid \`${c.field}\` ${JSON.stringify(truncate(v))}${len}. ${desc ?? `It must match ${String(c.params.pattern ?? c.params.limit)}.`}${serviceAnswer(c.reasonCode)}`,
  };
}

function enumIssue(c: ErrorContext): Issue {
  const allowed = (c.params.allowedValues as unknown[]).filter((x): x is string => typeof x === 'string');
  const suggestion = typeof c.err.data === 'string' ? closest(c.err.data, allowed)[0] : undefined;
  const hint = suggestion && suggestion !== c.err.data ? ` (did you mean ${suggestion}?)` : '';
  return {
    ...c.base,
    rule: 'schema.enum',
    message: `\`${c.field}\` must be one of ${allowed.join(', ')}${hint}.${serviceAnswer(c.reasonCode)}`,
    data: { allowed },
  };
}

function serviceAnswer(reasonCode: string | undefined): string {
  return reasonCode ? ` The service would answer ${reasonCode}: ${getReasonCode(reasonCode)?.message ?? ''}.` : '';
}

function pointerToPath(pointer: string, doc: unknown): JsonPath {
  if (!pointer) return [];
  const path: JsonPath = [];
  let current: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current = current && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/** `TokenIds[2]`, `TokenInformation.TokenStatus`: the path inside the operation object. */
function fieldName(path: JsonPath, operation: string, kind: DocumentKind): string {
  const inner = path[0] === documentKey(operation, kind) ? path.slice(1) : path;
  if (inner.length === 0) return String(path[0] ?? 'document');
  return inner.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg),
    '',
  );
}

function article(type: string): string {
  return (
    {
      string: 'a string',
      object: 'an object',
      array: 'an array',
      boolean: 'a boolean',
      integer: 'an integer',
      number: 'a number',
      null: 'null',
    }[type] ?? type
  );
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(truncate(v))}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `the ${typeof v} ${JSON.stringify(truncate(String(v)))}`;
  return `the ${typeof v}`; // not a JSON value: a parsed document never holds one
}

function truncate(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
