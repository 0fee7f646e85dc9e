// A hostile SOAP server: answers with a DOCTYPE that names a local file (XXE) or expands entities
// exponentially (billion laughs). The transport must refuse the answer at once, read no local
// file, and say what happened.
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { TransportError, sendText } from '../../core/transport';

let server: http.Server;
let answer = '';
let base = '';
let marker: string;

const envelope = (doctype: string, body: string) =>
  `<?xml version="1.0"?>${doctype}<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ValidateResponse Version="3.1" RequestId="r1" xmlns="https://schemas.vip.symantec.com/2006/08/vipservice"><Status><ReasonCode>0000</ReasonCode><StatusMessage>${body}</StatusMessage></Status></ValidateResponse></soapenv:Body></soapenv:Envelope>`;

before(async () => {
  marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vip-xxe-')), 'marker.txt');
  fs.writeFileSync(marker, 'MARKER-0815-local-file');
  // Plain HTTP on loopback is allowed by the transport; TLS adds nothing to this test.
  server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

async function refused(): Promise<TransportError> {
  const t0 = performance.now();
  try {
    await sendText('{"ValidateRequest":{"Version":"3.1","TokenId":"SYMC10000001","OTP":"123456"}}', {
      name: 'hostile',
      url: base,
      transport: 'soap',
      timeoutMs: 5000,
    });
  } catch (e) {
    assert.ok(e instanceof TransportError, String(e));
    assert.ok(performance.now() - t0 < 2000, 'refused at once');
    return e;
  }
  assert.fail('a response with a DOCTYPE must be refused');
}

test('control: the same answer without a DOCTYPE is a result', async () => {
  answer = envelope('', 'Success');
  const r = await sendText('{"ValidateRequest":{"Version":"3.1","TokenId":"SYMC10000001","OTP":"123456"}}', {
    name: 'hostile',
    url: base,
    transport: 'soap',
  });
  assert.equal(r.reasonCode, '0000');
});

test('an external entity naming a local file: refused, the file is not read into anything', async () => {
  answer = envelope(`<!DOCTYPE d [<!ENTITY x SYSTEM "file://${marker}">]>`, '&x;');
  const e = await refused();
  assert.ok(!e.message.includes('MARKER-0815'), e.message);
  assert.match(e.message, /DOCTYPE|not a VIP SOAP response/);
});

test('an entity expansion bomb: refused at once, nothing expanded', async () => {
  const lol = [
    '<!ENTITY l0 "lol">',
    ...Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`),
  ].join('');
  answer = envelope(`<!DOCTYPE d [${lol}]>`, '&l9;');
  const e = await refused();
  assert.ok(!e.message.includes('lollollol'), e.message.slice(0, 300));
  assert.ok(e.message.length < 2000);
});
