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
    if (err.keyword !== 'type' && typed.has(err.instancePath) && !['required', 'additionalProperties', 'dependencies'].includes(err.keyword)) continue;
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
const LENGTH_RULES: Record<string, Extract<RuleId, 'schema.pattern' | 'schema.minLength' | 'schema.maxLength' | 'schema.minItems' | 'schema.maxItems'>> = {
  pattern: 'schema.pattern',
  minLength: 'schema.minLength',
  maxLength: 'schema.maxLength',
  minItems: 'schema.minItems',
  maxItems: 'schema.maxItems',
};

function toIssue(err: ErrorObject, doc: unknown, operation: string, kind: DocumentKind): Issue | undefined {
  const path = pointerToPath(err.instancePath, doc);
  const field = fieldName(path, operation, kind);
  const isRequest = kind === 'request';
  const parent = err.parentSchema as JsonSchema | undefined;
  const reasonCode = typeof parent?.['x-vip-reasonCode'] === 'string' ? (parent['x-vip-reasonCode'] as string) : undefined;
  // The service rejects a request that breaks its schema as a whole: 4e00 Malformed request.
  const code = reasonCode ?? (isRequest ? '4e00' : undefined);
  const base = { path, onKey: false, severity: 'error' as Severity, code };
  const root = getSchema(operation, kind);
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      if (path.length === 0) return undefined; // the root is checked by the document rules
      const where = path.length === 1 ? String(path[0]) : field;
      const desc = shortDescription(schemaAt(root, [...path, missing]));
      return { ...base, onKey: true, rule: 'schema.required', message: `Missing required field \`${missing}\` in ${where}.${desc ? ' ' + desc : ''}`, data: { missing } };
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      if (path.length === 0) return undefined;
      const known = Object.keys(propertiesOf(schemaAt(root, path)));
      const suggestions = closest(extra, known);
      const hint = suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ` Known fields: ${known.join(', ')}.`;
      return {
        ...base, path: [...path, extra], onKey: true, severity: isRequest ? 'warning' : 'information', code: undefined, rule: 'schema.unknownField',
        message: `\`${extra}\` is not a field of ${path.length === 1 ? path[0] : field}; the service may reject the request.${hint}`,
        data: { field: extra, suggestions },
      };
    }
    case 'dependencies': {
      const property = String(p.property);
      const missing = String(p.missingProperty);
      return { ...base, path: [...path, property], onKey: true, rule: 'schema.dependency', message: `\`${property}\` needs \`${missing}\`: send the first code in \`${missing}\` and the next consecutive one in \`${property}\`.`, data: { missing } };
    }
    case 'type': {
      const types = Array.isArray(p.type) ? (p.type as string[]) : String(p.type).split(',');
      return { ...base, rule: 'schema.type', message: `\`${field}\` must be ${types.map(article).join(' or ')}, not ${describeValue(err.data)}.` };
    }
    case 'pattern':
    case 'minLength':
    case 'maxLength': {
      const desc = shortDescription(parent);
      const v = typeof err.data === 'string' ? err.data : '';
      const len = err.keyword === 'pattern' ? '' : ` (${[...v].length} characters)`;
      const service = reasonCode ? ` The service would answer ${reasonCode}: ${getReasonCode(reasonCode)?.message ?? ''}.` : '';
      return { ...base, rule: LENGTH_RULES[err.keyword], message: `Invalid \`${field}\` ${JSON.stringify(truncate(v))}${len}. ${desc ?? `It must match ${String(p.pattern ?? p.limit)}.`}${service}` };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).filter((x) => typeof x === 'string');
      const suggestion = typeof err.data === 'string' ? closest(err.data, allowed as string[])[0] : undefined;
      const service = reasonCode ? ` The service would answer ${reasonCode}: ${getReasonCode(reasonCode)?.message ?? ''}.` : '';
      return { ...base, rule: 'schema.enum', message: `\`${field}\` must be one of ${allowed.join(', ')}${suggestion && suggestion !== err.data ? ` (did you mean ${suggestion}?)` : ''}.${service}`, data: { allowed } };
    }
    case 'format':
      return { ...base, rule: 'schema.format', message: `\`${field}\` must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T12:00:00Z; got ${JSON.stringify(truncate(String(err.data)))}.` };
    case 'minItems':
    case 'maxItems': {
      const n = Array.isArray(err.data) ? err.data.length : 0;
      const s = parent as JsonSchema;
      return { ...base, rule: LENGTH_RULES[err.keyword], message: `\`${field}\` has ${n} item${n === 1 ? '' : 's'}; ${operation} takes ${s.minItems ?? 0} to ${s.maxItems ?? 'any number of'}.` };
    }
    default:
      return { ...base, rule: 'schema.other', message: `\`${field}\` ${err.message ?? 'is invalid'}.` };
  }
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
  return inner.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function article(type: string): string {
  return { string: 'a string', object: 'an object', array: 'an array', boolean: 'a boolean', integer: 'an integer', number: 'a number', null: 'null' }[type] ?? type;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'string' ? 'the string' : `the ${typeof v}`} ${JSON.stringify(truncate(String(v)))}`;
}

function truncate(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
