// The wire-independent service: a request document in, a response document out, never a throw.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { operations } from '../../core/data/catalog';
import { validatorFor } from '../../core/schema/validators';
import { VipService, demoState } from '../../core/simulator';

const ctx = { now: new Date('2026-06-01T12:00:00Z') };

test('handle answers a document with no wire involved', () => {
  const service = new VipService(demoState());
  const result = service.handle(
    'GetTokenInformation',
    { GetTokenInformationRequest: { Version: '3.0', Id: 'abc', TokenId: 'SYMC10000005' } },
    ctx,
  );
  assert.equal(result.reasonCode, '0000');
  assert.equal(result.operation, 'GetTokenInformation');
  assert.equal(result.tokenId, 'SYMC10000005');
  assert.equal(result.changed, false);
  const body = result.response.GetTokenInformationResponse as Record<string, unknown>;
  assert.equal(body.Version, '3.0');
  assert.equal(body.RequestId, 'abc', 'the XML name Id is echoed as RequestId');
  assert.equal((body.TokenInformation as Record<string, unknown>).TokenStatus, 'NEW');

  const changed = service.handle(
    'ActivateToken',
    { ActivateTokenRequest: { Version: '3.1', TokenId: 'SYMC10000005' } },
    ctx,
  );
  assert.equal(changed.changed, true);
  assert.equal(service.state.tokens.find((t) => t.id === 'SYMC10000005')!.state, 'ENABLED');
});

test('an operation name that is not VIP: 4e10 in an ErrorResponse', () => {
  const result = new VipService(demoState()).handle('FormatDisk', { FormatDiskRequest: { Version: '3.1' } }, ctx);
  assert.equal(result.reasonCode, '4e10');
  assert.deepEqual(Object.keys(result.response), ['ErrorResponse']);
});

test('whatever the document, every operation answers with a response its schema accepts', () => {
  const service = new VipService(demoState());
  const inner: unknown[] = [
    null,
    42,
    'text',
    [],
    {},
    { Version: {} },
    { Version: '3.1', TokenId: ['x'] },
    { Version: '3.1', TokenId: { value: 7 } },
    { Version: '3.1', TokenId: 'SYMC10000001', OTP: null },
  ];
  for (const op of operations) {
    const key = `${op.name}Request`;
    const documents: unknown[] = [
      undefined,
      null,
      0,
      'x',
      [],
      { [key]: undefined },
      ...inner.map((v) => ({ [key]: v })),
    ];
    for (const document of documents) {
      const result = service.handle(op.name, document, ctx);
      assert.match(result.reasonCode, /^[0-9a-f]{4}$/, `${op.name} ${JSON.stringify(document)}`);
      assert.notEqual(
        result.reasonCode,
        '4e01',
        `${op.name} ${JSON.stringify(document)}: ${JSON.stringify(result.response)}`,
      );
      assert.ok(
        validatorFor(op.name, 'response')(result.response),
        `${op.name} ${JSON.stringify(document)}: ${JSON.stringify(result.response)}`,
      );
    }
  }
});

test('a fault in the context wins over the work', () => {
  const service = new VipService(demoState());
  const result = service.handle(
    'DisableToken',
    { DisableTokenRequest: { Version: '3.1', TokenId: 'SYMC10000001' } },
    { ...ctx, fault: '4879' },
  );
  assert.equal(result.reasonCode, '4879');
  assert.equal(result.changed, false);
  assert.equal(service.state.tokens[0].state, 'ENABLED');
});

test('seeded random mutations of valid requests never crash the service nor break the response schema', () => {
  // mulberry32: a tiny deterministic generator, so a failure can be replayed.
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const values: unknown[] = [
    '',
    '3.1',
    '5.0',
    'SYMC10000001',
    '15555550100',
    '123456',
    'x'.repeat(50),
    'ENABLED',
    'true',
    0,
    -1,
    1e308,
    true,
    null,
    [],
    {},
    ['SYMC10000001', 'VSMT10000002'],
    { value: '15555550100', type: 'SMS' },
    '2026-06-02T00:00:00Z',
    'not a date',
  ];
  const fields = [
    'Version',
    'RequestId',
    'Id',
    'AuthorizerAccountId',
    'TokenId',
    'TokenIds',
    'OTP',
    'OTP1',
    'OTP2',
    'TemporaryPassword',
    'ExpirationDate',
    'OneTimeUseOnly',
    'ACProfile',
    'Reason',
    'DeliverOTP',
    'TxnId',
    'TxnOTP',
    'Destination',
    'PhoneNumber',
    'Attribute',
    'ProofOfPossession',
    'NumericChallenge',
    'Response',
    'CheckOnly',
  ];
  const service = new VipService(demoState());
  const seen = new Set<string>();
  let answered = 0;
  for (const op of operations) {
    for (let i = 0; i < 40; i++) {
      const req: Record<string, unknown> = { Version: '3.1', TokenId: 'SYMC10000001' };
      const n = 1 + Math.floor(random() * 4);
      for (let k = 0; k < n; k++) {
        if (random() < 0.2) delete req[pick(Object.keys(req))];
        else req[pick(fields)] = pick(values);
      }
      const document = { [`${op.name}Request`]: req };
      const result = service.handle(op.name, document, ctx);
      const label = `${op.name} ${JSON.stringify(req)}`;
      assert.notEqual(result.reasonCode, '4e01', `${label}: ${JSON.stringify(result.response)}`);
      assert.ok(validatorFor(op.name, 'response')(result.response), `${label}: ${JSON.stringify(result.response)}`);
      seen.add(result.reasonCode);
      answered++;
    }
  }
  assert.equal(answered, operations.length * 40);
  assert.ok(seen.has('0000') && seen.size >= 6, `the mutations reach past validation: ${[...seen].join(' ')}`);
});
