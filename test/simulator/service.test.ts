// The wire-independent service: a request document in, a response document out, never a throw.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { operations } from '../../core/data/catalog';
import { validatorFor } from '../../core/engine/schemaValidation';
import { VipService, demoState } from '../../core/simulator';

const ctx = { now: new Date('2026-06-01T12:00:00Z') };

test('handle answers a document with no wire involved', () => {
  const service = new VipService(demoState());
  const result = service.handle('GetTokenInformation', { GetTokenInformationRequest: { Version: '3.0', Id: 'abc', TokenId: 'SYMC10000005' } }, ctx);
  assert.equal(result.reasonCode, '0000');
  assert.equal(result.operation, 'GetTokenInformation');
  assert.equal(result.tokenId, 'SYMC10000005');
  assert.equal(result.changed, false);
  const body = result.response.GetTokenInformationResponse as Record<string, unknown>;
  assert.equal(body.Version, '3.0');
  assert.equal(body.RequestId, 'abc', 'the XML name Id is echoed as RequestId');
  assert.equal((body.TokenInformation as Record<string, unknown>).TokenStatus, 'NEW');

  const changed = service.handle('ActivateToken', { ActivateTokenRequest: { Version: '3.1', TokenId: 'SYMC10000005' } }, ctx);
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
  const inner: unknown[] = [null, 42, 'text', [], {}, { Version: {} }, { Version: '3.1', TokenId: ['x'] }, { Version: '3.1', TokenId: { value: 7 } }, { Version: '3.1', TokenId: 'SYMC10000001', OTP: null }];
  for (const op of operations) {
    const key = `${op.name}Request`;
    const documents: unknown[] = [undefined, null, 0, 'x', [], { [key]: undefined }, ...inner.map((v) => ({ [key]: v }))];
    for (const document of documents) {
      const result = service.handle(op.name, document, ctx);
      assert.match(result.reasonCode, /^[0-9a-f]{4}$/, `${op.name} ${JSON.stringify(document)}`);
      assert.notEqual(result.reasonCode, '4e01', `${op.name} ${JSON.stringify(document)}: ${JSON.stringify(result.response)}`);
      assert.ok(validatorFor(op.name, 'response')(result.response), `${op.name} ${JSON.stringify(document)}: ${JSON.stringify(result.response)}`);
    }
  }
});

test('a fault in the context wins over the work', () => {
  const service = new VipService(demoState());
  const result = service.handle('DisableToken', { DisableTokenRequest: { Version: '3.1', TokenId: 'SYMC10000001' } }, { ...ctx, fault: '4879' });
  assert.equal(result.reasonCode, '4879');
  assert.equal(result.changed, false);
  assert.equal(service.state.tokens[0].state, 'ENABLED');
});
