// Seeded HTTP fuzzing of a `vip-api simulator` process: random and mutated VIP documents (the
// fuzzers' generators), random methods, paths, content types and broken request lines, 8 at a
// time. Every reply must be a VIP response document (XML on the SOAP paths, 405 for wrong
// methods) and the process must survive. CI: 300 cases; VIP_SIM_FUZZ_CASES=20000 for long runs.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { operations } from '../../core/data/catalog';
import { int, mutate, pick, rng, vipDocument, type Rand } from '../fuzz/generators';
import { startSimulatorProcess, type SimulatorProcess } from '../security/helpers';
import { assertVip, raw, type RawReply } from './rawHttp';

const CASES = Number(process.env.VIP_SIM_FUZZ_CASES ?? 300);
const SEED = Number(process.env.VIP_SIM_FUZZ_SEED ?? 8);
let sim: SimulatorProcess;
let port: number;

before(async () => {
  sim = await startSimulatorProcess(['--max-body', '262144']);
  port = Number(new URL(sim.url).port);
});
after(async () => {
  await sim?.stop();
});

interface Case {
  bytes: Buffer;
  /** What a correct answer looks like. */
  expect: 'vip' | 'soap' | '405' | 'soap-405' | 'any-vip-4xx';
  label: string;
}

const TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.vip+json',
  'text/plain',
  'text/xml',
  '',
  'application/json\u0000',
  'x'.repeat(300),
];

function body(r: Rand): string {
  const doc = vipDocument(r);
  const k = r();
  if (k < 0.4) return doc;
  if (k < 0.8) return mutate(r, doc);
  if (k < 0.9) return '['.repeat(int(r, 20000)) + ']'.repeat(int(r, 20000));
  return `{"ValidateRequest":${'{"a":'.repeat(int(r, 5000))}1${'}'.repeat(int(r, 5000))}}`;
}

function oneCase(r: Rand): Case {
  const op = pick(r, operations);
  const k = r();
  if (k < 0.05) {
    // A broken request line or header block.
    const junk = Buffer.from(Array.from({ length: 1 + int(r, 200) }, () => int(r, 256)));
    return { bytes: Buffer.concat([junk, Buffer.from('\r\n\r\n')]), expect: 'any-vip-4xx', label: 'junk bytes' };
  }
  const method = r() < 0.9 ? 'POST' : pick(r, ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
  const soap = r() < 0.15;
  const path = soap
    ? `/${op.soapPath}/soap`
    : pick(r, [
        `/${op.rest}`,
        `/${op.rest}`,
        `/${op.rest}`,
        '/',
        `/${op.rest}/x`,
        `/${op.rest}?a=%zz`,
        `/${'a'.repeat(3000)}`,
        '/%00',
        '/..%2f..%2fetc%2fpasswd',
      ]);
  const text = soap
    ? `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${mutate(r, `<${op.name} Version="3.1" xmlns="https://schemas.vip.symantec.com/2006/08/vipservice"><TokenId>SYMC10000001</TokenId></${op.name}>`)}</soapenv:Body></soapenv:Envelope>`
    : body(r);
  const payload = Buffer.from(text, 'utf8');
  const type = soap ? pick(r, ['text/xml; charset=utf-8', 'text/xml', 'application/json']) : pick(r, TYPES);
  const head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${payload.length}\r\n\r\n`;
  // A NUL in a header breaks HTTP itself (400 from the parser).
  // A request that looks like SOAP (a SOAP path, an XML type) is answered in XML on any path.
  const soapShaped = soap || type.split(';')[0] === 'text/xml';
  const expect = type.includes('\u0000')
    ? 'any-vip-4xx'
    : method !== 'POST'
      ? soapShaped
        ? 'soap-405'
        : '405'
      : soapShaped
        ? 'soap'
        : 'vip';
  return {
    bytes: Buffer.concat([Buffer.from(head, 'latin1'), payload]),
    expect,
    label: `${method} ${path.slice(0, 40)} ${type.slice(0, 30)}`,
  };
}

function check(c: Case, reply: RawReply): void {
  if (c.expect === 'soap' || c.expect === 'soap-405') {
    if (c.expect === 'soap-405') assert.equal(reply.status, 405, c.label);
    assert.match(
      reply.body,
      /^<\?xml[^>]*>\s*<soapenv:Envelope/,
      `${c.label}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`,
    );
    return;
  }
  if (c.expect === '405') assert.equal(reply.status, 405, c.label);
  if (c.expect === 'any-vip-4xx')
    assert.ok(reply.status >= 400 && reply.status < 500, `${c.label}: HTTP ${reply.status}`);
  assertVip(reply);
}

test(`${CASES} fuzzed requests (seed ${SEED}): every reply is a VIP answer, the simulator survives`, async () => {
  const r = rng(SEED);
  const failures: string[] = [];
  for (let done = 0; done < CASES;) {
    const batch = Array.from({ length: Math.min(8, CASES - done) }, () => oneCase(r));
    done += batch.length;
    await Promise.all(
      batch.map(async (c) => {
        try {
          check(c, await raw(port, [c.bytes], { timeoutMs: 10_000 }));
        } catch (e) {
          failures.push(`${c.label}: ${(e as Error).message.slice(0, 300)}`);
        }
      }),
    );
    assert.equal(sim.child.exitCode, null, `the simulator exited after ${done} cases: ${sim.output().stderr}`);
    if (failures.length >= 5) break;
  }
  assert.deepEqual(failures, []);
  assertVip(
    await raw(port, [
      Buffer.from(
        `POST /get-server-time HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 42\r\n\r\n{"GetServerTimeRequest":{"Version":"3.1"}}`,
      ),
    ]),
    '0000',
  );
  assert.equal(sim.output().stderr, '', 'nothing on stderr');
});
