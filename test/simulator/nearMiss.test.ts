// A request that looks like SOAP (an XML content type or an envelope body) on a path that serves no
// SOAP gets a SOAP answer: 4E10 naming the operation's SOAP path, or a Fault; never JSON.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { soap } from '../../core/data/catalog';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { buildRequestEnvelope, parseResponseEnvelope, SoapError } from '../../core/soap';
import { NOW, request } from './helpers';

let sim: RunningSimulator;
let lenient: RunningSimulator;
before(async () => {
  sim = await startSimulator({ now: NOW });
  lenient = await startSimulator({ now: NOW, lenient: true });
});
after(async () => {
  await sim.close();
  await lenient.close();
});

const TIME = buildRequestEnvelope('GetServerTime', { Version: '3.1', RequestId: 'nm1' });
const VALIDATE = buildRequestEnvelope('Validate', { Version: '3.1', TokenId: 'SYMC10000001', OTP: '123456' });
const xmlPost = (s: RunningSimulator, path: string, body: string, contentType: string = soap.contentType) =>
  request(s.url, path, body, { headers: { 'Content-Type': contentType, SOAPAction: '""' } });

/** `expected`: the operation an ErrorResponse (an answer before the operation is known) stands for. */
function statusOf(text: string, expected?: string): { ReasonCode: string; ErrorDetail?: string } {
  return (
    Object.values(parseResponseEnvelope(text, expected).document)[0] as {
      Status: { ReasonCode: string; ErrorDetail?: string };
    }
  ).Status;
}

test('an envelope on a near-miss path: 4E10 in SOAP that names the right path', async () => {
  for (const [path, body, right] of [
    ['/prov/soap/', TIME, '/prov/soap'],
    ['/soap', TIME, '/prov/soap'],
    ['/PROV/SOAP', TIME, '/prov/soap'],
    ['/val/soap/x', VALIDATE, '/val/soap'],
    ['/', VALIDATE, '/val/soap'],
    ['/validate', VALIDATE, '/val/soap'],
  ]) {
    const r = await xmlPost(sim, path, body);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.match(String(r.headers['content-type']), /^text\/xml/, path);
    const status = statusOf(r.text);
    assert.equal(status.ReasonCode, '4E10', path);
    assert.ok(status.ErrorDetail?.includes(`served at ${right}`), `${path}: ${status.ErrorDetail}`);
  }
});

test('an envelope sent with a JSON content type is still answered in SOAP', async () => {
  const r = await xmlPost(sim, '/soap', TIME, 'application/json');
  assert.match(String(r.headers['content-type']), /^text\/xml/);
  assert.equal(statusOf(r.text).ReasonCode, '4E10');
});

test('XML that is no VIP envelope on a near-miss path: a Client fault that names the SOAP paths', async () => {
  for (const body of ['<hello/>', '{"GetServerTimeRequest": {"Version": "3.1"}}']) {
    const r = await xmlPost(sim, '/soap', body);
    assert.equal(r.status, 500, r.text);
    assert.match(String(r.headers['content-type']), /^text\/xml/);
    assert.throws(
      () => parseResponseEnvelope(r.text),
      (e: unknown) =>
        e instanceof SoapError &&
        e.fault?.faultcode === 'soapenv:Client' &&
        /\/mgmt\/soap, \/val\/soap and \/prov\/soap/.test(e.fault.faultstring),
    );
  }
});

test('other methods with an XML content type: 405 in SOAP', async () => {
  const r = await request(sim.url, '/prov/soap/', undefined, {
    method: 'GET',
    headers: { 'Content-Type': 'text/xml' },
  });
  assert.equal(r.status, 405);
  assert.match(String(r.headers['content-type']), /^text\/xml/);
  assert.match(r.text, /<ErrorResponse /);
  assert.equal(statusOf(r.text, 'GetServerTime').ReasonCode, '4E10');
});

test('JSON on the same paths stays JSON (the REST wire)', async () => {
  for (const path of ['/soap', '/prov/soap/']) {
    const r = await request(sim.url, path, { GetServerTimeRequest: { Version: '3.1' } });
    assert.match(String(r.headers['content-type']), /^application\/json/, path);
    assert.equal((r.json.ErrorResponse as { Status: { ReasonCode: string } }).Status.ReasonCode, '4e10');
  }
});

test('--lenient: the same SOAP answer, with the reason code in lower case', async () => {
  const r = await xmlPost(lenient, '/prov/soap/', TIME);
  assert.match(String(r.headers['content-type']), /^text\/xml/);
  assert.equal(statusOf(r.text).ReasonCode, '4e10');
});
