// SOAP 1.1 envelopes for VIP: requests (client → service) and responses (service → client).
// Parsing is namespace-aware and refuses DTDs, so external entities (XXE) cannot be resolved.
import { DOMImplementation, DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import {
  documentKey,
  getOperation,
  getSchema,
  soap,
  type DocumentKind,
  type JsonSchema,
  type OperationInfo,
} from '../data/catalog';
import { isPlainObject } from '../schema/document';
import { schemaAt } from '../schema/schemaWalk';
import { elementValue, fillElement, MappingError, scalarText } from './mapping';

const VIP_NAMESPACES = new Set([soap.namespace, ...soap.legacyNamespaces]);

/** The XML could not be read as a VIP SOAP message; `kind` says how it failed. */
export class SoapError extends Error {
  constructor(
    message: string,
    readonly kind: 'fault' | 'malformed' | 'not-vip' | 'mapping',
    readonly fault?: { faultcode: string; faultstring: string; detail?: string },
  ) {
    super(message);
  }
}

function bodySchema(op: OperationInfo, kind: DocumentKind): JsonSchema | undefined {
  return schemaAt(getSchema(op.name, kind), [documentKey(op.name, kind)]);
}

function newEnvelope(): { doc: Document; body: Element } {
  const doc = new DOMImplementation().createDocument(soap.envelopeNamespace, 'soapenv:Envelope', null);
  const body = doc.createElementNS(soap.envelopeNamespace, 'soapenv:Body');
  doc.documentElement!.appendChild(body);
  return { doc, body };
}

function serialize(doc: Document): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc);
}

/** Builds `<Op>` (request) or `<Op>Response` (response) from the JSON body, in XSD order. */
function buildMessage(op: OperationInfo, kind: DocumentKind, body: Record<string, unknown>): string {
  const { doc, body: soapBody } = newEnvelope();
  const el = doc.createElementNS(soap.namespace, kind === 'request' ? op.name : `${op.name}Response`);
  soapBody.appendChild(el);
  const attributes = kind === 'request' ? soap.requestAttributes : soap.responseAttributes;
  try {
    for (const [field, attr] of Object.entries(attributes)) {
      const v = body[field];
      if (v !== undefined && v !== null) el.setAttribute(attr, scalarText(v, `${documentKey(op.name, kind)}.${field}`));
    }
    fillElement(
      doc,
      el,
      soap.namespace,
      body,
      bodySchema(op, kind),
      documentKey(op.name, kind),
      new Set(Object.keys(attributes)),
    );
  } catch (e) {
    if (e instanceof MappingError) throw new SoapError(e.message, 'mapping');
    throw e;
  }
  return serialize(doc);
}

export function buildRequestEnvelope(operation: string, body: Record<string, unknown>): string {
  const op = getOperation(operation);
  if (!op) throw new SoapError(`Unknown VIP operation ${operation}.`, 'mapping');
  if (typeof body.Version !== 'string' || !body.Version)
    throw new SoapError('The request has no Version: SOAP requires the Version attribute.', 'mapping');
  return buildMessage(op, 'request', body);
}

export function buildResponseEnvelope(operation: string, body: Record<string, unknown>): string {
  const op = getOperation(operation);
  if (!op) throw new SoapError(`Unknown VIP operation ${operation}.`, 'mapping');
  return buildMessage(op, 'response', body);
}

/** The schema's global `ErrorResponse` (Version, RequestId, Status): an answer before the operation is known. */
export function buildErrorResponseEnvelope(body: Record<string, unknown>): string {
  const { doc, body: soapBody } = newEnvelope();
  const el = doc.createElementNS(soap.namespace, 'ErrorResponse');
  soapBody.appendChild(el);
  for (const [field, attr] of Object.entries(soap.responseAttributes)) {
    if (body[field] !== undefined && body[field] !== null)
      el.setAttribute(attr, scalarText(body[field], `ErrorResponse.${field}`));
  }
  fillElement(
    doc,
    el,
    soap.namespace,
    { Status: body.Status },
    { properties: { Status: { $ref: '#/definitions/Status' } } },
    'ErrorResponse',
  );
  return serialize(doc);
}

/** A SOAP Fault, for messages the service cannot read at all. */
export function buildFaultEnvelope(faultcode: string, faultstring: string): string {
  const { doc, body } = newEnvelope();
  const fault = doc.createElementNS(soap.envelopeNamespace, 'soapenv:Fault');
  body.appendChild(fault);
  for (const [name, text] of [
    ['faultcode', faultcode],
    ['faultstring', faultstring],
  ]) {
    const el = doc.createElementNS(null, name);
    el.appendChild(doc.createTextNode(text));
    fault.appendChild(el);
  }
  return serialize(doc);
}

