// Production strictness on the SOAP wire, each rule both ways: the default simulator answers as the
// documentation says production does, and `lenient: true` (--lenient) keeps the forgiving behaviour.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { simulatorOptions } from '../../cli/simulator';
import { soap } from '../../core/data/catalog';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { buildRequestEnvelope, parseResponseEnvelope, SoapError } from '../../core/soap';
import { NOW, request } from './helpers';

let strict: RunningSimulator;
let lenient: RunningSimulator;
before(async () => {
  strict = await startSimulator({ now: NOW });
  lenient = await startSimulator({ now: NOW, lenient: true });
});
after(async () => {
  await strict.close();
  await lenient.close();
});

const ENV = soap.envelopeNamespace;
const VIP = soap.namespace;
const envelope = (body: string, header = '', ns = ENV) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ns}" xmlns:v="${VIP}">${header}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

async function post(sim: RunningSimulator, path: string, xml: string) {
  return request(sim.url, path, xml, { headers: { 'Content-Type': soap.contentType, SOAPAction: '""' } });
}

/** The Status of a VIP answer. */
async function status(
  sim: RunningSimulator,
  path: string,
  xml: string,
): Promise<{ ReasonCode: string; ErrorDetail?: string }> {
  const r = await post(sim, path, xml);
  assert.equal(r.status, 200, r.text);
  return (
    Object.values(parseResponseEnvelope(r.text).document)[0] as { Status: { ReasonCode: string; ErrorDetail?: string } }
  ).Status;
}

/** The faultcode of a SOAP Fault answer (HTTP 500). */
async function faultOf(
  sim: RunningSimulator,
  path: string,
  xml: string,
): Promise<{ faultcode: string; faultstring: string }> {
  const r = await post(sim, path, xml);
  assert.equal(r.status, 500, r.text);
  try {
    parseResponseEnvelope(r.text);
  } catch (e) {
    if (e instanceof SoapError && e.fault) return e.fault;
    throw e;
  }
  return assert.fail(`not a Fault: ${r.text}`);
}

describe('elements out of XSD sequence order', () => {
  const outOfOrder = (otp: string) =>
    envelope(`<v:Validate Version="3.1" Id="o1"><v:OTP>${otp}</v:OTP><v:TokenId>SYMC10000001</v:TokenId></v:Validate>`);
  test('strict: a Validate with OTP before TokenId is 4E00, naming the sequence from the schemas', async () => {
    const s = await status(strict, '/val/soap', outOfOrder(strict.otp('SYMC10000001')!));
    assert.equal(s.ReasonCode, '4E00');
    assert.equal(
      s.ErrorDetail,
      '<TokenId> comes after <OTP> in Validate: the XSD sequence is AuthorizerAccountId, TokenId, OTP.',
    );
  });
  test('strict: inside nested elements too', async () => {
    const sms = (info: string) =>
      envelope(
        `<v:DeliverSMS Version="3.1"><v:TokenId>15555550100</v:TokenId><v:SMSDeliveryInfo>${info}</v:SMSDeliveryInfo></v:DeliverSMS>`,
      );
    const nested = await status(strict, '/val/soap', sms('<v:Message>hi</v:Message><v:SMSFrom>12345</v:SMSFrom>'));
    assert.equal(nested.ReasonCode, '4E00');
    assert.equal(
      nested.ErrorDetail,
      '<SMSFrom> comes after <Message> in DeliverSMS/SMSDeliveryInfo: the XSD sequence is SMSFrom, Message.',
    );
    assert.equal(
      (await status(strict, '/val/soap', sms('<v:SMSFrom>12345</v:SMSFrom><v:Message>hi</v:Message>'))).ReasonCode,
      '0000',
    );
    assert.equal(
      (await status(lenient, '/val/soap', sms('<v:Message>hi</v:Message><v:SMSFrom>12345</v:SMSFrom>'))).ReasonCode,
      '0000',
      'lenient',
    );
  });
  test('lenient: the same request is validated (0000)', async () => {
    assert.equal((await status(lenient, '/val/soap', outOfOrder(lenient.otp('SYMC10000001')!))).ReasonCode, '0000');
  });
  test('strict: in sequence order it is 0000', async () => {
    const xml = envelope(
      `<v:Validate Version="3.1"><v:TokenId>SYMC10000001</v:TokenId><v:OTP>${strict.otp('SYMC10000001')}</v:OTP></v:Validate>`,
    );
    assert.equal((await status(strict, '/val/soap', xml)).ReasonCode, '0000');
  });
});

