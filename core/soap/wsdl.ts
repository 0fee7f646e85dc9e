// The simulator's own service description, generated from schemas/: a WSDL 1.1 document
// (document/literal, SOAP 1.1) per SOAP path and the XML Schema it imports. Pure: the catalog's
// schemas in, XML text out. Element order, cardinality and types are read from the JSON Schemas
// the way the SOAP mapping (./mapping) reads them, so the description and the wire agree.
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import {
  documentKey,
  getSchema,
  operations,
  soap,
  type DocumentKind,
  type JsonSchema,
  type OperationInfo,
} from '../data/catalog';
import { propertiesOf, requiredOf, resolve, schemaAt } from '../schema/schemaWalk';
import { kindOf, objectBranch, xmlShape, type XmlShape } from './mapping';

export type SoapPath = OperationInfo['soapPath'];

const XSD = 'http://www.w3.org/2001/XMLSchema';
const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const WSDL_SOAP = 'http://schemas.xmlsoap.org/wsdl/soap/';
const HTTP_TRANSPORT = 'http://schemas.xmlsoap.org/soap/http';
/** The `?xsd=` name of the imported schema. */
export const XSD_NAME = 'vip';
/** Prefix of the VIP namespace in both documents. */
const TNS = 'vip';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const COMMON_REF = /^(?:\.\.\/common\.json)?#\/definitions\/([A-Za-z0-9_]+)$/;

/** The operations served on `soapPath`, in catalog order. */
export function operationsAt(soapPath: SoapPath): OperationInfo[] {
  return operations.filter((op) => op.soapPath === soapPath);
}

function serialize(doc: Document): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc);
}

function child(
  parent: Element,
  ns: string,
  name: string,
  attributes: Record<string, string | number | undefined> = {},
): Element {
  const prefix = ns === XSD ? 'xsd' : ns === WSDL ? 'wsdl' : ns === WSDL_SOAP ? 'soap' : '';
  const el = parent.ownerDocument!.createElementNS(ns, prefix ? `${prefix}:${name}` : name);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) el.setAttribute(k, String(v));
  parent.appendChild(el);
  return el;
}

/** The object form of a schema (TokenId: string or {value, type}) and its XML shape, as the mapping reads them. */
function objectForm(s: JsonSchema): { schema: JsonSchema; shape: XmlShape } | undefined {
  const branch = objectBranch(s)!;
  const shape = xmlShape(s) ?? {};
  if (kindOf(branch) !== 'object' && !shape.text) return undefined;
  return { schema: branch, shape };
}

/** A JSON Schema pattern as an XSD pattern: XSD patterns are anchored already. */
function xsdPattern(pattern: string): string {
  const anchoredStart = pattern.startsWith('^');
  const anchoredEnd = pattern.endsWith('$') && !pattern.endsWith('\\$');
  const core = pattern.slice(anchoredStart ? 1 : 0, anchoredEnd ? -1 : undefined);
  return `${anchoredStart ? '' : '.*'}${anchoredStart && anchoredEnd ? core : `(${core})`}${anchoredEnd ? '' : '.*'}`;
}

/** Builds the XSD: named types for the shared definitions of common.json, anonymous ones elsewhere. */
class SchemaWriter {
  readonly doc: Document;
  readonly root: Element;
  private readonly declared = new Set<string>();

  constructor() {
    this.doc = new DOMImplementation().createDocument(XSD, 'xsd:schema', null);
    this.root = this.doc.documentElement!;
    this.root.setAttributeNS(XMLNS, `xmlns:${TNS}`, soap.namespace);
    this.root.setAttribute('targetNamespace', soap.namespace);
    this.root.setAttribute('elementFormDefault', 'qualified');
    this.root.setAttribute('attributeFormDefault', 'unqualified');
  }

  /** A global element `<name>` with the given properties as children and `attributes` (JSON field → XML attribute). */
  topElement(name: string, body: JsonSchema | undefined, attributes: Record<string, string>): void {
    const type = child(child(this.root, XSD, 'element', { name }), XSD, 'complexType');
    const props = propertiesOf(body);
    const required = new Set(requiredOf(body));
    const sequence = child(type, XSD, 'sequence');
    for (const [field, schema] of Object.entries(props)) {
      if (!(field in attributes)) this.element(sequence, field, schema, required.has(field));
    }
    const written = new Set<string>();
    for (const [field, attr] of Object.entries(attributes)) {
      if (!(field in props) || written.has(attr)) continue;
      written.add(attr);
      this.attribute(type, attr, props[field], required.has(field));
    }
  }

