// The simulator's SOAP wire answers every operation exactly as its REST wire does (one service
// behind both), 4e10 for an operation posted to another SOAP path, and SOAP Faults for envelopes
// it cannot read. Also end to end: Send over SOAP with mutual TLS.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { documentKey, getOperation, operations, soap } from '../../core/data/catalog';
import {
  FAULT_HEADER,
  ocra,
  proofOfPossession,
  secretFromHex,
  startSimulator,
  type RunningSimulator,
} from '../../core/simulator';
import { buildRequestEnvelope, parseResponseEnvelope, SoapError } from '../../core/soap';
import { sendText } from '../../core/transport';
import { makePki } from '../helpers/pki';
import { NOW, request } from './helpers';

const SECRET = secretFromHex('3132333435363738393031323334353637383930');
/** Fields whose values the simulator makes up at random: compared by shape only. */
const RANDOM = new Set(['TemporaryPassword', 'ActivationCode', 'TxnId', 'TxnOTP', 'OTP', 'sha256', 'code']);

type Fields = Record<string, unknown>;
type Step = [operation: string, fields: (sim: RunningSimulator, previous: Fields) => Fields];

/** A session touching every operation, success paths first, then some failures. */
const STEPS: Step[] = [
  ['ActivateToken', () => ({ TokenId: 'SYMC10000005' })],
  ['DisableToken', () => ({ TokenId: 'SYMC10000005', Reason: 'Lost' })],
  ['EnableToken', () => ({ TokenId: 'SYMC10000005' })],
  ['DeactivateToken', () => ({ TokenId: 'SYMC10000005', Reason: 'Stolen' })],
  ['UnlockToken', () => ({ TokenId: 'SYMC10000004' })],
  ['Validate', (s) => ({ TokenId: 'SYMC10000001', OTP: s.otp('SYMC10000001') })],
  [
    'ValidateMultiple',
    (s) => ({ TokenIds: ['SYMC10000001', 'VSMT10000002'], OTP: s.otp('VSMT10000002'), SendSuccessfulTokenId: true }),
  ],
  [
    'Synchronize',
    (s) => ({ TokenId: 'VSMT10000002', OTP1: s.otp('VSMT10000002', 20), OTP2: s.otp('VSMT10000002', 21) }),
  ],
  ['CheckOTP', (s) => ({ TokenId: 'SYMC10000001', OTP1: s.otp('SYMC10000001') })],
  [
    'SetTemporaryPassword',
    () => ({
      TokenId: 'SYMC10000003',
      TemporaryPassword: '246810',
      ExpirationDate: '2026-06-05T00:00:00Z',
      OneTimeUseOnly: true,
    }),
  ],
  ['GetTemporaryPwdExpiration', () => ({ TokenId: 'SYMC10000003' })],
  ['SetTemporaryPwdExpiration', () => ({ TokenId: 'SYMC10000003', ExpirationDate: '2026-06-10T00:00:00Z' })],
  ['GenerateTemporaryPassword', () => ({ TokenId: 'SYMC10000001', ExpirationDate: '2026-06-02T00:00:00Z' })],
  ['SendTemporaryPassword', () => ({ TokenId: '15555550100', PhoneNumber: '15555550100' })],
  ['GetTokenInformation', () => ({ TokenId: 'SYMC10000003', includeBadAttemptsCount: true })],
  ['Register', () => ({ TokenId: { value: '15555550199', type: 'Voice' }, DeliverOTP: 'false' })],
  ['SendOTP', () => ({ TokenId: '15555550100' })],
  [
    'DeliverSMS',
    () => ({ TokenId: '15555550100', SMSDeliveryInfo: { Message: 'Your parcel <is> on its way & more' } }),
  ],
  ['GetServerTime', () => ({})],
  ['GetActivationCode', () => ({ ACProfile: 'MOBILEPHONE' })],
  ['GetAdminCode', () => ({ TokenId: 'VSMT10000002', RequestCode: 'A1B2C3' })],
  [
    'ValidateCR',
    () => ({
      TokenIds: ['VSOC10000007'],
      NumericChallenge: '11111111',
      Response: ocra(SECRET, '11111111'),
      CheckOnly: false,
    }),
  ],
  ['GetAdapterConfiguration', () => ({ Adapter: 'SMS_OTP' })],
  [
    'SetAdapterConfiguration',
    () => ({
      Adapter: 'SMS_OTP',
      AdapterInfoSMSOTP: {
        ValidityPeriod: 120,
        GatewayId: 'TELESIGN',
        Message: [{ type: 'SERVICE', value: 'Code <_OTP_> & more' }],
      },
    }),
  ],
  ['GetAdapterConfiguration', () => ({ Adapter: 'SMS_OTP' })],
  [
    'SetTokenAttributes',
    () => ({
      TokenId: 'SYMC10000001',
      ProofOfPossession: { algorithm: 'HMAC-SHA256', value: proofOfPossession(SECRET, 'SYMC10000001', 'HMAC-SHA256') },
      Attribute: [{ name: 'device', value: 'laptop' }],
    }),
  ],
  ['SubmitTxnVerification', () => ({ PhoneNumber: '15555550102', VoiceTemplateName: 'payment' })],
  ['PollTxnVerification', (_s, prev) => ({ TxnId: prev.TxnId })],
  ['DeliverTxnOTP', () => ({ Destination: { value: '15555550100', type: 'SMS' } })],
  ['VerifyTxnOTP', (s, prev) => ({ TxnId: prev.TxnId, TxnOTP: s.deliveries().at(-1)?.code })],
  // Failures answer the same way too.
  ['Validate', () => ({ TokenId: 'SYMC10000001', OTP: '000000' })],
  ['EnableToken', () => ({ TokenId: 'NOSUCHTOKEN1' })],
  ['SetTemporaryPassword', () => ({ TokenId: 'SYMC10000003', TemporaryPassword: '12345' })],
  ['DisableToken', () => ({ Version: '5.0', TokenId: 'SYMC10000001' })],
  ['GetActivationCode', () => ({ ACProfile: 'BREW' })],
  ['SetAdapterConfiguration', () => ({ Adapter: 'OCRA', AdapterInfoEventBased: { MaxFailedAttempts: 3 } })],
];

