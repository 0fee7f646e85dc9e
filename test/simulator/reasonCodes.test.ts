// Each of the 23 reason codes of the troubleshooting page, produced by a real request against the
// built-in demo state (the same requests the README lists).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { getReasonCode, reasonCodes } from '../../core/data/catalog';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { makePki, type Pki } from '../helpers/pki';
import { NOW, request, vip, type Body } from './helpers';

let sim: RunningSimulator;
let tlsSim: RunningSimulator;
let pki: Pki;

before(async () => {
  pki = makePki();
  sim = await startSimulator({ now: NOW });
  tlsSim = await startSimulator({
    now: NOW,
    tls: { cert: pki.read(pki.server.cert), key: pki.read(pki.server.key), clientCa: pki.read(pki.ca.cert), revokedSerials: [pki.revokedClient.serial] },
  });
});
after(async () => {
  await sim.close();
  await tlsSim.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

/** A six-digit code that SYMC10000001 shows nowhere near the server time. */
function wrongCode(): string {
  const near = new Set<string>();
  for (let i = -110; i <= 110; i++) near.add(sim.otp('SYMC10000001', i)!);
  return ['000000', '111111', '222222', '333333'].find((c) => !near.has(c))!;
}

const inner = (json: Record<string, unknown>): Body => Object.values(json)[0] as Body;
const tls = (cert?: string, key?: string) => ({ tls: { ca: pki.read(pki.ca.cert), ...(cert ? { cert: pki.read(cert), key: pki.read(key!) } : {}) } });

const table: { code: string; request: string; run: () => Promise<Body> }[] = [
  { code: '4879', request: 'any request with RequestId "simulate-4879"', run: () => vip(sim, 'GetServerTime', { RequestId: 'simulate-4879' }) },
  { code: '4923', request: 'Validate SYMC10000001 with the code 11 steps ahead', run: () => vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: sim.otp('SYMC10000001', 11) }) },
  { code: '4952', request: 'SetTemporaryPassword with a 5-character TemporaryPassword', run: () => vip(sim, 'SetTemporaryPassword', { TokenId: 'SYMC10000001', TemporaryPassword: '12345' }) },
  { code: '4953', request: 'SetTemporaryPassword with an ExpirationDate in the past', run: () => vip(sim, 'SetTemporaryPassword', { TokenId: 'SYMC10000001', TemporaryPassword: '123456', ExpirationDate: '2026-05-01T00:00:00Z' }) },
  { code: '4993', request: 'UnlockToken on the DISABLED SYMC10000003', run: () => vip(sim, 'UnlockToken', { TokenId: 'SYMC10000003' }) },
  { code: '4994', request: 'Validate on the LOCKED SYMC10000004', run: () => vip(sim, 'Validate', { TokenId: 'SYMC10000004', OTP: '123456' }) },
  { code: '4995', request: 'Validate on the NEW SYMC10000005', run: () => vip(sim, 'Validate', { TokenId: 'SYMC10000005', OTP: '123456' }) },
  { code: '4996', request: 'Validate on the INACTIVE SYMC10000006', run: () => vip(sim, 'Validate', { TokenId: 'SYMC10000006', OTP: '123456' }) },
  { code: '4997', request: 'Validate on the DISABLED SYMC10000003 without its temporary password', run: () => vip(sim, 'Validate', { TokenId: 'SYMC10000003', OTP: '123456' }) },
  { code: '49b5', request: 'Validate SYMC10000001 with a wrong code', run: () => vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: wrongCode() }) },
  { code: '49f2', request: 'GetTokenInformation of the unknown SYMC00000000', run: () => vip(sim, 'GetTokenInformation', { TokenId: 'SYMC00000000' }) },
  { code: '4e00', request: 'a body that is not JSON', run: async () => inner((await request(sim.url, '/validate', '{"ValidateRequest": {')).json) },
  { code: '4e01', request: 'any request with RequestId "simulate-4e01"', run: () => vip(sim, 'GetServerTime', { RequestId: 'simulate-4e01' }) },
  { code: '4e02', request: 'mTLS mode, no client certificate', run: () => vip(tlsSim, 'GetServerTime', {}, tls()) },
  { code: '4e03', request: 'GetTokenInformation of SYMC18888888 (another account)', run: () => vip(sim, 'GetTokenInformation', { TokenId: 'SYMC18888888' }) },
  { code: '4e04', request: 'DeactivateToken with Version "5.0"', run: () => vip(sim, 'DeactivateToken', { Version: '5.0', TokenId: 'SYMC10000001' }) },
  { code: '4e08', request: 'GetActivationCode with ACProfile "BREW"', run: () => vip(sim, 'GetActivationCode', { ACProfile: 'BREW' }) },
  { code: '4e0b', request: 'mTLS mode, a client certificate with a revoked serial', run: () => vip(tlsSim, 'GetServerTime', {}, tls(pki.revokedClient.cert, pki.revokedClient.key)) },
  { code: '4e10', request: 'a DeactivateTokenRequest sent to /validate', run: async () => inner((await request(sim.url, '/validate', { DeactivateTokenRequest: { Version: '3.1', TokenId: 'SYMC10000001' } })).json) },
  { code: '4e11', request: 'GetTokenInformation of the revoked SYMC19999999', run: () => vip(sim, 'GetTokenInformation', { TokenId: 'SYMC19999999' }) },
  { code: '4e16', request: 'SendOTP to the unregistered phone 15555550123', run: () => vip(sim, 'SendOTP', { TokenId: '15555550123' }) },
  { code: '4e1d', request: 'ActivateToken of the NEW SMS credential 15555550101 without OTP1', run: () => vip(sim, 'ActivateToken', { TokenId: '15555550101' }) },
  { code: '4f05', request: 'SendOTP to the hardware HOTP credential VSMT10000002', run: () => vip(sim, 'SendOTP', { TokenId: 'VSMT10000002' }) },
];

test('the table covers exactly the 23 codes of the troubleshooting page', () => {
  const page = reasonCodes.filter((rc) => rc.source === 'troubleshooting-page').map((rc) => rc.code).sort();
  assert.equal(page.length, 23);
  assert.deepEqual(table.map((row) => row.code).sort(), page);
});

for (const row of table) {
  test(`${row.code} ← ${row.request}`, async () => {
    const body = await row.run();
    assert.equal(body.Status.ReasonCode, row.code, JSON.stringify(body.Status));
    assert.equal(body.Status.StatusMessage, getReasonCode(row.code)!.message, 'the message comes from the catalog');
  });
}

test('4e04 answers like the seed sample: Version echoed, SameInitialState "false"', async () => {
  const body = await vip(sim, 'DeactivateToken', { Version: '5.0', RequestId: 'SYMC87654321', TokenId: 'SYMC10000001' });
  assert.deepEqual(body, {
    Version: '5.0', RequestId: 'SYMC87654321', SameInitialState: 'false',
    Status: { ReasonCode: '4e04', StatusMessage: 'Unsupported service protocol version', ErrorDetail: body.Status.ErrorDetail },
  });
});

test('the README lists a request for each of the 23 codes', () => {
  const doc = fs.readFileSync(`${__dirname}/../../README.md`, 'utf8');
  const section = doc.slice(doc.indexOf('## Each troubleshooting-page reason code'));
  const listed = [...section.matchAll(/^\| ([0-9a-f]{4}) \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(listed, table.map((row) => row.code).sort());
});
