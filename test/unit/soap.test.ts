// JSON ⇄ SOAP mapping: element order from the schemas, typing, escaping, namespaces, faults, XXE.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { documentKey, getSchema, operations, soap, type JsonSchema } from '../../core/data/catalog';
import { propertiesOf, resolve, schemaAt } from '../../core/schema/schemaWalk';
import {
  buildErrorResponseEnvelope,
  buildFaultEnvelope,
  buildRequestEnvelope,
  buildResponseEnvelope,
  parseRequestEnvelope,
  parseResponseEnvelope,
  SoapError,
} from '../../core/soap';

const ATTRIBUTE_FIELDS = new Set(Object.keys(soap.requestAttributes));

/** A value for every field of `schema`, of the right JSON shape (the mapping does not validate). */
function sample(schema: JsonSchema | undefined, name: string, depth = 0): unknown {
  const s = resolve(schema)!;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('boolean')) return true;
  if (types.includes('integer')) return 7;
  if (types.includes('array'))
    return [sample(s.items as JsonSchema, name, depth + 1), sample(s.items as JsonSchema, name, depth + 1)];
  if (types.includes('object') && !types.includes('string')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(propertiesOf(s))) if (depth < 4) out[k] = sample(v, k, depth + 1);
    return out;
  }
  return `${name}-1`;
}

function requestBody(op: string): Record<string, unknown> {
  const body = sample(schemaAt(getSchema(op, 'request'), [documentKey(op, 'request')]), op) as Record<string, unknown>;
  body.Version = '3.1';
  body.RequestId = 'REQ42';
  delete body.Id;
  return body;
}

function opElement(xml: string): Element {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const body = doc.getElementsByTagNameNS(soap.envelopeNamespace, 'Body')[0];
  for (let n = body.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) return n as Element;
  throw new Error('no body element');
}

function childNames(el: Element): string[] {
  const out: string[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push((n as Element).localName!);
  return out;
}

/** JSON as it comes back: booleans as "true"/"false" strings. */
function normalized(v: unknown): unknown {
  if (v === true || v === false) return String(v);
  if (Array.isArray(v)) return v.map(normalized);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalized(x)]));
  return v;
}

describe('requests', () => {
  for (const op of operations) {
    test(`${op.name}: element order follows the schema, attributes are Version/Id, and it round-trips`, () => {
      const body = requestBody(op.name);
      const xml = buildRequestEnvelope(op.name, body);
      const el = opElement(xml);
      assert.equal(el.localName, op.name, 'the body element is the bare operation name');
      assert.equal(el.namespaceURI, soap.namespace);
      assert.equal(el.getAttribute('Version'), '3.1');
      assert.equal(el.getAttribute('Id'), 'REQ42');
      const order = Object.keys(
        propertiesOf(schemaAt(getSchema(op.name, 'request'), [documentKey(op.name, 'request')])),
      ).filter((k) => !ATTRIBUTE_FIELDS.has(k));
      const names = childNames(el).filter((n, i, all) => all.indexOf(n) === i);
      assert.deepEqual(
        names,
        order.filter((k) => names.includes(k)),
        'XSD sequence order',
      );
      assert.deepEqual(names.sort(), order.filter((k) => body[k] !== undefined).sort(), 'every field is sent');
      const back = parseRequestEnvelope(xml);
      assert.equal(back.operation, op.name);
      assert.deepEqual(back.body, normalized(body));
    });
  }
  test('Id is accepted as the JSON alias and sent as the Id attribute', () => {
    const xml = buildRequestEnvelope('EnableToken', { Version: '3.1', Id: 'ALIAS1', TokenId: 'VSST1' });
    assert.equal(opElement(xml).getAttribute('Id'), 'ALIAS1');
  });
  test('the TokenId type attribute comes from the object form', () => {
    const xml = buildRequestEnvelope('SendOTP', { Version: '3.1', TokenId: { value: '16505551212', type: 'SMS' } });
    assert.match(xml, /<TokenId type="SMS">16505551212<\/TokenId>/);
  });
  test('repeated elements come from arrays', () => {
    const xml = buildRequestEnvelope('ValidateMultiple', {
      Version: '3.1',
      TokenIds: ['A1', { value: 'B2', type: 'SMS' }],
      OTP: '123456',
    });
    assert.match(xml, /<TokenIds>A1<\/TokenIds><TokenIds type="SMS">B2<\/TokenIds><OTP>123456<\/OTP>/);
  });
  test('nested types keep their own order (VoiceDeliveryInfo, SMSDeliveryInfo)', () => {
    const xml = buildRequestEnvelope('SendOTP', {
      Version: '3.1',
      VoiceDeliveryInfo: { AuthentifyVoiceDeliveryInfo: { Language: 'en-US', Account: 'acct' } },
      TokenId: 'V',
      SMSDeliveryInfo: { Message: 'code _OTP_', SMSFrom: '123' },
    });
    assert.match(
      xml,
      /<TokenId>V<\/TokenId><SMSDeliveryInfo><SMSFrom>123<\/SMSFrom><Message>code _OTP_<\/Message><\/SMSDeliveryInfo><VoiceDeliveryInfo><AuthentifyVoiceDeliveryInfo><Account>acct<\/Account><Language>en-US<\/Language>/,
    );
  });
  test('everything is escaped: <, &, quotes, non-ASCII', () => {
    const tricky = `<a href="x">&amp; 'é' 😀 ]]>`;
    const xml = buildRequestEnvelope('DisableToken', { Version: '3.1', RequestId: tricky, TokenId: tricky });
    assert.ok(!xml.includes('<a href'), 'no raw markup');
    const back = parseRequestEnvelope(xml);
    assert.equal(back.body.TokenId, tricky);
    assert.equal(back.body.RequestId, tricky);
  });
  test('a character XML cannot carry is refused with the field named', () => {
    assert.throws(
      () => buildRequestEnvelope('EnableToken', { Version: '3.1', TokenId: 'A\u0000B' }),
      /EnableTokenRequest\.TokenId contains U\+0000/,
    );
  });
  test('a field the XML schema does not have is refused', () => {
    assert.throws(
      () => buildRequestEnvelope('EnableToken', { Version: '3.1', TokenId: 'V', Colour: 'red' }),
      (e: unknown) => e instanceof SoapError && e.kind === 'mapping' && /EnableTokenRequest\.Colour/.test(e.message),
    );
  });
  test('a request without Version is refused', () =>
    assert.throws(() => buildRequestEnvelope('EnableToken', { TokenId: 'V' }), /Version/));
});