/** The same value, where random fields only need the same shape. */
function comparable(v: unknown, key = ''): unknown {
  if (RANDOM.has(key) && typeof v === 'string') return `<random, ${v.length} characters>`;
  if (Array.isArray(v)) return v.map((x) => comparable(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, comparable(x, k)]));
  return v;
}

let rest: RunningSimulator;
let soapSim: RunningSimulator;
before(async () => {
  rest = await startSimulator({ now: NOW });
  soapSim = await startSimulator({ now: NOW });
});
after(async () => {
  await rest.close();
  await soapSim.close();
});

async function soapCall(sim: RunningSimulator, path: string, xml: string, contentType = soap.contentType) {
  const r = await request(sim.url, path, xml, { headers: { 'Content-Type': contentType, SOAPAction: '""' } });
  return { ...r, parsed: () => parseResponseEnvelope(r.text) };
}

describe('SOAP and REST give the same answers', () => {
  test('a session over every operation', async () => {
    const covered = new Set<string>();
    let prevRest: Fields = {};
    let prevSoap: Fields = {};
    for (const [operation, fields] of STEPS) {
      const op = getOperation(operation)!;
      const base = { Version: '3.1', RequestId: `rq${covered.size}` };
      const restBody = { ...base, ...fields(rest, prevRest) };
      const soapBody = { ...base, ...fields(soapSim, prevSoap) };
      const r = await request(rest.url, `/${op.rest}`, { [documentKey(operation, 'request')]: restBody });
      const s = await soapCall(soapSim, `/${op.soapPath}/soap`, buildRequestEnvelope(operation, soapBody));
      assert.equal(s.status, 200, s.text);
      assert.match(String(s.headers['content-type']), /^text\/xml/);
      const fromSoap = s.parsed().document;
      // Production writes reason codes in upper case on the SOAP wire, lower case over REST.
      const soapStatus = (Object.values(fromSoap)[0] as { Status: { ReasonCode: string } }).Status;
      const restCode = (Object.values(r.json)[0] as { Status: { ReasonCode: string } }).Status.ReasonCode;
      assert.equal(soapStatus.ReasonCode, restCode.toUpperCase(), `${operation}: the SOAP reason code in upper case`);
      soapStatus.ReasonCode = soapStatus.ReasonCode.toLowerCase();
      assert.deepEqual(
        comparable(fromSoap),
        comparable(r.json),
        `${operation}: SOAP ${JSON.stringify(fromSoap)} vs REST ${r.text}`,
      );
      prevRest = Object.values(r.json)[0] as Fields;
      prevSoap = Object.values(fromSoap)[0] as Fields;
      covered.add(operation);
    }
    assert.deepEqual([...covered].sort(), operations.map((o) => o.name).sort(), 'every operation');
    assert.deepEqual(comparable(soapSim.state()), comparable(rest.state()), 'both simulators end in the same state');
  });
});

