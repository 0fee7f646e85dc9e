// Integrity of the data in schemas/: every file loads, compiles and agrees with the others.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { getSchema, operations, reasonCodes, versions } from '../../core/data/catalog';
import { validatorFor } from '../../core/schema/validators';
import { descriptionOf, propertiesOf, schemaAt } from '../../core/schema/schemaWalk';

const SCHEMAS = path.resolve(__dirname, '..', '..', 'schemas');

test('every operation has a request and a response schema that compile', () => {
  for (const op of operations) {
    for (const kind of ['request', 'response'] as const) {
      assert.doesNotThrow(() => validatorFor(op.name, kind), `${op.name} ${kind}`);
    }
  }
});

test('no schema file exists without an operation', () => {
  const names = new Set(operations.map((o) => `${o.name}.json`));
  for (const dir of ['requests', 'responses']) {
    for (const file of fs.readdirSync(path.join(SCHEMAS, dir)))
      assert.ok(names.has(file), `${dir}/${file} has no entry in operations.json`);
  }
});

test('every request field has a description (hover needs one)', () => {
  for (const op of operations) {
    for (const kind of ['request', 'response'] as const) {
      const key = `${op.name}${kind === 'request' ? 'Request' : 'Response'}`;
      for (const field of Object.keys(propertiesOf(schemaAt(getSchema(op.name, kind), [key])))) {
        assert.ok(
          descriptionOf(schemaAt(getSchema(op.name, kind), [key, field])),
          `${key}.${field} has no description`,
        );
      }
    }
  }
});

test('operation REST names are unique kebab-case and SOAP paths are known', () => {
  const rest = operations.map((o) => o.rest);
  assert.equal(new Set(rest).size, rest.length);
  for (const o of operations) {
    assert.match(o.rest, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(['mgmt', 'val', 'prov'].includes(o.soapPath), o.name);
  }
});

test('the reason-code catalog has the 23 codes of the troubleshooting page, each once, lower case', () => {
  const page = reasonCodes.filter((c) => c.source === 'troubleshooting-page');
  assert.equal(page.length, 23);
  const all = reasonCodes.map((c) => c.code);
  assert.equal(new Set(all).size, all.length);
  for (const c of reasonCodes) {
    assert.match(c.code, /^[0-9a-f]{4}$/);
    assert.ok(c.message && c.solution, c.code);
  }
  for (const state of ['NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE']) {
    const n = reasonCodes.filter((c) => c.state === state).length;
    assert.equal(n, state === 'ENABLED' ? 0 : 1, state);
  }
});

test('the default version is a supported one', () => assert.ok(versions.supported.includes(versions.default)));
