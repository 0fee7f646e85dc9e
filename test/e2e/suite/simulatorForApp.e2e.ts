// VIP: Start simulator for my app: the command starts the bundled simulator on the port of
// vipApi.simulator.port (the next free one when it is taken); the URLs it shows answer real HTTP
// requests from here, REST and SOAP, and serve the WSDL; VIP: Stop simulator for my app frees the port.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { SimulatorForAppInfo } from '../../../client/src/simulatorForApp';
import { activateExtension, setWorkspaceSetting } from './helpers';

const start = async () =>
  vscode.commands.executeCommand<SimulatorForAppInfo | undefined>('vipApi.startSimulatorForApp');
const stop = async () => vscode.commands.executeCommand<boolean>('vipApi.stopSimulatorForApp');

/** A server on 127.0.0.1 (port 0: a free one); resolves once it listens, rejects if it cannot. */
async function listenOn(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = await listenOn(0);
  const port = portOf(server);
  await close(server);
  return port;
}

async function restReasonCode(restUrl: string): Promise<string | undefined> {
  const res = await fetch(`${restUrl}/get-token-information`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      GetTokenInformationRequest: { Version: '3.1', RequestId: 'app-rest', TokenId: 'SYMC10000001' },
    }),
  });
  assert.equal(res.status, 200);
  const json = (await res.json()) as { GetTokenInformationResponse?: { Status?: { ReasonCode?: string } } };
  return json.GetTokenInformationResponse?.Status?.ReasonCode;
}

/** A SOAP 1.1 request written by hand, as an application's SOAP stack would send it. */
const SOAP_GET_TOKEN_INFORMATION =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:vip="https://schemas.vip.symantec.com/2006/08/vipservice">' +
  '<soapenv:Body><vip:GetTokenInformation Version="3.1" RequestId="app-soap"><vip:TokenId>SYMC10000001</vip:TokenId></vip:GetTokenInformation></soapenv:Body>' +
  '</soapenv:Envelope>';

describe('VIP: Start simulator for my app', () => {
  before(async () => {
    await activateExtension();
    await stop(); // nothing left from an earlier run of this extension host
  });
  after(async () => {
    await stop();
    await setWorkspaceSetting('simulator.port', undefined);
  });

  it('runs on vipApi.simulator.port: the REST URL and a SOAP URL it shows get VIP answers, ?wsdl is a WSDL; Stop frees the port', async () => {
    const port = await freePort();
    await setWorkspaceSetting('simulator.port', port);
    const info = await start();
    assert.ok(info, 'the command resolves to what it shows');
    assert.equal(info.requestedPort, port);
    assert.equal(info.port, port, 'the configured port is used');
    assert.equal(info.restUrl, `http://127.0.0.1:${port}`);
    assert.deepEqual(
      info.soapUrls,
      ['/mgmt/soap', '/val/soap', '/prov/soap'].map((p) => `http://127.0.0.1:${port}${p}`),
    );
    assert.deepEqual(
      info.wsdlUrls,
      info.soapUrls.map((u) => `${u}?wsdl`),
    );
    for (const url of [info.restUrl, ...info.soapUrls, info.wsdlUrls[0]])
      assert.ok(info.message.includes(url), `the notification shows ${url}: ${info.message}`);
    assert.doesNotMatch(info.message, /was taken/);

    assert.equal(await restReasonCode(info.restUrl), '0000');

    const soap = await fetch(info.soapUrls[0], {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
      body: SOAP_GET_TOKEN_INFORMATION,
    });
    const soapText = await soap.text();
    assert.equal(soap.status, 200, soapText);
    assert.match(soapText, /<GetTokenInformationResponse [^>]*RequestId="app-soap"/);
    assert.match(soapText, /<ReasonCode>0000<\/ReasonCode>/);
    assert.match(soapText, /<TokenId>SYMC10000001<\/TokenId>/);

    const wsdl = await fetch(info.wsdlUrls[1]);
    const wsdlText = await wsdl.text();
    assert.equal(wsdl.status, 200, wsdlText.slice(0, 300));
    assert.match(wsdl.headers.get('content-type') ?? '', /xml/);
    assert.match(wsdlText, /<wsdl:definitions /);
    assert.ok(
      wsdlText.includes(`<soap:address location="${info.soapUrls[1]}"/>`),
      'the WSDL points at the URL it was fetched from',
    );

    // The control API answers loopback callers, such as an application's tests on this machine.
    const otp = await fetch(`${info.restUrl}/_simulator/otp/SYMC10000001`);
    assert.equal(otp.status, 200);
    assert.equal(((await otp.json()) as { TokenId?: string }).TokenId, 'SYMC10000001');

    assert.deepEqual(await start(), info, 'a second start shows the simulator that runs');

    assert.equal(await stop(), true);
    const reuse = await listenOn(port); // rejects (EADDRINUSE) if the simulator still held the port
    await close(reuse);
    assert.equal(await stop(), false, 'nothing left to stop');
  });

  it('takes the next free port when the configured one is in use, and says so', async () => {
    const busy = await listenOn(0);
    try {
      const taken = portOf(busy);
      await setWorkspaceSetting('simulator.port', taken);
      const info = await start();
      assert.ok(info, 'the command resolves to what it shows');
      assert.equal(info.requestedPort, taken);
      assert.ok(info.port > taken && info.port < taken + 20, `port ${info.port} follows ${taken}`);
      assert.equal(info.restUrl, `http://127.0.0.1:${info.port}`);
      assert.ok(info.message.includes(`Port ${taken} was taken, so it runs on port ${info.port}.`), info.message);
      assert.equal(await restReasonCode(info.restUrl), '0000');
      assert.equal(await stop(), true);
      await close(await listenOn(info.port));
    } finally {
      await close(busy);
    }
  });
});
