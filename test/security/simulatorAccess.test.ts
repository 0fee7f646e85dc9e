// The simulator's helper endpoints (/_simulator/otp, /_simulator/deliveries) hand out valid codes.
// In mTLS mode they, like the VIP operations, answer only callers with a trusted client certificate.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { makePki, type Pki } from '../helpers/pki';
import { request } from '../simulator/helpers';
import { startSimulatorProcess, type SimulatorProcess } from './helpers';

let pki: Pki;
let sim: SimulatorProcess;

before(async () => {
  pki = makePki();
  sim = await startSimulatorProcess([
    '--tls',
    '--cert',
    pki.server.cert,
    '--key',
    pki.server.key,
    '--client-ca',
    pki.ca.cert,
  ]);
});
after(async () => {
  await sim?.stop();
});

const ca = () => fs.readFileSync(pki.ca.cert);

test('helper endpoints refuse a caller without a client certificate or with an untrusted one (4e02), no code in the answer', async () => {
  const callers = [
    { ca: ca() },
    { ca: ca(), cert: fs.readFileSync(pki.untrusted.clientCert), key: fs.readFileSync(pki.untrusted.clientKey) },
  ];
  for (const tls of callers) {
    for (const path of ['/_simulator/otp/SYMC10000001', '/_simulator/deliveries']) {
      const r = await request(sim.url, path, undefined, { method: 'GET', tls });
      const status = (Object.values(r.json)[0] as { Status?: { ReasonCode: string } } | undefined)?.Status;
      assert.equal(status?.ReasonCode, '4e02', `${path}: ${r.status} ${r.text}`);
      assert.doesNotMatch(r.text, /"OTP"|deliveries/);
    }
  }
});

test('control: with the trusted client certificate the helper answers with a code', async () => {
  const r = await request(sim.url, '/_simulator/otp/SYMC10000001', undefined, {
    method: 'GET',
    tls: { ca: ca(), cert: fs.readFileSync(pki.client.cert), key: fs.readFileSync(pki.client.key) },
  });
  assert.equal(r.status, 200, r.text);
  assert.match(String(r.json.OTP), /^\d{6}$/);
});
