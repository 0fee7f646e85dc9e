// The editor and the simulator agree: each request fixture whose reason code the engine predicts
// from the request alone gets that very code from the simulator.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'jsonc-parser';
import { getOperation } from '../../core/data/catalog';
import { analyze } from '../../core/engine';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { NOW, request, type Body } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'predicted');
let sim: RunningSimulator;

before(async () => {
  sim = await startSimulator({ now: NOW });
});
after(() => sim.close());

const fixtures = fs.readdirSync(FIXTURES).filter((f) => /^[0-9a-f]{4}\.vip\.json$/.test(f));

test('there are fixtures to compare', () => assert.ok(fixtures.length >= 5));

for (const file of fixtures) {
  const expected = file.slice(0, 4);
  test(`${file}: the engine predicts ${expected}, the simulator answers ${expected}`, async () => {
    const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    assert.ok(
      analyze(text).some((f) => f.code === expected),
      'the engine predicts it',
    );
    const document = parse(text) as Record<string, unknown>;
    const [key] = Object.keys(document);
    const op = getOperation(key.replace(/Request$/, ''))!;
    const reply = await request(sim.url, `/${op.rest}`, JSON.stringify(document));
    const body = reply.json[`${op.name}Response`] as Body;
    assert.equal(body.Status.ReasonCode, expected, JSON.stringify(body.Status));
  });
}