/** Parses XML strictly: any error or a DOCTYPE (entity declarations, XXE) is refused. */
export function parseXml(xml: string): Document {
  if (!/^\s*</.test(xml)) throw new SoapError('The body is not XML.', 'malformed');
  // SOAP forbids DTDs; refusing them up front means no entity is ever declared or expanded.
  if (/<!DOCTYPE/i.test(xml))
    throw new SoapError(
      'The XML declares a DOCTYPE; SOAP messages may not, and it is refused (no entities are expanded).',
      'malformed',
    );
  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level: string, message: string) => void (level !== 'warning' && problems.push(message)),
    }).parseFromString(xml, 'text/xml');
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  if (problems.length) throw new SoapError(`The XML is not well-formed: ${problems[0]}`, 'malformed');
  return doc!;
}

function firstChildElement(el: Element): Element | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) return n as Element;
  return undefined;
}

/** The single element inside Envelope/Body. A SOAP Fault becomes a SoapError of kind `fault`. */
function bodyElement(xml: string): Element {
  const doc = parseXml(xml);
  const env = doc.documentElement;
  if (!env || env.localName !== 'Envelope' || env.namespaceURI !== soap.envelopeNamespace) {
    throw new SoapError(`Expected a SOAP 1.1 Envelope, got <${env?.nodeName ?? 'nothing'}>.`, 'not-vip');
  }
  let body: Element | undefined;
  for (let n = env.firstChild; n; n = n.nextSibling) {
    if (
      n.nodeType === 1 &&
      (n as Element).localName === 'Body' &&
      (n as Element).namespaceURI === soap.envelopeNamespace
    )
      body = n as Element;
  }
  const inner = body && firstChildElement(body);
  if (!inner) throw new SoapError('The SOAP Envelope has an empty or missing Body.', 'not-vip');
  if (inner.localName === 'Fault' && inner.namespaceURI === soap.envelopeNamespace) {
    const part = (name: string) => {
      for (let n = inner.firstChild; n; n = n.nextSibling)
        if (n.nodeType === 1 && (n as Element).localName === name) return ((n as Element).textContent ?? '').trim();
      return undefined;
    };
    const fault = {
      faultcode: part('faultcode') ?? '',
      faultstring: part('faultstring') ?? '',
      detail: part('detail'),
    };
    throw new SoapError(
      `SOAP Fault ${fault.faultcode}: ${fault.faultstring}${fault.detail ? ` (${fault.detail})` : ''}`,
      'fault',
      fault,
    );
  }
  return inner;
}

function toJson(el: Element, op: OperationInfo, kind: DocumentKind): Record<string, unknown> {
  const attributes = kind === 'request' ? soap.requestAttributes : soap.responseAttributes;
  const out: Record<string, unknown> = {};
  // XML attribute → JSON field; the first field naming an attribute wins (Id → RequestId).
  const mapped = new Set<string>();
  for (const [field, attr] of Object.entries(attributes)) {
    if (mapped.has(attr)) continue;
    mapped.add(attr);
    const v = el.getAttribute(attr);
    if (v !== null && v !== '') out[field] = v;
  }
  const rest = elementValue(el, bodySchema(op, kind), new Set(Object.values(attributes)));
  return { ...out, ...(isPlainObject(rest) ? rest : {}) };
}

function checkNamespace(el: Element): void {
  if (!el.namespaceURI || !VIP_NAMESPACES.has(el.namespaceURI)) {
    throw new SoapError(
      `<${el.localName}> is in namespace ${el.namespaceURI ?? '(none)'}, not the VIP service namespace ${soap.namespace}.`,
      'not-vip',
    );
  }
}

/**
 * Client side: the service's XML answer → `{"<Op>Response": {...}}`, typed per the schema. An
 * `ErrorResponse` (sent before the service knew the operation) becomes the response of
 * `expected`, the operation that was sent.
 */
export function parseResponseEnvelope(
  xml: string,
  expected?: string,
): { operation: string; document: Record<string, unknown> } {
  const el = bodyElement(xml);
  checkNamespace(el);
  const name = el.localName ?? '';
  const errorFor = name === 'ErrorResponse' ? getOperation(expected ?? '') : undefined;
  if (errorFor)
    return {
      operation: errorFor.name,
      document: { [documentKey(errorFor.name, 'response')]: toJson(el, errorFor, 'response') },
    };
  const op = name.endsWith('Response') ? getOperation(name.slice(0, -'Response'.length)) : undefined;
  if (!op) throw new SoapError(`<${name}> is not the response of a known VIP operation.`, 'not-vip');
  return { operation: op.name, document: { [documentKey(op.name, 'response')]: toJson(el, op, 'response') } };
}

/** Service side (the simulator): a SOAP request → operation name and JSON body. */
export function parseRequestEnvelope(xml: string): { operation: string; body: Record<string, unknown> } {
  const el = bodyElement(xml);
  checkNamespace(el);
  const op = getOperation(el.localName ?? '');
  if (!op) throw new SoapError(`<${el.localName}> is not a known VIP operation.`, 'not-vip');
  return { operation: op.name, body: toJson(el, op, 'request') };
}
