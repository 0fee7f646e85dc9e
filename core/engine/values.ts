// Values the editor proposes for a field: completion choices, quick-fix replacements and the
// placeholders of skeletons. Everything is derived from the field's schema and the catalog.
import { randomUUID } from 'node:crypto';
import { reasonCodes, versions } from '../data/catalog';
import type { EngineContext } from './types';
import { enumOf, propertiesOf, requiredOf, resolve } from '../schema/schemaWalk';
import type { JsonSchema } from '../data/catalog';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ValueChoice {
  value: unknown;
  /** One line shown next to the value (e.g. the reason-code message). */
  detail?: string;
  /** Markdown documentation. */
  description?: string;
  /** The one value to pick when nothing else is known. */
  preferred?: boolean;
}

/** ISO 8601 UTC without milliseconds, rounded down so a limit computed "now" stays within it. */
export function isoSeconds(time: number): string {
  return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function expirationChoices(ctx: EngineContext): ValueChoice[] {
  const now = ctx.now.getTime();
  const out: ValueChoice[] = [{ value: isoSeconds(now + DAY_MS), detail: 'now + 1 day', preferred: true }];
  const max = ctx.operation?.expirationMaxDays;
  if (max && max > 1) {
    out.push({
      value: isoSeconds(now + max * DAY_MS),
      detail: `now + ${max} days, the maximum ${ctx.operation?.name} allows`,
    });
  }
  return out;
}

/** The version a new request should carry: the catalog default when the service accepts it. */
export function preferredVersion(supported: readonly string[]): string {
  return supported.includes(versions.default)
    ? versions.default
    : (supported[supported.length - 1] ?? versions.default);
}

export function newRequestId(): string {
  return randomUUID();
}

function isDateTime(schema: JsonSchema | undefined): boolean {
  return resolve(schema)?.format === 'date-time';
}

/** Every value worth proposing for the field `name` described by `schema`. */
export function valueChoices(
  name: string | number | undefined,
  schema: JsonSchema | undefined,
  ctx: EngineContext,
): ValueChoice[] {
  const s = resolve(schema);
  if (!s) return [];
  if (name === 'Version') {
    const preferred = preferredVersion(ctx.supportedVersions);
    return ctx.supportedVersions.map((v) => ({
      value: v,
      detail: 'supported protocol version',
      preferred: v === preferred,
    }));
  }
  if (name === 'RequestId' || name === 'Id')
    return [{ value: newRequestId(), detail: 'a new unique request id', preferred: true }];
  if (name === 'ReasonCode') {
    return reasonCodes.map((rc) => ({ value: rc.code, detail: rc.message, description: rc.solution }));
  }
  if (isDateTime(s)) return expirationChoices(ctx);
  const options = enumOf(s);
  if (options) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    // Booleans written as "true"/"false" are accepted, but real booleans are the JSON form.
    const values = types.includes('boolean') ? options.filter((o) => typeof o.value === 'boolean') : options;
    return values.map((o) => ({ value: o.value, description: o.description }));
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('boolean')) return [{ value: true }, { value: false }];
  return [];
}

/** Candidate strings for a string placeholder, tried against the field's constraints in order. */
const STRING_CANDIDATES = ['123456', '234567', 'value', '', '0'];

/**
 * A value that satisfies `schema`, for fields a quick fix or skeleton has to add. Strings avoid
 * the values in `taken` (OTP2 must differ from OTP1).
 */
export function placeholderValue(
  name: string | number | undefined,
  schema: JsonSchema | undefined,
  ctx: EngineContext,
  taken: readonly unknown[] = [],
  depth = 0,
): unknown {
  const s = resolve(schema);
  if (!s || depth > 6) return '';
  const choice = valueChoices(name, s, ctx);
  if (choice.length && name !== 'ReasonCode') return (choice.find((c) => c.preferred) ?? choice[0]).value;
  if (name === 'ReasonCode') return '0000';
  const types = (Array.isArray(s.type) ? s.type : [s.type]) as unknown[];
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (types[0] === 'object') {
    const props = propertiesOf(s);
    const out: Record<string, unknown> = {};
    for (const field of requiredOf(s))
      out[field] = placeholderValue(field, props[field], ctx, Object.values(out), depth + 1);
    return out;
  }
  if (types[0] === 'array') {
    const count = typeof s.minItems === 'number' ? s.minItems : 0;
    const items: unknown[] = [];
    for (let i = 0; i < count; i++)
      items.push(placeholderValue(undefined, s.items as JsonSchema, ctx, items, depth + 1));
    return items;
  }
  if (types[0] === 'integer' || types[0] === 'number') return 0;
  if (types[0] === 'boolean') return false;
  const constraints = (s.then as JsonSchema | undefined) ?? s;
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern) : undefined;
  const fits = (v: string) =>
    (!pattern || pattern.test(v)) &&
    (typeof constraints.minLength !== 'number' || v.length >= constraints.minLength) &&
    (typeof constraints.maxLength !== 'number' || v.length <= constraints.maxLength);
  return STRING_CANDIDATES.find((v) => fits(v) && !taken.includes(v)) ?? STRING_CANDIDATES.find(fits) ?? '';
}
