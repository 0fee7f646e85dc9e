// mTLS mode with certificates made by openssl at test time.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { normalizeSerial, startSimulator, type RunningSimulator } from '../../core/simulator';
import { makePki, type Pki } from '../helpers/pki';
import { NOW, code, vip } from './helpers';

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
      revokedSerials: ['0x2002'],
    },
  });
});
after(async () => {
  await sim.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

const client = (cert?: string, key?: string) => ({
  tls: { ca: pki.read(pki.ca.cert), ...(cert && key ? { cert: pki.read(cert), key: pki.read(key) } : {}) },
});

test('the URL is https and a valid client certificate is served', async () => {
  assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const body = await vip(
    sim,
    'GetTokenInformation',
    { TokenId: 'SYMC10000001' },
    client(pki.client.cert, pki.client.key),
  );
  assert.equal(code(body), '0000');
});

test('no client certificate: 4e02', async () => {
  const body = await vip(sim, 'GetTokenInformation', { TokenId: 'SYMC10000001' }, client());
  assert.equal(code(body), '4e02');
  assert.match(String(body.Status.ErrorDetail), /No client certificate/);
});

test('a client certificate from an unknown CA: 4e02', async () => {
  const body = await vip(sim, 'GetServerTime', {}, client(pki.untrusted.clientCert, pki.untrusted.clientKey));
  assert.equal(code(body), '4e02');
  assert.match(String(body.Status.ErrorDetail), /not accepted/);
});

test('an expired client certificate: 4e02', async () => {
  const body = await vip(sim, 'GetServerTime', {}, client(pki.expiredClient.cert, pki.expiredClient.key));
  assert.equal(code(body), '4e02');
  assert.match(String(body.Status.ErrorDetail), /CERT_HAS_EXPIRED/);
});

test('a revoked serial: 4e0b; the state is untouched', async () => {
  const body = await vip(
    sim,
    'DisableToken',
    { TokenId: 'SYMC10000001' },
    client(pki.revokedClient.cert, pki.revokedClient.key),
  );
  assert.equal(code(body), '4e0b');
  assert.equal(body.SameInitialState, 'false');
  assert.equal(sim.token('SYMC10000001')!.state, 'ENABLED');
});

test('serials compare as hex without 0x, colons or leading zeros', () => {
  assert.equal(normalizeSerial('0x2002'), '2002');
  assert.equal(normalizeSerial('00:20:02'), '2002');
  assert.equal(normalizeSerial('0a1b'), 'A1B');
});

test('TLS without a client CA serves any caller over https', async () => {
  const open = await startSimulator({
    now: NOW,
    tls: { cert: pki.read(pki.server.cert), key: pki.read(pki.server.key) },
  });
  try {
    assert.equal(code(await vip(open, 'GetServerTime', {}, client())), '0000');
  } finally {
    await open.close();
  }
});
