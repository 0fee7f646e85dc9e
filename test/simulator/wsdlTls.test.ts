// The independent SOAP client (npm `soap`) against the simulator in mTLS mode (--tls --client-ca),
// with certificates made by openssl at test time: served with a client certificate, refused
// with 4e02 without one (docs/simulator.md, mTLS mode).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { after, before, test } from 'node:test';
import * as soapLib from 'soap';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { parseResponseEnvelope } from '../../core/soap';
import { makePki, type Pki } from '../helpers/pki';
import { NOW, request } from './helpers';

type Answer = { Status: { ReasonCode: string; ErrorDetail?: string } } & Record<string, unknown>;
type SoapClient = soapLib.Client & Record<string, (args: unknown) => Promise<[Answer, string]>>;

let pki: Pki;
let sim: RunningSimulator;
before(async () => {
  pki = makePki();
  sim = await startSimulator({
    now: NOW,
    tls: {
      cert: fs.readFileSync(pki.server.cert),
      key: fs.readFileSync(pki.server.key),
      clientCa: fs.readFileSync(pki.ca.cert),
    },
  });
});
after(() => sim.close());

/** A client made from the WSDL, which is itself fetched over mTLS with the client certificate. */
async function clientFor(soapPath: string): Promise<SoapClient> {
  const withCert = new https.Agent({
    ca: fs.readFileSync(pki.ca.cert),
    cert: fs.readFileSync(pki.client.cert),
    key: fs.readFileSync(pki.client.key),
  });
  try {
    return await soapLib.createClientAsync(`${sim.url}/${soapPath}/soap?wsdl`, {
      wsdl_options: { httpsAgent: withCert },
    });
  } finally {
    withCert.destroy();
  }
}

test('with the client certificate: the WSDL says https, and the calls are answered', async () => {
  const tls = {
    ca: fs.readFileSync(pki.ca.cert),
    cert: fs.readFileSync(pki.client.cert),
    key: fs.readFileSync(pki.client.key),
  };
  const wsdl = await request(sim.url, '/mgmt/soap?wsdl', undefined, { method: 'GET', tls });
  assert.match(wsdl.text, new RegExp(`<soap:address location="${sim.url.replace(/[.]/g, '\\.')}/mgmt/soap"`));
  assert.match(sim.url, /^https:/);
  const client = await clientFor('mgmt');
  client.setSecurity(new soapLib.ClientSSLSecurity(tls.key, tls.cert, tls.ca));
  const [info] = await client.GetTokenInformationAsync({ attributes: { Version: '3.1' }, TokenId: 'SYMC10000001' });
  assert.equal(info.Status.ReasonCode, '0000');
  assert.equal((info.TokenInformation as { TokenStatus: string }).TokenStatus, 'ENABLED');
});

test('without a client certificate: refused with 4e02, which the generated client cannot map to its output', async () => {
  const client = await clientFor('prov');
  // Only the CA that verifies the server: no client certificate.
  client.setSecurity(
    new soapLib.ClientSSLSecurity(
      undefined as unknown as Buffer,
      undefined as unknown as Buffer,
      fs.readFileSync(pki.ca.cert),
    ),
  );
  await assert.rejects(client.GetServerTimeAsync({ attributes: { Version: '3.1' } }), (e: unknown) => {
    // The answer is VIP's ErrorResponse (the operation is not read before the caller is known),
    // not GetServerTimeResponse: the soap package rejects it and keeps the body.
    const body = (e as { body?: string }).body ?? '';
    const { document } = parseResponseEnvelope(body, 'GetServerTime');
    assert.equal(
      (document.GetServerTimeResponse as { Status: { ReasonCode: string } }).Status.ReasonCode,
      '4E02',
      'upper case, as production writes it on the SOAP wire',
    );
    return true;
  });
});