const ENV = soap.envelopeNamespace;
const GTI = `<TokenInformation><TokenId type="SMS">16505551212</TokenId><TokenKind>SOFTWARE</TokenKind><Adapter>SMS_OTP</Adapter><TokenStatus>ENABLED</TokenStatus><ExpirationDate>2038-01-01T00:00:00.205Z</ExpirationDate><TempPasswordOneTimeUse>1</TempPasswordOneTimeUse><LastUpdate>2026-01-01T00:00:00Z</LastUpdate><Owner>false</Owner></TokenInformation><NetworkIntelligence><NumberOfParties>2</NumberOfParties><TokenState type="ENABLED"><Total>2</Total><Reason type="Lost">1</Reason></TokenState><GlobalFailureCount>0</GlobalFailureCount></NetworkIntelligence><SomethingNew>42</SomethingNew>`;

describe('responses', () => {
  test('default namespaces (as the service sends them), typed per the schema', () => {
    const xml = `<Envelope xmlns="${ENV}"><Body><GetTokenInformationResponse RequestId="R1" Version="3.1" xmlns="${soap.namespace}"><Status><ReasonCode>0000</ReasonCode><StatusMessage>Success</StatusMessage></Status>${GTI}</GetTokenInformationResponse></Body></Envelope>`;
    const { operation, document } = parseResponseEnvelope(xml);
    assert.equal(operation, 'GetTokenInformation');
    assert.deepEqual(document, {
      GetTokenInformationResponse: {
        Version: '3.1',
        RequestId: 'R1',
        Status: { ReasonCode: '0000', StatusMessage: 'Success' },
        TokenInformation: {
          TokenId: { value: '16505551212', type: 'SMS' },
          TokenKind: 'SOFTWARE',
          Adapter: 'SMS_OTP',
          TokenStatus: 'ENABLED',
          ExpirationDate: '2038-01-01T00:00:00.205Z',
          TempPasswordOneTimeUse: 'true',
          LastUpdate: '2026-01-01T00:00:00Z',
          Owner: 'false',
        },
        NetworkIntelligence: {
          NumberOfParties: 2,
          TokenState: [{ type: 'ENABLED', Total: 2, Reason: [{ type: 'Lost', value: 1 }] }],
          GlobalFailureCount: 0,
        },
        SomethingNew: '42',
      },
    });
  });
  test('prefixed elements and the old VeriSign namespace', () => {
    const xml = `<?xml version="1.0"?><S:Envelope xmlns:S="${ENV}"><S:Header/><S:Body><ns2:ValidateResponse xmlns:ns2="http://www.verisign.com/2006/08/vipservice" RequestId="CDCE1500" Version="2.0"><ns2:Status><ns2:ReasonCode>49B5</ns2:ReasonCode><ns2:StatusMessage>Failed with an invalid OTP</ns2:StatusMessage></ns2:Status></ns2:ValidateResponse></S:Body></S:Envelope>`;
    assert.deepEqual(parseResponseEnvelope(xml).document, {
      ValidateResponse: {
        Version: '2.0',
        RequestId: 'CDCE1500',
        Status: { ReasonCode: '49B5', StatusMessage: 'Failed with an invalid OTP' },
      },
    });
  });
  test('what buildResponseEnvelope writes, parseResponseEnvelope reads back (Status first)', () => {
    const body = {
      Version: '3.1',
      RequestId: 'X',
      Status: { ReasonCode: '0000', StatusMessage: 'Success' },
      SameInitialState: 'false',
    };
    const xml = buildResponseEnvelope('DeactivateToken', body);
    assert.deepEqual(childNames(opElement(xml)), ['Status', 'SameInitialState']);
    assert.deepEqual(parseResponseEnvelope(xml).document, { DeactivateTokenResponse: body });
  });
  test('an element the schema does not know keeps its attributes (text as value)', () => {
    const xml = `<Envelope xmlns="${ENV}"><Body><ValidateResponse Version="3.1" xmlns="${soap.namespace}"><Status><ReasonCode>0000</ReasonCode></Status><NewThing type="SMS">123</NewThing></ValidateResponse></Body></Envelope>`;
    assert.deepEqual(parseResponseEnvelope(xml).document, {
      ValidateResponse: { Version: '3.1', Status: { ReasonCode: '0000' }, NewThing: { type: 'SMS', value: '123' } },
    });
  });
  test('an ErrorResponse becomes the response of the operation that was sent', () => {
    const xml = buildErrorResponseEnvelope({
      Version: '3.1',
      RequestId: 'R9',
      Status: { ReasonCode: '4e02', StatusMessage: 'Authentication failed' },
    });
    assert.match(xml, /<ErrorResponse [^>]*RequestId="R9"/);
    assert.deepEqual(parseResponseEnvelope(xml, 'Validate').document, {
      ValidateResponse: {
        Version: '3.1',
        RequestId: 'R9',
        Status: { ReasonCode: '4e02', StatusMessage: 'Authentication failed' },
      },
    });
    assert.throws(() => parseResponseEnvelope(xml), /not the response of a known VIP operation/);
  });
  test('a SOAP Fault is an error that shows faultcode and faultstring', () => {
    const xml = buildFaultEnvelope('soapenv:Client', 'Unmarshalling Error');
    assert.throws(
      () => parseResponseEnvelope(xml),
      (e: unknown) =>
        e instanceof SoapError &&
        e.kind === 'fault' &&
        e.fault?.faultcode === 'soapenv:Client' &&
        /Unmarshalling Error/.test(e.message),
    );
  });
  test('a truncated body is a clear error', () => {
    const xml = buildResponseEnvelope('EnableToken', { Version: '3.1', Status: { ReasonCode: '0000' } });
    for (const cut of [10, xml.length / 2, xml.length - 5]) {
      assert.throws(
        () => parseResponseEnvelope(xml.slice(0, cut)),
        (e: unknown) => e instanceof SoapError && e.kind === 'malformed',
      );
    }
  });
  test('non-XML, a foreign envelope and a foreign namespace are refused', () => {
    assert.throws(() => parseResponseEnvelope('{"json": true}'), /not XML/);
    assert.throws(
      () => parseResponseEnvelope('<html><body>502 Bad Gateway</body></html>'),
      /Expected a SOAP 1\.1 Envelope/,
    );
    assert.throws(
      () =>
        parseResponseEnvelope(`<Envelope xmlns="${ENV}"><Body><ValidateResponse xmlns="urn:other"/></Body></Envelope>`),
      /not the VIP service namespace/,
    );
  });
  test('XXE: a DOCTYPE with an external entity is refused and never resolved', () => {
    const secretFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xxe-')), 'secret.txt');
    fs.writeFileSync(secretFile, 'TOP-SECRET-XXE');
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://${secretFile}">]><Envelope xmlns="${ENV}"><Body><ValidateResponse Version="3.1" xmlns="${soap.namespace}"><Status><ReasonCode>0000</ReasonCode><StatusMessage>&xxe;</StatusMessage></Status></ValidateResponse></Body></Envelope>`;
    assert.throws(
      () => parseResponseEnvelope(xml),
      (e: unknown) => e instanceof SoapError && /DOCTYPE/.test(e.message) && !e.message.includes('TOP-SECRET'),
    );
  });
  test('an entity expansion bomb is refused too', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Envelope xmlns="${ENV}"><Body>&b;</Body></Envelope>`;
    assert.throws(() => parseResponseEnvelope(xml), /DOCTYPE|not well-formed/);
  });
});