  /** `<xsd:element>` for one property; arrays become repeated elements. */
  private element(sequence: Element, name: string, schema: JsonSchema, required: boolean): void {
    const s = resolve(schema)!;
    const isArray = kindOf(s) === 'array';
    const item = isArray ? (s.items as JsonSchema) : schema;
    const minItems = typeof s.minItems === 'number' ? s.minItems : 0;
    const el = child(sequence, XSD, 'element', {
      name,
      minOccurs: required ? (isArray ? Math.max(1, minItems) : undefined) : 0,
      maxOccurs: isArray ? (typeof s.maxItems === 'number' ? s.maxItems : 'unbounded') : undefined,
    });
    this.typeOf(el, item);
  }

  private attribute(parent: Element, name: string, schema: JsonSchema, required: boolean): void {
    const attr = child(parent, XSD, 'attribute', { name, use: required ? 'required' : 'optional' });
    this.typeOf(attr, schema, true);
  }

  /** Sets `type=` on `el` (a named or built-in type) or writes an anonymous type inside it. */
  private typeOf(el: Element, schema: JsonSchema, simpleOnly = false): void {
    const named = typeof schema.$ref === 'string' ? COMMON_REF.exec(schema.$ref)?.[1] : undefined;
    const s = resolve(schema)!;
    const builtIn = this.builtIn(s);
    if (builtIn) return el.setAttribute('type', builtIn);
    if (named) {
      this.declare(named, s, simpleOnly);
      return el.setAttribute('type', `${TNS}:${named}`);
    }
    const form = simpleOnly ? undefined : objectForm(s);
    if (form) this.complexType(child(el, XSD, 'complexType'), form.schema, form.shape);
    else this.simpleRestriction(child(el, XSD, 'simpleType'), s);
  }

  private declare(name: string, s: JsonSchema, simpleOnly: boolean): void {
    if (this.declared.has(name)) return;
    this.declared.add(name);
    const form = simpleOnly ? undefined : objectForm(s);
    if (form) this.complexType(child(this.root, XSD, 'complexType', { name }), form.schema, form.shape);
    else this.simpleRestriction(child(this.root, XSD, 'simpleType', { name }), s);
  }

  private complexType(type: Element, s: JsonSchema, shape: XmlShape): void {
    const props = propertiesOf(s);
    const required = new Set(requiredOf(s));
    let attributeParent = type;
    if (shape.text) {
      const extension = child(child(type, XSD, 'simpleContent'), XSD, 'extension');
      const text = resolve(props[shape.text]) ?? { type: 'string' };
      const base = this.builtIn(text);
      if (base) extension.setAttribute('base', base);
      else {
        // A text value with facets needs a named simple type to extend.
        const name = `${type.getAttribute('name') || this.anonymousName(type)}Value`;
        this.declare(name, text, true);
        extension.setAttribute('base', `${TNS}:${name}`);
      }
      attributeParent = extension;
    } else {
      const sequence = child(type, XSD, 'sequence');
      for (const [field, schema] of Object.entries(props)) {
        if (!shape.attributes?.includes(field)) this.element(sequence, field, schema, required.has(field));
      }
    }
    for (const attr of shape.attributes ?? [])
      this.attribute(attributeParent, attr, props[attr] ?? { type: 'string' }, required.has(attr));
  }

  /** A name for the text type of an anonymous complex type: the names of the elements around it. */
  private anonymousName(type: Element): string {
    const names: string[] = [];
    for (let n: Element | null = type; n; n = n.parentNode as Element | null) {
      const name = n.getAttribute?.('name');
      if (name) names.unshift(name);
    }
    return names.join('_');
  }

  /** The XSD built-in type of a schema without facets, else undefined. */
  private builtIn(s: JsonSchema): string | undefined {
    const kind = kindOf(s);
    if (kind === 'boolean') return 'xsd:boolean';
    if (kind === 'integer') return s.minimum === undefined && s.maximum === undefined ? 'xsd:integer' : undefined;
    if (kind !== 'string' || s.else) return undefined;
    if (s.format === 'date-time') return 'xsd:dateTime';
    const facets = ['enum', 'pattern', 'minLength', 'maxLength'].some((k) => s[k] !== undefined);
    return facets ? undefined : 'xsd:string';
  }

