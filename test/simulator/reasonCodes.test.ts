// Each of the 23 reason codes of the troubleshooting page, produced by a real request against the
// built-in demo state: the rows of scripts/simulatorReasonCodeRequests.ts, from which the README's
// table is generated.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { getReasonCode, reasonCodes } from '../../core/data/catalog';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { makePki, type Pki } from '../helpers/pki';
import {
  OTP_AHEAD,
  REASON_CODE_REQUESTS,
  pathOf,
  reasonCodeRequestsTable,
  type ReasonCodeRequest,
} from '../../scripts/simulatorReasonCodeRequests';
import { NOW, request, vip, type Body } from './helpers';

let sim: RunningSimulator;
let tlsSim: RunningSimulator;
let pki: Pki;

before(async () => {
  pki = makePki();
  sim = await startSimulator({ now: NOW });
  tlsSim = await startSimulator({
    now: NOW,
    tls: {
      cert: pki.read(pki.server.cert),
      key: pki.read(pki.server.key),
      clientCa: pki.read(pki.ca.cert),
      revokedSerials: [pki.revokedClient.serial],
    },
  });
});
after(async () => {
  await sim.close();
  await tlsSim.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

const inner = (json: Record<string, unknown>): Body => Object.values(json)[0] as Body;
const tls = (cert?: string, key?: string) => ({
  tls: { ca: pki.read(pki.ca.cert), ...(cert ? { cert: pki.read(cert), key: pki.read(key!) } : {}) },
});

/** A row's fields with each `<otp TokenId ±N>` replaced by the code the running simulator expects there. */
function withCodes(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => {
      const ahead = typeof v === 'string' ? OTP_AHEAD.exec(v) : null;
      return [k, ahead ? sim.otp(ahead[1], Number(ahead[2])) : v];
    }),
  );
}

/** Sends one row of the README table exactly as it is written. */
async function send(row: ReasonCodeRequest): Promise<Body> {
  if (row.body !== undefined) return inner((await request(sim.url, pathOf(row), row.body)).json);
  if (row.mtls) {
    const client = row.mtls === 'revoked certificate' ? tls(pki.revokedClient.cert, pki.revokedClient.key) : tls();
    return vip(tlsSim, row.operation, row.fields, client);
  }
  return vip(sim, row.operation, withCodes(row.fields ?? {}));
}

test('the rows cover exactly the 23 codes of the troubleshooting page', () => {
  const page = reasonCodes
    .filter((rc) => rc.source === 'troubleshooting-page')
    .map((rc) => rc.code)
    .sort();
  assert.equal(page.length, 23);
  assert.deepEqual(REASON_CODE_REQUESTS.map((row) => row.code).sort(), page);
});

test('the wrong code of the 49b5 row is one SYMC10000001 shows nowhere near the clock', () => {
  const wrong = REASON_CODE_REQUESTS.find((row) => row.code === '49b5')!.fields!.OTP;
  for (let i = -110; i <= 110; i++) assert.notEqual(sim.otp('SYMC10000001', i), wrong, `offset ${i}`);
});

for (const row of REASON_CODE_REQUESTS) {
  test(`${row.code} ← ${row.operation}${row.note ? ` (${row.note})` : ''}`, async () => {
    const body = await send(row);
    assert.equal(body.Status.ReasonCode, row.code, JSON.stringify(body.Status));
    assert.equal(body.Status.StatusMessage, getReasonCode(row.code)!.message, 'the message comes from the catalog');
  });
}

test('4e04 answers like the seed sample: Version echoed, SameInitialState "false"', async () => {
  const body = await vip(sim, 'DeactivateToken', {
    Version: '5.0',
    RequestId: 'SYMC87654321',
    TokenId: 'SYMC10000001',
  });
  assert.deepEqual(body, {
    Version: '5.0',
    RequestId: 'SYMC87654321',
    SameInitialState: 'false',
    Status: {
      ReasonCode: '4e04',
      StatusMessage: 'Unsupported service protocol version',
      ErrorDetail: body.Status.ErrorDetail,
    },
  });
});

test('the README table is generated from these rows (run npm run docs to update)', () => {
  const doc = fs.readFileSync(`${__dirname}/../../README.md`, 'utf8');
  assert.ok(
    doc.includes(reasonCodeRequestsTable()),
    'README.md shows the table of scripts/simulatorReasonCodeRequests.ts',
  );
});
