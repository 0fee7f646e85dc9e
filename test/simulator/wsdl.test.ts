// The simulator's own WSDL (GET <soap path>?wsdl, importing ?xsd=vip): an independent SOAP library
// (the npm `soap` package) builds a client from it and calls the simulator over a real socket; and
// the served XSD declares exactly the elements of our JSON Schemas, with the same types and cardinality.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import * as soapLib from 'soap';
import { validateXML } from 'xmllint-wasm';
import { documentKey, getSchema, operations, soap, type JsonSchema, type OperationInfo } from '../../core/data/catalog';
import { propertiesOf, requiredOf, resolve, schemaAt } from '../../core/schema/schemaWalk';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { NOW, request } from './helpers';
import { SOAP_CLIENT_CALLS } from './soapClientCalls';

const PATHS = ['mgmt', 'val', 'prov'] as const;
const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

type Answer = {
  attributes?: Record<string, string>;
  Status: { ReasonCode: string; StatusMessage: string; ErrorDetail?: string };
} & Record<string, unknown>;
type SoapClient = soapLib.Client & Record<string, (args: unknown) => Promise<[Answer, string]>>;

let sim: RunningSimulator;
const clients = new Map<string, SoapClient>();
/** The raw XML answers of the every-operation session, validated against the served XSD below. */
const answers: { operation: string; soapPath: string; xml: string }[] = [];

before(async () => {
  sim = await startSimulator({ now: NOW });
  for (const p of PATHS) clients.set(p, await soapLib.createClientAsync(`${sim.url}/${p}/soap?wsdl`));
});
after(() => sim.close());

/** Calls `operation` with the client generated from the WSDL of its path. */
async function call(operation: string, args: Record<string, unknown>, id = `id${operation}`): Promise<Answer> {
  const op = operations.find((o) => o.name === operation)!;
  const client = clients.get(op.soapPath)!;
  const [answer] = await client[`${operation}Async`]({ attributes: { Version: '3.1', Id: id }, ...args });
  assert.equal(answer.attributes?.RequestId, id, `${operation}: RequestId echoed`);
  return answer;
}

describe('a client generated from the served WSDL by the npm soap package', () => {
  test('each path describes exactly the operations the simulator serves there', () => {
    for (const p of PATHS) {
      const description = clients.get(p)!.describe() as Record<string, Record<string, Record<string, unknown>>>;
      const port = Object.values(Object.values(description)[0])[0];
      assert.deepEqual(
        Object.keys(port).sort(),
        operations
          .filter((o) => o.soapPath === p)
          .map((o) => o.name)
          .sort(),
        p,
      );
    }
  });

  test('a real sequence: server time, token information, Validate, DeactivateToken, token information again', async () => {
    const time = await call('GetServerTime', {});
    assert.equal(time.Status.ReasonCode, '0000');
    assert.equal(new Date(time.Timestamp as string).toISOString(), NOW, 'Timestamp typed as xsd:dateTime');

    const info = await call('GetTokenInformation', { TokenId: 'SYMC10000001' });
    const ti = info.TokenInformation as Record<string, unknown>;
    assert.equal(ti.TokenStatus, 'ENABLED');
    assert.equal(ti.Adapter, 'OATH_TIME');
    assert.equal(
      (info.TokenCategoryDetails as { CategoryId: unknown }).CategoryId,
      70,
      'CategoryId typed as xsd:integer',
    );

    const ok = await call('Validate', { TokenId: 'SYMC10000001', OTP: sim.otp('SYMC10000001') });
    assert.equal(ok.Status.ReasonCode, '0000');
    assert.equal(ok.Status.StatusMessage, 'Success');
    const bad = await call('Validate', { TokenId: 'SYMC10000001', OTP: '000000' });
    assert.equal(bad.Status.ReasonCode.toLowerCase(), '49b5', 'a wrong code is a VIP answer, not a Fault');

    const deactivated = await call('DeactivateToken', { TokenId: 'SYMC10000001', Reason: 'Lost' });
    assert.equal(deactivated.Status.ReasonCode, '0000');
    assert.equal(deactivated.SameInitialState, false, 'SameInitialState typed as xsd:boolean');

    const after = await call('GetTokenInformation', { TokenId: 'SYMC10000001' });
    assert.equal((after.TokenInformation as Record<string, unknown>).TokenStatus, 'INACTIVE');
    assert.equal((after.TokenInformation as Record<string, unknown>).ReportedReason, 'Lost');
    const refused = await call('Validate', { TokenId: 'SYMC10000001', OTP: sim.otp('SYMC10000001') });
    assert.equal(refused.Status.ReasonCode.toLowerCase(), '4996', 'inactive');
  });

  test('every operation gets a VIP answer (0000 on a fresh simulator), no Fault', async () => {
    const fresh = await startSimulator({ now: NOW });
    try {
      const covered = new Set<string>();
      for (const [operation, args] of SOAP_CLIENT_CALLS) {
        const op = operations.find((o) => o.name === operation)!;
        const client = (await soapLib.createClientAsync(`${fresh.url}/${op.soapPath}/soap?wsdl`)) as SoapClient;
        const [answer, raw] = await client[`${operation}Async`]({
          attributes: { Version: '3.1', Id: `all${operation}` },
          ...args(fresh),
        });
        assert.equal(answer.Status.ReasonCode, '0000', `${operation}: ${JSON.stringify(answer.Status)}`);
        answers.push({ operation, soapPath: op.soapPath, xml: raw });
        covered.add(operation);
      }
      assert.deepEqual([...covered].sort(), operations.map((o) => o.name).sort());
    } finally {
      await fresh.close();
    }
  });
});

