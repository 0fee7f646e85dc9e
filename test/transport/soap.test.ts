// Send over SOAP: the same request file, as an envelope to /<mgmt|val|prov>/soap over mutual TLS,
// the XML answer mapped back to the JSON response; Faults and non-SOAP answers as clear errors.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { getOperation, soap } from '../../core/data/catalog';
import { buildFaultEnvelope, buildResponseEnvelope, parseRequestEnvelope } from '../../core/soap';
import { AgentPool, buildRequest, sendText, toCurl, TransportError, type Environment } from '../../core/transport';
import { makePki, type Pki } from '../helpers/pki';
import { startTestServer, type TestServer } from './testServer';

let pki: Pki;
let server: TestServer;
let server2: TestServer; // the same, bound to 127.0.0.2
const seen: { path: string; headers: Record<string, unknown>; body: string }[] = [];

/** A SOAP service stand-in: 0000 on the operation's own path, 4e10 elsewhere (as VIP does). */
const soapService: TestServer['handler'] = (req, res) => {
  seen.push({ path: req.url!, headers: req.headers, body: req.body });
  const { operation, body } = parseRequestEnvelope(req.body);
  const code = req.url!.endsWith(`/${getOperation(operation)!.soapPath}/soap`) ? '0000' : '4e10';
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
  const status = {
    ReasonCode: code,
    StatusMessage: code === '0000' ? 'Success' : 'This URL does not support this operation.',
  };
  res.end(
    buildResponseEnvelope(operation, {
      Version: body.Version,
      RequestId: body.RequestId,
      Status: status,
      ...(operation === 'DeactivateToken' ? { SameInitialState: false } : {}),
    }),
  );
};

before(async () => {
  pki = makePki();
  server = await startTestServer({ cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca.cert });
  server2 = await startTestServer({
    cert: pki.server.cert,
    key: pki.server.key,
    clientCa: pki.ca.cert,
    host: '127.0.0.2',
  });
  server.handler = soapService;
  server2.handler = soapService;
});
after(async () => {
  await server.close();
  await server2.close();
});

const env = (host = '127.0.0.1', extra: Partial<Environment> = {}): Environment => ({
  name: `soap-test-${host}`,
  url: `https://${host}:${(host === '127.0.0.2' ? server2 : server).port}`,
  transport: 'soap',
  cert: pki.client.cert,
  key: pki.client.key,
  ca: pki.ca.cert,
  ...extra,
});
const REQUEST =
  '{\n  // lost phone\n  "DeactivateTokenRequest": {"Version": "3.1", "RequestId": "SOAP1", "TokenId": "VSST12345678", "Reason": "Lost",},\n}';

describe('SOAP transport', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost']) {
    test(`a JSON request file goes out as an envelope to its SOAP path and comes back as JSON (${host})`, async () => {
      seen.length = 0;
      const result = await sendText(REQUEST, env(host), { agents: new AgentPool() });
      assert.equal(seen[0].path, '/mgmt/soap');
      assert.equal(seen[0].headers['content-type'], soap.contentType);
      assert.equal(seen[0].headers.soapaction, '""');
      assert.match(seen[0].body, /<DeactivateToken [^>]*Version="3\.1"[^>]*>/);
      assert.equal(result.reasonCode, '0000');
      assert.deepEqual(result.json, {
        DeactivateTokenResponse: {
          Version: '3.1',
          RequestId: 'SOAP1',
          Status: { ReasonCode: '0000', StatusMessage: 'Success' },
          SameInitialState: 'false',
        },
      });
      assert.equal(result.tls?.protocol?.startsWith('TLSv1.'), true);
    });
  }
  test('validation operations go to /val/soap, provisioning to /prov/soap', async () => {
    seen.length = 0;
    await sendText('{"ValidateRequest": {"Version": "3.1", "TokenId": "V", "OTP": "123456"}}', env());
    await sendText('{"GetServerTimeRequest": {"Version": "3.1"}}', env());
    assert.deepEqual(
      seen.map((s) => s.path),
      ['/val/soap', '/prov/soap'],
    );
  });
  test('a {soapPath} placeholder in the URL is honoured', async () => {
    seen.length = 0;
    const r = await sendText(
      REQUEST,
      env('127.0.0.1', { url: `https://127.0.0.1:${server.port}/gateway/{soapPath}/soap` }),
    );
    assert.equal(seen[0].path, '/gateway/mgmt/soap');
    assert.equal(r.reasonCode, '0000');
    const wrong = await sendText(
      REQUEST,
      env('127.0.0.1', { url: `https://127.0.0.1:${server.port}/val/soap?{soapPath}` }),
    );
    assert.equal(wrong.reasonCode, '4e10', 'an operation posted to the wrong SOAP path');
  });
  test('a SOAP Fault is a transport error that shows faultcode and faultstring, not a reason code', async () => {
    const saved = server.handler;
    server.handler = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/xml' });
      res.end(buildFaultEnvelope('soapenv:Client', 'Unmarshalling Error: cvc-complex-type.2.4.a'));
    };
    try {
      await assert.rejects(
        sendText(REQUEST, env()),
        (e: unknown) =>
          e instanceof TransportError &&
          e.kind === 'soap-fault' &&
          /soapenv:Client: Unmarshalling Error/.test(e.message) &&
          e.details.status === 500,
      );
    } finally {
      server.handler = saved;
    }
  });
  test('a truncated or non-XML answer shows status, content type and first bytes', async () => {
    const saved = server.handler;
    server.handler = (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    };
    try {
      await assert.rejects(
        sendText(REQUEST, env()),
        (e: unknown) =>
          e instanceof TransportError &&
          e.kind === 'not-vip' &&
          /HTTP 502 with text\/html/.test(e.message) &&
          /Bad Gateway/.test(e.message),
      );
    } finally {
      server.handler = saved;
    }
  });
  test('a request that cannot be written as SOAP is refused before sending', () => {
    assert.throws(
      () => buildRequest('{"EnableTokenRequest": {"Version": "3.1", "TokenId": "V", "Colour": "red"}}', env()),
      (e: unknown) => e instanceof TransportError && e.kind === 'usage' && /Colour/.test(e.message),
    );
  });
  test('Copy as cURL produces the SOAP form', () => {
    const curl = toCurl(buildRequest(REQUEST, env()), env());
    assert.match(curl, /Content-Type: text\/xml; charset=utf-8/);
    assert.match(curl, /SOAPAction: ""/);
    assert.match(curl, /<DeactivateToken /);
    assert.match(curl, /\/mgmt\/soap'?$/);
  });
  test('an unknown transport is a clear configuration error', async () => {
    const { validateEnvironment } = await import('../../core/transport');
    assert.throws(
      () => validateEnvironment({ name: 'x', url: 'https://h', transport: 'xml-rpc' }),
      /"transport" must be "rest" or "soap"/,
    );
    assert.throws(
      () => validateEnvironment({ name: 'x', url: 'https://h/rest/{operation}', transport: 'soap' }),
      /SOAP environment posts to <url>\/<mgmt\|val\|prov>\/soap/,
    );
  });
});