  private simpleRestriction(type: Element, s: JsonSchema): void {
    const isInteger = kindOf(s) === 'integer';
    const restriction = child(type, XSD, 'restriction', { base: isInteger ? 'xsd:integer' : 'xsd:string' });
    // TokenId keeps its string-form lengths under `then`.
    const lengths = (s.then as JsonSchema | undefined) ?? s;
    if (isInteger) {
      if (typeof s.minimum === 'number') child(restriction, XSD, 'minInclusive', { value: s.minimum });
      if (typeof s.maximum === 'number') child(restriction, XSD, 'maxInclusive', { value: s.maximum });
      return;
    }
    if (typeof lengths.minLength === 'number') child(restriction, XSD, 'minLength', { value: lengths.minLength });
    if (typeof lengths.maxLength === 'number') child(restriction, XSD, 'maxLength', { value: lengths.maxLength });
    if (typeof s.pattern === 'string') child(restriction, XSD, 'pattern', { value: xsdPattern(s.pattern) });
    for (const value of (s.enum as unknown[] | undefined) ?? [])
      child(restriction, XSD, 'enumeration', { value: String(value) });
  }
}

function bodySchema(op: OperationInfo, kind: DocumentKind): JsonSchema | undefined {
  return schemaAt(getSchema(op.name, kind), [documentKey(op.name, kind)]);
}

/** The XML Schema of the messages served on `soapPath` (and ErrorResponse, sent before the operation is known). */
export function buildXsd(soapPath: SoapPath): string {
  const writer = new SchemaWriter();
  for (const op of operationsAt(soapPath)) {
    writer.topElement(op.name, bodySchema(op, 'request'), soap.requestAttributes);
    writer.topElement(`${op.name}Response`, bodySchema(op, 'response'), soap.responseAttributes);
  }
  const errorBody = {
    properties: {
      Version: { $ref: '#/definitions/Version' },
      RequestId: { $ref: '#/definitions/RequestId' },
      Status: { $ref: '#/definitions/Status' },
    },
    required: ['Version', 'Status'],
  };
  writer.topElement('ErrorResponse', errorBody, soap.responseAttributes);
  return serialize(writer.doc);
}

/** The WSDL of `soapPath`: one port at `address`, importing the XSD from `xsdLocation`. */
export function buildWsdl(soapPath: SoapPath, address: string, xsdLocation: string): string {
  const doc = new DOMImplementation().createDocument(WSDL, 'wsdl:definitions', null);
  const root = doc.documentElement!;
  for (const [prefix, ns] of [
    ['soap', WSDL_SOAP],
    ['xsd', XSD],
    [TNS, soap.namespace],
  ])
    root.setAttributeNS(XMLNS, `xmlns:${prefix}`, ns);
  root.setAttribute('targetNamespace', soap.namespace);
  root.setAttribute('name', `VipSimulator_${soapPath}`);
  const schema = child(child(root, WSDL, 'types'), XSD, 'schema');
  child(schema, XSD, 'import', { namespace: soap.namespace, schemaLocation: xsdLocation });

  const ops = operationsAt(soapPath);
  for (const op of ops) {
    for (const element of [op.name, `${op.name}Response`]) {
      child(child(root, WSDL, 'message', { name: element }), WSDL, 'part', {
        name: 'parameters',
        element: `${TNS}:${element}`,
      });
    }
  }
  const portType = child(root, WSDL, 'portType', { name: `VipPortType_${soapPath}` });
  for (const op of ops) {
    const operation = child(portType, WSDL, 'operation', { name: op.name });
    child(operation, WSDL, 'input', { message: `${TNS}:${op.name}` });
    child(operation, WSDL, 'output', { message: `${TNS}:${op.name}Response` });
  }
  const binding = child(root, WSDL, 'binding', {
    name: `VipSoapBinding_${soapPath}`,
    type: `${TNS}:VipPortType_${soapPath}`,
  });
  child(binding, WSDL_SOAP, 'binding', { style: 'document', transport: HTTP_TRANSPORT });
  for (const op of ops) {
    const operation = child(binding, WSDL, 'operation', { name: op.name });
    child(operation, WSDL_SOAP, 'operation', { soapAction: '', style: 'document' });
    for (const direction of ['input', 'output'])
      child(child(operation, WSDL, direction), WSDL_SOAP, 'body', { use: 'literal' });
  }
  const port = child(child(root, WSDL, 'service', { name: `VipSimulator_${soapPath}` }), WSDL, 'port', {
    name: `VipPort_${soapPath}`,
    binding: `${TNS}:VipSoapBinding_${soapPath}`,
  });
  child(port, WSDL_SOAP, 'address', { location: address });
  return serialize(doc);
}
