// Snippets (LSP/TextMate snippet syntax) for new documents and new fields, built from the
// schemas so they follow every schema change. Tab stops cover the values the user must fill.
import { documentKey, getSchema, getOperation, type DocumentKind, type JsonSchema } from '../data/catalog';
import { propertiesOf, requiredOf, resolve, schemaAt } from '../schema/schemaWalk';
import { placeholderValue, valueChoices } from './values';
import type { EngineContext } from './types';

/** Numbers the tab stops of one snippet. */
export class TabStops {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => '\\' + c);
}

function escapeChoice(text: string): string {
  return text.replace(/[\\$}|,]/g, (c) => '\\' + c);
}

/** The fields of `schema` in schema (XSD sequence) order, required ones only. */
export function requiredFieldsInOrder(schema: JsonSchema | undefined): string[] {
  const required = requiredOf(schema);
  const ordered = Object.keys(propertiesOf(schema)).filter((f) => required.includes(f));
  return [...ordered, ...required.filter((f) => !ordered.includes(f))];
}

/** A snippet for the value of field `name`. `indent` is the indentation of the field's line. */
export function valueSnippet(
  name: string | number | undefined,
  schema: JsonSchema | undefined,
  ctx: EngineContext,
  stops: TabStops,
  indent = '',
  depth = 0,
): string {
  const s = resolve(schema);
  if (!s) return `$${stops.take()}`;
  const types = (Array.isArray(s.type) ? s.type : [s.type]) as unknown[];
  const choices = valueChoices(name, s, ctx);
  if (choices.length && name !== 'ReasonCode') {
    const values = [...choices.filter((c) => c.preferred), ...choices.filter((c) => !c.preferred)].map((c) => c.value);
    const quoted = typeof values[0] === 'string';
    const body =
      values.length === 1
        ? `\${${stops.take()}:${escapeSnippet(String(values[0]))}}`
        : `\${${stops.take()}|${values.map((v) => escapeChoice(String(v))).join(',')}|}`;
    return quoted ? `"${body}"` : body;
  }
  if (types[0] === 'object' && depth < 6) {
    const fields = requiredFieldsInOrder(s);
    if (!fields.length) return `{$${stops.take()}}`;
    const props = propertiesOf(s);
    const inner = indent + '\t';
    const lines = fields.map(
      (f) => `${inner}"${escapeSnippet(f)}": ${valueSnippet(f, props[f], ctx, stops, inner, depth + 1)}`,
    );
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  if (types[0] === 'array') {
    const count = typeof s.minItems === 'number' ? s.minItems : 0;
    if (!count) return `[$${stops.take()}]`;
    return `[${Array.from({ length: count }, () => valueSnippet(undefined, s.items as JsonSchema, ctx, stops, indent, depth + 1)).join(', ')}]`;
  }
  if (types[0] === 'string') {
    const placeholder = name === 'ReasonCode' ? '0000' : '';
    return `"\${${stops.take()}${placeholder ? ':' + placeholder : ''}}"`;
  }
  const value = placeholderValue(name, s, ctx);
  return `\${${stops.take()}:${escapeSnippet(JSON.stringify(value))}}`;
}

/** `"Name": <value snippet>` for a field about to be inserted. */
export function fieldSnippet(
  name: string,
  schema: JsonSchema | undefined,
  ctx: EngineContext,
  stops = new TabStops(),
  indent = '',
): string {
  return `"${escapeSnippet(name)}": ${valueSnippet(name, schema, ctx, stops, indent)}`;
}

/** The body of a new `<Operation>Request|Response` document with its required fields as tab stops. */
export function operationSnippet(
  operation: string,
  kind: DocumentKind,
  ctx: EngineContext,
  options: { wholeDocument: boolean },
): string {
  const key = documentKey(operation, kind);
  const body = schemaAt(getSchema(operation, kind), [key]);
  const c: EngineContext = { ...ctx, operation: getOperation(operation) };
  const stops = new TabStops();
  if (!options.wholeDocument) return `"${key}": ${valueSnippet(key, body, c, stops, '')}`;
  return `{\n\t"${key}": ${valueSnippet(key, body, c, stops, '\t')}\n}\n`;
}

/** The same skeleton as plain JSON (placeholder values instead of tab stops). */
export function operationSkeleton(operation: string, kind: DocumentKind, ctx: EngineContext, indent = '\t'): string {
  const key = documentKey(operation, kind);
  const body = schemaAt(getSchema(operation, kind), [key]);
  const value = placeholderValue(key, body, { ...ctx, operation: getOperation(operation) });
  return JSON.stringify({ [key]: value }, null, indent) + '\n';
}

/** The text a snippet inserts when its tab stops are left as they are (clients without snippets). */
export function snippetToText(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|((?:[^|\\]|\\.)*?)(?:,(?:[^|\\]|\\.)*)*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:[^}\\]|\\.)*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([\\$}|,])/g, '$1');
}