test('the served XSD validates every answer above (libxml2 as WebAssembly, from npm xmllint-wasm)', async () => {
  assert.equal(answers.length, SOAP_CLIENT_CALLS.length, 'the session above ran');
  const schemas = new Map<string, string>();
  for (const p of PATHS)
    schemas.set(p, (await request(sim.url, `/${p}/soap?xsd=vip`, undefined, { method: 'GET' })).text);
  for (const { operation, soapPath, xml } of answers) {
    const body = new DOMParser()
      .parseFromString(xml, 'text/xml')
      .getElementsByTagNameNS(soap.envelopeNamespace, 'Body')[0];
    const element = [...Array.from({ length: body.childNodes.length }, (_, i) => body.childNodes[i])].find(
      (n) => n.nodeType === 1,
    ) as Element;
    assert.equal(element.localName, `${operation}Response`);
    const result = await validateXML({
      xml: [{ fileName: `${operation}Response.xml`, contents: new XMLSerializer().serializeToString(element) }],
      schema: [{ fileName: 'vip.xsd', contents: schemas.get(soapPath)! }],
    });
    assert.ok(result.valid, `${operation}: ${result.errors.map((e) => e.message).join('; ')}`);
  }
});

describe('serving the description', () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    request(sim.url, path, undefined, { method: 'GET', headers });
  const address = (wsdl: string) => /<soap:address location="([^"]*)"/.exec(wsdl)?.[1];

  test('soap:address is the URL the request came to; the XSD is imported from the same place', async () => {
    const r = await get('/val/soap?wsdl', { Host: 'vip-sim.example.test:8443' });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/xml/);
    assert.equal(address(r.text), 'http://vip-sim.example.test:8443/val/soap');
    assert.match(r.text, /schemaLocation="http:\/\/vip-sim\.example\.test:8443\/val\/soap\?xsd=vip"/);
    assert.equal(address((await get('/prov/soap?wsdl')).text), `${sim.url}/prov/soap`);
  });
  test('a Host header that is not a host name is not repeated: the socket address is used', async () => {
    const r = await get('/mgmt/soap?wsdl', { Host: 'evil"><x>' });
    assert.equal(address(r.text), `${sim.url}/mgmt/soap`);
    assert.doesNotMatch(r.text, /evil/);
  });
  test('an unknown ?xsd= name is 404; GET without ?wsdl is still 405; POST to ?wsdl is still SOAP', async () => {
    assert.equal((await get('/mgmt/soap?xsd=other')).status, 404);
    assert.equal((await get('/mgmt/soap')).status, 405);
    assert.equal((await get('/not/soap?wsdl')).status, 405);
    const envelope = `<soapenv:Envelope xmlns:soapenv="${soap.envelopeNamespace}"><soapenv:Body><GetServerTime xmlns="${soap.namespace}" Version="3.1"/></soapenv:Body></soapenv:Envelope>`;
    const posted = await request(sim.url, '/prov/soap?wsdl', envelope, { headers: { 'Content-Type': 'text/xml' } });
    assert.match(posted.text, /<ReasonCode>0000<\/ReasonCode>/);
  });
});

