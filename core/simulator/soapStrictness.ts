// Production strictness of the SOAP wire (off with --lenient). Each rule, its source and what the
// simulator answers are in docs/simulator.md ("Production strictness"). The element order is read
// from schemas/: the order of a schema's properties is the XSD sequence (the SOAP mapping writes
// requests in that order too).
import type { Document, Element } from '@xmldom/xmldom';
import { documentKey, getSchema, soap, type JsonSchema, type OperationInfo } from '../data/catalog';
import { propertiesOf, resolve, schemaAt } from '../schema/schemaWalk';

/** The SOAP 1.2 envelope namespace: a SOAP 1.1 service answers it with VersionMismatch. */
export const SOAP12_ENVELOPE_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';

export interface EnvelopeFault {
  faultcode: string;
  faultstring: string;
}

function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

const inEnvelopeNamespace = (el: Element, name: string) =>
  el.localName === name && el.namespaceURI === soap.envelopeNamespace;

/**
 * Rules about the envelope, before the operation is read (SOAP 1.1 §4.4.1 fault codes): an Envelope
 * in another namespace is a VersionMismatch; a header entry marked mustUnderstand="1" is a
 * MustUnderstand fault, since the simulator (like VIP, which authenticates by mutual TLS) processes no headers.
 */
export function envelopeFault(doc: Document): EnvelopeFault | undefined {
  const env = doc.documentElement;
  if (env?.localName === 'Envelope' && env.namespaceURI !== soap.envelopeNamespace) {
    const version =
      env.namespaceURI === SOAP12_ENVELOPE_NAMESPACE
        ? 'a SOAP 1.2 envelope'
        : `an Envelope in namespace ${env.namespaceURI ?? '(none)'}`;
    return {
      faultcode: 'soapenv:VersionMismatch',
      faultstring: `The service speaks SOAP 1.1 (namespace ${soap.envelopeNamespace}); the request is ${version}.`,
    };
  }
  const header = env ? childElements(env).find((el) => inEnvelopeNamespace(el, 'Header')) : undefined;
  for (const entry of header ? childElements(header) : []) {
    if (entry.getAttributeNS(soap.envelopeNamespace, 'mustUnderstand') !== '1') continue;
    const name = `${entry.namespaceURI ? `{${entry.namespaceURI}}` : ''}${entry.localName}`;
    return {
      faultcode: 'soapenv:MustUnderstand',
      faultstring: `The header ${name} is marked mustUnderstand="1", and the service does not process it.`,
    };
  }
  return undefined;
}

/** Rules about the Body once its operation is known: the 4e00 detail, or undefined. */
export function bodyProblem(doc: Document, op: OperationInfo): string | undefined {
  const body = doc.documentElement && childElements(doc.documentElement).find((el) => inEnvelopeNamespace(el, 'Body'));
  const elements = body ? childElements(body) : [];
  if (elements.length > 1) {
    return `The SOAP Body holds ${elements.length} elements (${elements
      .slice(0, 3)
      .map((e) => `<${e.localName}>`)
      .join(', ')}); it takes exactly one operation.`;
  }
  const root = getSchema(op.name, 'request');
  return elements[0] && orderProblem(elements[0], schemaAt(root, [documentKey(op.name, 'request')]), op.name);
}

/** The first child element out of the sequence its schema's properties give, recursively. */
function orderProblem(el: Element, schema: JsonSchema | undefined, where: string): string | undefined {
  const props = propertiesOf(schema);
  const order = Object.keys(props);
  let last = -1;
  for (const child of childElements(el)) {
    const name = child.localName ?? '';
    const at = order.indexOf(name);
    if (at < 0) continue; // an unknown element is the schema check's to report
    if (at < last) {
      const sequence = order.filter((k) => !(k in soap.requestAttributes)).join(', ');
      return `<${name}> comes after <${order[last]}> in ${where}: the XSD sequence is ${sequence}.`;
    }
    last = at;
    const childSchema = resolve(props[name]);
    const itemSchema = childSchema?.type === 'array' ? (childSchema.items as JsonSchema | undefined) : childSchema;
    const inner = orderProblem(child, itemSchema, `${where}/${name}`);
    if (inner) return inner;
  }
  return undefined;
}

/** Reason codes on the SOAP wire as production writes them: upper case (docs/soap.md: `4E10`). */
export function upperCaseReasonCode(body: Record<string, unknown>): Record<string, unknown> {
  const status = body.Status as Record<string, unknown> | undefined;
  if (!status || typeof status.ReasonCode !== 'string') return body;
  return { ...body, Status: { ...status, ReasonCode: status.ReasonCode.toUpperCase() } };
}
