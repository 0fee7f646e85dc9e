// Asserting how a send failed: a TransportError of the given kind whose sentence matches.
import { strict as assert } from 'node:assert';
import { TransportError } from '../../core/transport';

export async function expectTransportError(p: Promise<unknown>, kind: string, re: RegExp): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TransportError, String(e));
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, re);
    return e;
  }
  assert.fail(`expected the send to fail with a "${kind}" error`);
}