describe('more than one operation in a Body', () => {
  const two = envelope('<v:GetServerTime Version="3.1"/><v:GetServerTime Version="3.1"/>');
  test('strict: 4E00 that says the Body takes one operation', async () => {
    const s = await status(strict, '/prov/soap', two);
    assert.equal(s.ReasonCode, '4E00');
    assert.match(String(s.ErrorDetail), /holds 2 elements .*exactly one operation/);
  });
  test('lenient: the first is answered, the rest ignored', async () => {
    assert.equal((await status(lenient, '/prov/soap', two)).ReasonCode, '0000');
  });
});

describe('a header marked mustUnderstand="1"', () => {
  const header = (mu: string) =>
    `<soapenv:Header><x:Trace xmlns:x="urn:example:trace" soapenv:mustUnderstand="${mu}">t1</x:Trace></soapenv:Header>`;
  const call = (mu: string) => envelope('<v:GetServerTime Version="3.1"/>', header(mu));
  test('strict: a MustUnderstand fault naming the header', async () => {
    const f = await faultOf(strict, '/prov/soap', call('1'));
    assert.equal(f.faultcode, 'soapenv:MustUnderstand');
    assert.match(f.faultstring, /\{urn:example:trace\}Trace is marked mustUnderstand="1"/);
  });
  test('strict: mustUnderstand="0" (or none) is fine', async () => {
    assert.equal((await status(strict, '/prov/soap', call('0'))).ReasonCode, '0000');
  });
  test('lenient: ignored', async () => {
    assert.equal((await status(lenient, '/prov/soap', call('1'))).ReasonCode, '0000');
  });
});

describe('a SOAP 1.2 envelope', () => {
  const soap12 = envelope('<v:GetServerTime Version="3.1"/>', '', 'http://www.w3.org/2003/05/soap-envelope');
  test('strict: VersionMismatch', async () => {
    const f = await faultOf(strict, '/prov/soap', soap12);
    assert.equal(f.faultcode, 'soapenv:VersionMismatch');
    assert.match(f.faultstring, /SOAP 1\.1 .*a SOAP 1\.2 envelope/);
  });
  test('lenient: a Client fault, as before', async () => {
    assert.equal((await faultOf(lenient, '/prov/soap', soap12)).faultcode, 'soapenv:Client');
  });
});

describe('reason-code case on the SOAP wire', () => {
  const wrongPath = buildRequestEnvelope('GetTokenInformation', { Version: '3.1', TokenId: 'SYMC10000001' });
  test('strict: upper case as production writes it (4E10), also before the body is read', async () => {
    const r = await post(strict, '/val/soap', wrongPath);
    assert.match(r.text, /<ReasonCode>4E10<\/ReasonCode>/);
    const notUtf8 = await request(strict.url, '/val/soap', Buffer.from([0x3c, 0xff, 0xfe]), {
      headers: { 'Content-Type': soap.contentType },
    });
    assert.match(notUtf8.text, /<ReasonCode>4E00<\/ReasonCode>/);
  });
  test('lenient: lower case (4e10), as the REST wire writes it', async () => {
    const r = await post(lenient, '/val/soap', wrongPath);
    assert.match(r.text, /<ReasonCode>4e10<\/ReasonCode>/);
  });
  test('the REST wire keeps lower case in both modes', async () => {
    for (const sim of [strict, lenient]) {
      const r = await request(sim.url, '/validate', {
        DeactivateTokenRequest: { Version: '3.1', TokenId: 'SYMC10000001' },
      });
      assert.equal((r.json.DeactivateTokenResponse as { Status: { ReasonCode: string } }).Status.ReasonCode, '4e10');
    }
  });
});

test('--lenient on the command line', () => {
  assert.equal((simulatorOptions(['--lenient']) as { lenient?: boolean }).lenient, true);
  assert.equal((simulatorOptions([]) as { lenient?: boolean }).lenient, undefined, 'strict by default');
});
