// JSON ⇄ XML for VIP documents, driven by the JSON Schemas: element order is the order of the
// schema's properties (the XSD sequence), repeated elements are schema arrays, `x-vip-xml` says
// which properties are XML attributes or text, and values are typed from the schema.
import type { Document, Element } from '@xmldom/xmldom';
import type { JsonSchema } from '../data/catalog';
import { propertiesOf, resolve } from '../schema/schemaWalk';

export interface XmlShape {
  text?: string;
  attributes?: string[];
}

/** XML 1.0 cannot carry these characters at all, escaped or not. */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class MappingError extends Error {}

/** The object-form branch of a schema such as TokenId (string or {value, type}). */
export function objectBranch(schema: JsonSchema | undefined): JsonSchema | undefined {
  const s = resolve(schema);
  if (!s) return undefined;
  if (s.else && typeof s.else === 'object') return s.else as JsonSchema;
  return s;
}

export function xmlShape(schema: JsonSchema | undefined): XmlShape | undefined {
  return objectBranch(schema)?.['x-vip-xml'] as XmlShape | undefined;
}

export function kindOf(schema: JsonSchema | undefined): 'boolean' | 'integer' | 'array' | 'object' | 'string' | 'any' {
  const s = resolve(schema);
  if (!s) return 'any';
  const t = s.type;
  const types = Array.isArray(t) ? t : [t];
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('integer') || types.includes('number')) return 'integer';
  if (types.includes('array')) return 'array';
  if (types.includes('object') && !types.includes('string')) return 'object';
  return types.includes('string') ? 'string' : 'any';
}

/** The text of a string, number or boolean for an XML attribute or element; anything else is refused. */
export function scalarText(value: unknown, where: string): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') {
    const bad = NOT_XML.exec(value);
    if (bad)
      throw new MappingError(
        `${where} contains U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which XML cannot carry.`,
      );
    return value;
  }
  throw new MappingError(
    `${where} must be a string, number or boolean to go into XML, not ${value === null ? 'null' : typeof value}.`,
  );
}

/** Appends `<name>` for `value` (described by `schema`) to `parent`, recursively. */
export function appendValue(
  doc: Document,
  parent: Element,
  ns: string,
  name: string,
  value: unknown,
  schema: JsonSchema | undefined,
  where: string,
): void {
  if (Array.isArray(value)) {
    const items = resolve(schema)?.items as JsonSchema | undefined;
    value.forEach((item, i) => appendValue(doc, parent, ns, name, item, items, `${where}[${i}]`));
    return;
  }
  const el = doc.createElementNS(ns, name);
  parent.appendChild(el);
  if (value !== null && typeof value === 'object') {
    fillElement(doc, el, ns, value as Record<string, unknown>, objectBranch(schema), where);
  } else {
    if (kindOf(schema) === 'boolean' && (value === 'true' || value === 'false')) value = value === 'true';
    el.appendChild(doc.createTextNode(scalarText(value, where)));
  }
}

/** Attributes, text and child elements of an object, in schema order. Unknown fields are refused. */
export function fillElement(
  doc: Document,
  el: Element,
  ns: string,
  obj: Record<string, unknown>,
  schema: JsonSchema | undefined,
  where: string,
  skip: ReadonlySet<string> = new Set(),
): void {
  const shape = xmlShape(schema) ?? {};
  const props = propertiesOf(schema);
  const unknown = Object.keys(obj).filter(
    (k) => !skip.has(k) && !(k in props) && k !== shape.text && !shape.attributes?.includes(k),
  );
  if (unknown.length)
    throw new MappingError(
      `${unknown.map((k) => `${where}.${k}`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not part of the XML schema and cannot be sent over SOAP.`,
    );
  for (const attr of shape.attributes ?? []) {
    if (obj[attr] !== undefined) el.setAttribute(attr, scalarText(obj[attr], `${where}.${attr}`));
  }
  if (shape.text && obj[shape.text] !== undefined)
    el.appendChild(doc.createTextNode(scalarText(obj[shape.text], `${where}.${shape.text}`)));
  for (const [key, propSchema] of Object.entries(props)) {
    if (skip.has(key) || key === shape.text || shape.attributes?.includes(key) || obj[key] === undefined) continue;
    appendValue(doc, el, ns, key, obj[key], propSchema, `${where}.${key}`);
  }
}

function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

function typedScalar(text: string, schema: JsonSchema | undefined): unknown {
  switch (kindOf(schema)) {
    case 'boolean':
      // xs:boolean also allows 1/0; the REST form uses the strings "true"/"false".
      return text === '1' || text === 'true' ? 'true' : text === '0' || text === 'false' ? 'false' : text;
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
    default:
      return text;
  }
}

/** The JSON value of an element described by `schema` (any namespace is accepted for children). */
export function elementValue(
  el: Element,
  schema: JsonSchema | undefined,
  skipAttributes: ReadonlySet<string> = new Set(),
): unknown {
  const shape = xmlShape(schema);
  const children = childElements(el);
  const attrs: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if (a.prefix === 'xmlns' || a.name === 'xmlns' || skipAttributes.has(a.localName ?? a.name)) continue;
    attrs[a.localName ?? a.name] = a.value;
  }
  const s = resolve(schema);
  const hasAttributes = Object.keys(attrs).length > 0;
  const isObject = kindOf(schema) === 'object' || hasAttributes || (children.length > 0 && kindOf(schema) !== 'string');
  if (!isObject) return typedScalar(el.textContent ?? '', s);

  const out: Record<string, unknown> = { ...attrs };
  // Text beside attributes: the schema names the field; an element the schema does not know uses `value`.
  const textField = shape?.text ?? (hasAttributes && children.length === 0 ? 'value' : undefined);
  if (textField) out[textField] = typedScalar(el.textContent ?? '', propertiesOf(objectBranch(schema))[textField]);
  const props = propertiesOf(objectBranch(schema));
  for (const child of children) {
    const name = child.localName ?? child.nodeName;
    const childSchema = props[name];
    if (kindOf(childSchema) === 'array') {
      const list = (out[name] as unknown[] | undefined) ?? [];
      list.push(elementValue(child, resolve(childSchema)?.items as JsonSchema | undefined));
      out[name] = list;
      continue;
    }
    const value = elementValue(child, childSchema);
    if (name in out && childSchema === undefined) {
      // An unknown element that repeats: keep every occurrence.
      out[name] = Array.isArray(out[name]) ? [...(out[name] as unknown[]), value] : [out[name], value];
    } else {
      out[name] = value;
    }
  }
  return out;
}
