// Walks the VIP JSON Schemas by JSON path, for hover text, messages and completion.
// (Validation itself is ajv's job; this only reads annotations.)
import { common, type JsonSchema } from '../data/catalog';
import type { JsonPath } from './findings';

const COMMON_REF = /^(?:\.\.\/common\.json)?#\/definitions\/([A-Za-z0-9_]+)$/;

/** Follows `$ref`s into common.json; sibling keywords (descriptions) win over the target's. */
export function resolve(schema: JsonSchema | undefined): JsonSchema | undefined {
  let current = schema;
  for (let guard = 0; current && typeof current.$ref === 'string' && guard < 10; guard++) {
    const m = COMMON_REF.exec(current.$ref);
    const target = m ? (common.definitions as Record<string, JsonSchema>)[m[1]] : undefined;
    const { $ref: _ignored, ...siblings } = current;
    current = target ? { ...target, ...siblings } : siblings;
  }
  return current;
}

export function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const s = resolve(schema);
  if (!s) return {};
  const own = (s.properties as Record<string, JsonSchema> | undefined) ?? {};
  // TokenId: the object form lives under else.
  const alt = (s.else as JsonSchema | undefined)?.properties as Record<string, JsonSchema> | undefined;
  return alt ? { ...alt, ...own } : own;
}

export function requiredOf(schema: JsonSchema | undefined): string[] {
  const s = resolve(schema);
  return (s?.required as string[] | undefined) ?? [];
}

/** The schema that describes the value at `path` inside a document that `root` describes. */
export function schemaAt(root: JsonSchema, path: JsonPath): JsonSchema | undefined {
  let current: JsonSchema | undefined = resolve(root);
  for (const segment of path) {
    if (!current) return undefined;
    if (typeof segment === 'number') {
      current = resolve(current.items as JsonSchema | undefined);
    } else {
      current = resolve(propertiesOf(current)[segment]);
    }
  }
  return current;
}

export function descriptionOf(schema: JsonSchema | undefined): string | undefined {
  const s = resolve(schema);
  return (s?.markdownDescription as string | undefined) ?? (s?.description as string | undefined);
}

/** Plain first sentence of a markdown description, for one-line messages. */
export function shortDescription(schema: JsonSchema | undefined): string | undefined {
  const d = descriptionOf(schema);
  if (!d) return undefined;
  const plain = d.replace(/\*\*|`/g, '');
  const m = /^(.*?\.)(\s|$)/.exec(plain);
  return m ? m[1] : plain;
}

export function typeLabel(schema: JsonSchema | undefined): string {
  const s = resolve(schema);
  if (!s) return 'any';
  if (s.format === 'date-time') return 'date-time string';
  const t = s.type;
  if (Array.isArray(t)) {
    if (t.includes('boolean') && t.includes('string')) return 'boolean (or "true"/"false")';
    if (t.includes('integer') && t.includes('string')) return 'integer (or numeric string)';
    if (t.includes('string') && t.includes('object')) return 'string or object';
    return t.join(' | ');
  }
  if (t === 'array') {
    const items = typeLabel(s.items as JsonSchema);
    return `array of ${items}`;
  }
  return typeof t === 'string' ? t : 'any';
}

/** A short list of the value constraints, in words. */
export function constraintsOf(schema: JsonSchema | undefined): string[] {
  const s = resolve(schema);
  if (!s) return [];
  const out: string[] = [];
  const str = (s.then as JsonSchema | undefined) ?? s;
  if (typeof s.pattern === 'string') out.push(`pattern \`${s.pattern}\``);
  if (typeof str.minLength === 'number' && typeof str.maxLength === 'number')
    out.push(`${str.minLength}–${str.maxLength} characters`);
  else if (typeof str.maxLength === 'number') out.push(`at most ${str.maxLength} characters`);
  if (typeof s.minItems === 'number' || typeof s.maxItems === 'number')
    out.push(
      `${typeof s.minItems === 'number' ? s.minItems : 0}–${typeof s.maxItems === 'number' ? s.maxItems : '∞'} items`,
    );
  return out;
}

export function enumOf(schema: JsonSchema | undefined): { value: unknown; description?: string }[] | undefined {
  const s = resolve(schema);
  if (!s || !Array.isArray(s.enum)) return undefined;
  const descriptions = (s.markdownEnumDescriptions ?? s.enumDescriptions) as string[] | undefined;
  return (s.enum as unknown[]).map((value, i) => ({ value, description: descriptions?.[i] }));
}