// ---- (b) the served XSD and our JSON Schemas describe the same elements ----------------------

/** A type, described the same way from the XSD and from a JSON Schema. */
type Signature =
  | { simple: string; facets: Record<string, unknown> }
  | {
      text?: Signature;
      attributes: Record<string, { type: Signature; required: boolean }>;
      children: { name: string; min: number; max: number | 'unbounded'; type: Signature }[];
    };

function elementsOf(parent: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === XSD_NS)
      out.push(n as Element);
  return out;
}

class XsdReader {
  readonly root: Element;
  constructor(text: string) {
    this.root = new DOMParser().parseFromString(text, 'text/xml').documentElement!;
  }

  topElements(): Map<string, Element> {
    return new Map(elementsOf(this.root, 'element').map((e) => [e.getAttribute('name')!, e]));
  }

  /** The signature of the type of an element or attribute: `type=` or an anonymous type inside. */
  typeOf(node: Element, depth = 0): Signature {
    assert.ok(depth < 12, 'type nesting too deep');
    const ref = node.getAttribute('type');
    if (ref) {
      if (ref.startsWith('xsd:')) return { simple: ref.slice(4), facets: {} };
      const name = ref.replace(/^vip:/, '');
      const named = [...elementsOf(this.root, 'complexType'), ...elementsOf(this.root, 'simpleType')].find(
        (t) => t.getAttribute('name') === name,
      );
      assert.ok(named, `type ${ref} is declared`);
      return this.typeDefinition(named, depth);
    }
    const inner = [...elementsOf(node, 'complexType'), ...elementsOf(node, 'simpleType')][0];
    assert.ok(inner, `${node.getAttribute('name')} has a type`);
    return this.typeDefinition(inner, depth);
  }

  private typeDefinition(type: Element, depth: number): Signature {
    if (type.localName === 'simpleType') {
      const restriction = elementsOf(type, 'restriction')[0];
      const facets: Record<string, unknown> = {};
      for (const f of ['minInclusive', 'maxInclusive', 'minLength', 'maxLength', 'pattern']) {
        const el = elementsOf(restriction, f)[0];
        if (el) facets[f] = f === 'pattern' ? el.getAttribute('value') : Number(el.getAttribute('value'));
      }
      const values = elementsOf(restriction, 'enumeration').map((e) => e.getAttribute('value'));
      if (values.length) facets.enumeration = values;
      return { simple: restriction.getAttribute('base')!.replace(/^xsd:/, ''), facets };
    }
    const extension = elementsOf(elementsOf(type, 'simpleContent')[0] ?? type, 'extension')[0];
    const holder = extension ?? type;
    const attributes: Record<string, { type: Signature; required: boolean }> = {};
    for (const a of elementsOf(holder, 'attribute'))
      attributes[a.getAttribute('name')!] = {
        type: this.typeOf(a, depth + 1),
        required: a.getAttribute('use') === 'required',
      };
    if (extension) return { text: this.baseOf(extension, depth), attributes, children: [] };
    const sequence = elementsOf(type, 'sequence')[0];
    const children = (sequence ? elementsOf(sequence, 'element') : []).map((e) => ({
      name: e.getAttribute('name')!,
      min: Number(e.getAttribute('minOccurs') ?? 1),
      max:
        e.getAttribute('maxOccurs') === 'unbounded' ? ('unbounded' as const) : Number(e.getAttribute('maxOccurs') ?? 1),
      type: this.typeOf(e, depth + 1),
    }));
    return { attributes, children };
  }

  private baseOf(extension: Element, depth: number): Signature {
    const base = extension.getAttribute('base')!;
    if (base.startsWith('xsd:')) return { simple: base.slice(4), facets: {} };
    const named = elementsOf(this.root, 'simpleType').find((t) => t.getAttribute('name') === base.replace(/^vip:/, ''));
    assert.ok(named, `base type ${base} is declared`);
    return this.typeDefinition(named, depth + 1);
  }
}

