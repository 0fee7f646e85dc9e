// JSON Schema validation of a whole document with ajv (compiled once per schema),
// mapped to findings that name the field, say what is allowed, and carry the VIP reason code.
import type AjvClass from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { common, documentKey, getReasonCode, getSchema, schemaFile, type DocumentKind, type JsonSchema } from '../data/catalog';
import { closest } from './suggest';
import { propertiesOf, schemaAt, shortDescription } from './schemaWalk';
import type { Issue, JsonPath, RuleId, Severity } from './types';

/** `$id` base of the compiled schemas (relative `$ref`s such as `../common.json#…` resolve against it). */
export const SCHEMA_BASE = 'https://vip-api-workbench.invalid/schemas/';
/** Annotation keywords our schemas use besides standard JSON Schema. */
const ANNOTATIONS = ['markdownDescription', 'markdownEnumDescriptions', 'enumDescriptions', 'deprecationMessage', 'x-vip-reasonCode', 'x-vip-xml', 'defaultSnippets'];

/** Set to true by esbuild (esbuild.mjs) in the server and CLI bundles, built together with their validators. */
declare const __VIP_VALIDATORS_BUILT_WITH_BUNDLE__: boolean | undefined;

/**
 * The one ajv configuration, used both at build time (scripts/generateValidators.ts writes the
 * standalone validators with `source: true`) and by the run-time fallback below.
 */
export function createAjv(options: { source?: boolean } = {}): AjvClass {
  // Written out so that esbuild drops ajv from the bundles (they hold the validators precompiled).
  if (typeof __VIP_VALIDATORS_BUILT_WITH_BUNDLE__ !== 'undefined' && __VIP_VALIDATORS_BUILT_WITH_BUNDLE__) {
    throw new Error('No schema compiler in this bundle: it validates with the precompiled validators.');
  } else {
    const Ajv = (require('ajv') as { default: typeof AjvClass }).default;
    const addFormats = (require('ajv-formats') as { default: (a: AjvClass, f: string[]) => void }).default;
    const ajv = new Ajv({
      allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true, logger: false,
      ...(options.source ? { code: { source: true } } : {}),
    });
    addFormats(ajv, ['date-time']);
    for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: ['string', 'array', 'object'] });
    ajv.addSchema({ ...common, $id: SCHEMA_BASE + 'common.json' });
    return ajv;
  }
}

/** The schema of `operation`/`kind` as it is compiled: with its `$id`. */
export function compilableSchema(operation: string, kind: DocumentKind): JsonSchema {
  return { ...getSchema(operation, kind), $id: SCHEMA_BASE + schemaFile(operation, kind) };
}

/** Identifies what a validator was compiled from: the schema, common.json and the ajv version. */
export function schemaFingerprint(operation: string, kind: DocumentKind): string {
  if (typeof __VIP_VALIDATORS_BUILT_WITH_BUNDLE__ !== 'undefined' && __VIP_VALIDATORS_BUILT_WITH_BUNDLE__) {
    throw new Error('Not in the bundles: they were built with their validators.');
  } else {
    const ajvVersion = (require('ajv/package.json') as { version: string }).version;
    const text = JSON.stringify([ajvVersion, ANNOTATIONS, common, compilableSchema(operation, kind)]);
    return (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(text).digest('hex');
  }
}

interface GeneratedValidators {
  load(file: string): ValidateFunction | undefined;
}

let generated: GeneratedValidators | null | undefined;
let ajv: AjvClass | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * The validators precompiled at build time (ajv standalone code, core/engine/validators.generated.js,
 * written by `npm run build`; the bundles require it as dist/validators.js): no schema compiler to
 * load or run. Absent when running from the sources without a build.
 */
function generatedValidators(): GeneratedValidators | null {
  if (generated === undefined) {
    try {
      generated = require('./validators.generated') as GeneratedValidators;
    } catch {
      generated = null;
    }
  }
  return generated;
}

/** What each generated validator was compiled from (see schemaFingerprint); {} without a build. */
function generatedFingerprints(): Record<string, string | undefined> {
  try {
    return require('./validators.generated.json') as Record<string, string | undefined>;
  } catch {
    return {};
  }
}

/**
 * A validator precompiled under `key` by scripts/generateValidators.ts besides the schemas/ files
 * (e.g. the simulator's state file), for bundles built with their validators; undefined otherwise.
 */
export function precompiledValidator(key: string): ValidateFunction | undefined {
  return generatedValidators()?.load(key);
}

export function validatorFor(operation: string, kind: DocumentKind): ValidateFunction {
  const file = schemaFile(operation, kind);
  let validate = validators.get(file);
  if (!validate) {
    // Written out (not a constant) so that esbuild drops the other branch, and ajv with it, from the bundles.
    if (typeof __VIP_VALIDATORS_BUILT_WITH_BUNDLE__ !== 'undefined' && __VIP_VALIDATORS_BUILT_WITH_BUNDLE__) {
      // The bundle holds a validator for every schema, generated from the same files: no compiler.
      validate = generatedValidators()?.load(file);
      if (!validate) {
        getSchema(operation, kind); // throws for an unknown operation, as the compiler would
        throw new Error(`No precompiled validator for ${file}`);
      }
    } else {
      // From the sources: the generated validators only while they match the schemas (one may have
      // been edited since the last build), else ajv compiles the schema here.
      const mod = generatedValidators();
      if (mod && generatedFingerprints()[file] === schemaFingerprint(operation, kind)) validate = mod.load(file);
      validate ??= compile(operation, kind);
    }
    validators.set(file, validate);
  }
  return validate;
}

/** Run-time fallback: compiles with ajv (loaded on first use, not at start-up). */
function compile(operation: string, kind: DocumentKind): ValidateFunction {
  ajv ??= createAjv();
  const schema = compilableSchema(operation, kind);
  try {
    return ajv.compile(schema);
  } catch (e) {
    ajv.removeSchema(schema.$id as string); // a failed compile must not block the next attempt
    throw e;
  }
}

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
  const root = schemaFor(operation, kind);
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

function schemaFor(operation: string, kind: DocumentKind): JsonSchema {
  return getSchema(operation, kind);
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