describe('SOAP wire', () => {
  test('an operation posted to another SOAP path gets 4e10', async () => {
    const s = await soapCall(
      soapSim,
      '/val/soap',
      buildRequestEnvelope('GetTokenInformation', { Version: '3.1', TokenId: 'SYMC10000001' }),
    );
    const body = s.parsed().document.GetTokenInformationResponse as { Status: { ReasonCode: string } };
    assert.equal(body.Status.ReasonCode, '4E10');
  });
  test('a SOAP envelope that is not well-formed gets a Client Fault', async () => {
    const s = await soapCall(
      soapSim,
      '/mgmt/soap',
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Enable',
    );
    assert.equal(s.status, 500);
    assert.throws(
      () => s.parsed(),
      (e: unknown) => e instanceof SoapError && e.kind === 'fault' && e.fault?.faultcode === 'soapenv:Client',
    );
  });
  test('a DOCTYPE with an external entity is refused, never resolved', async () => {
    const secret = `${fs.mkdtempSync('/tmp/xxe-')}/secret.txt`;
    fs.writeFileSync(secret, 'SIMULATOR-XXE-SECRET');
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://${secret}">]><soapenv:Envelope xmlns:soapenv="${soap.envelopeNamespace}"><soapenv:Body><GetTokenInformation xmlns="${soap.namespace}" Version="3.1"><TokenId>&e;</TokenId></GetTokenInformation></soapenv:Body></soapenv:Envelope>`;
    const s = await soapCall(soapSim, '/mgmt/soap', xml);
    assert.equal(s.status, 500);
    assert.ok(!s.text.includes('SIMULATOR-XXE-SECRET'));
    assert.match(s.text, /DOCTYPE/);
  });
  test('a wrong content type is a 4e00 for the operation', async () => {
    const s = await soapCall(
      soapSim,
      '/mgmt/soap',
      buildRequestEnvelope('GetTokenInformation', { Version: '3.1', TokenId: 'SYMC10000001' }),
      'application/json',
    );
    assert.equal(
      (s.parsed().document.GetTokenInformationResponse as { Status: { ReasonCode: string } }).Status.ReasonCode,
      '4E00',
    );
  });
  test('the fault header works as on REST: a fault code is answered, anything else is 4e00', async () => {
    const call = (fault: string) =>
      request(soapSim.url, '/prov/soap', buildRequestEnvelope('GetServerTime', { Version: '3.1', RequestId: 'f1' }), {
        headers: { 'Content-Type': soap.contentType, SOAPAction: '""', [FAULT_HEADER]: fault },
      });
    const status = async (fault: string) =>
      (
        parseResponseEnvelope((await call(fault)).text).document.GetServerTimeResponse as {
          Status: { ReasonCode: string; ErrorDetail?: string };
        }
      ).Status;
    assert.equal((await status('4E01')).ReasonCode.toLowerCase(), '4e01');
    const refused = await status('boom');
    assert.equal(refused.ReasonCode.toLowerCase(), '4e00');
    assert.match(String(refused.ErrorDetail), /x-vip-simulator-fault takes 4879 or 4e01/);
    const rest = await request(
      soapSim.url,
      '/get-server-time',
      { GetServerTimeRequest: { Version: '3.1' } },
      { headers: { [FAULT_HEADER]: 'boom' } },
    );
    assert.equal(
      (rest.json.GetServerTimeResponse as { Status: { ErrorDetail: string } }).Status.ErrorDetail,
      refused.ErrorDetail,
      'the same answer on both wires',
    );
  });
  test('the old VeriSign namespace is accepted in requests', async () => {
    const xml = buildRequestEnvelope('GetServerTime', { Version: '2.0' }).replace(
      soap.namespace,
      soap.legacyNamespaces[0],
    );
    const s = await soapCall(soapSim, '/prov/soap', xml);
    assert.equal(
      (s.parsed().document.GetServerTimeResponse as { Status: { ReasonCode: string } }).Status.ReasonCode,
      '0000',
    );
  });
});

test('Send over SOAP with mutual TLS to the simulator, with openssl-made certificates', async () => {
  const pki = makePki();
  const sim = await startSimulator({
    now: NOW,
    tls: {
      cert: fs.readFileSync(pki.server.cert),
      key: fs.readFileSync(pki.server.key),
      clientCa: fs.readFileSync(pki.ca.cert),
    },
  });
  try {
    for (const host of ['127.0.0.1', 'localhost']) {
      const env = {
        name: `sim-soap-${host}`,
        url: sim.url.replace('127.0.0.1', host),
        transport: 'soap' as const,
        pfx: pki.client.p12,
        ca: pki.ca.cert,
      };
      const r = await sendText('{"GetTokenInformationRequest": {"Version": "3.1", "TokenId": "SYMC10000001"}}', env, {
        passphrase: pki.passphrase,
      });
      assert.equal(r.reasonCode, '0000');
      assert.equal(r.request.url.pathname, '/mgmt/soap');
      assert.equal(
        (r.json as { GetTokenInformationResponse: { TokenInformation: { TokenStatus: string } } })
          .GetTokenInformationResponse.TokenInformation.TokenStatus,
        'ENABLED',
      );
    }
    const noCert = await sendText('{"GetServerTimeRequest": {"Version": "3.1"}}', {
      name: 'sim-soap-nocert',
      url: sim.url,
      transport: 'soap',
      ca: pki.ca.cert,
    });
    assert.equal(noCert.reasonCode, '4e02', 'no client certificate: 4e02 over SOAP too');
  } finally {
    await sim.close();
  }
});