/** The signature a JSON Schema should have in XML, read independently of core/soap/wsdl.ts. */
function jsonSignature(schema: JsonSchema, attributeFields: Record<string, string> = {}): Signature {
  const s = resolve(schema)!;
  const types = ([] as unknown[]).concat(s.type);
  const objectForm = (s.else as JsonSchema | undefined) ?? s;
  const shape = (objectForm['x-vip-xml'] as { text?: string; attributes?: string[] } | undefined) ?? {};
  if (types.includes('object') || shape.text) {
    const props = propertiesOf(s);
    const required = new Set(requiredOf(objectForm));
    const attrs: Record<string, { type: Signature; required: boolean }> = {};
    for (const a of shape.attributes ?? []) attrs[a] = { type: jsonSignature(props[a]), required: required.has(a) };
    for (const [field, attr] of Object.entries(attributeFields))
      if (field in props && !(attr in attrs))
        attrs[attr] = { type: jsonSignature(props[field]), required: required.has(field) };
    if (shape.text) return { text: jsonSignature(props[shape.text]), attributes: attrs, children: [] };
    const children = Object.entries(props)
      .filter(([k]) => !(k in attributeFields) && !shape.attributes?.includes(k))
      .map(([name, p]) => {
        const r = resolve(p)!;
        const isArray = ([] as unknown[]).concat(r.type).includes('array');
        return {
          name,
          min: required.has(name) ? (isArray ? Math.max(1, (r.minItems as number | undefined) ?? 0) : 1) : 0,
          max: isArray ? ((r.maxItems as number | undefined) ?? ('unbounded' as const)) : 1,
          type: jsonSignature(isArray ? (r.items as JsonSchema) : p),
        };
      });
    return { attributes: attrs, children };
  }
  if (types.includes('boolean')) return { simple: 'boolean', facets: {} };
  const facets: Record<string, unknown> = {};
  if (types.includes('integer')) {
    if (typeof s.minimum === 'number') facets.minInclusive = s.minimum;
    if (typeof s.maximum === 'number') facets.maxInclusive = s.maximum;
    return { simple: 'integer', facets };
  }
  if (s.format === 'date-time') return { simple: 'dateTime', facets };
  const lengths = (s.then as JsonSchema | undefined) ?? s;
  if (typeof lengths.minLength === 'number') facets.minLength = lengths.minLength;
  if (typeof lengths.maxLength === 'number') facets.maxLength = lengths.maxLength;
  if (typeof s.pattern === 'string') facets.pattern = s.pattern.replace(/^\^/, '').replace(/\$$/, '');
  if (Array.isArray(s.enum)) facets.enumeration = s.enum.map(String);
  return { simple: 'string', facets };
}

function bodyOf(op: OperationInfo, kind: 'request' | 'response'): JsonSchema {
  return schemaAt(getSchema(op.name, kind), [documentKey(op.name, kind)])!;
}

describe('the served XSD and schemas/ declare the same elements, types and cardinality', () => {
  for (const p of PATHS) {
    test(`/${p}/soap?xsd=vip`, async () => {
      const r = await request(sim.url, `/${p}/soap?xsd=vip`, undefined, { method: 'GET' });
      assert.equal(r.status, 200);
      const xsd = new XsdReader(r.text);
      assert.equal(xsd.root.getAttribute('targetNamespace'), soap.namespace);
      assert.equal(xsd.root.getAttribute('elementFormDefault'), 'qualified');
      const expected = new Map<string, Signature>();
      for (const op of operations.filter((o) => o.soapPath === p)) {
        expected.set(op.name, jsonSignature(bodyOf(op, 'request'), soap.requestAttributes));
        expected.set(`${op.name}Response`, jsonSignature(bodyOf(op, 'response'), soap.responseAttributes));
      }
      expected.set(
        'ErrorResponse',
        jsonSignature(
          {
            type: 'object',
            properties: {
              Version: { $ref: '#/definitions/Version' },
              RequestId: { $ref: '#/definitions/RequestId' },
              Status: { $ref: '#/definitions/Status' },
            },
            required: ['Version', 'Status'],
          },
          soap.responseAttributes,
        ),
      );
      const declared = xsd.topElements();
      assert.deepEqual([...declared.keys()].sort(), [...expected.keys()].sort(), 'the same global elements, both ways');
      for (const [name, element] of declared) assert.deepEqual(xsd.typeOf(element), expected.get(name), name);
    });
  }
});
