// The REST wire: whatever arrives, the answer is a well-formed VIP response (or a 405 with Allow).
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import * as net from 'node:net';
import { after, before, test } from 'node:test';
import { validatorFor } from '../../core/schema/validators';
import { FAULT_HEADER, LATENCY_HEADER, startSimulator, type RunningSimulator } from '../../core/simulator';
import { NOW, code, request, vip, type Body } from './helpers';

let sim: RunningSimulator;
const logLines: string[] = [];

before(async () => {
  sim = await startSimulator({
    now: NOW,
    maxBodyBytes: 64 * 1024,
    requestTimeoutMs: 300,
    log: (line) => logLines.push(line),
  });
});
after(() => sim.close());

/** Posts raw bytes to `path` and returns the single top-level member of the answer. */
async function raw(
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ key: string; body: Body; status: number }> {
  const reply = await request(sim.url, path, body, { headers });
  const [key] = Object.keys(reply.json);
  assert.ok(key, `a JSON answer: ${reply.status} ${reply.text}`);
  return { key, body: reply.json[key] as Body, status: reply.status };
}

test('malformed bodies get 4e00 with the problem in ErrorDetail', async () => {
  const cases: [string | Buffer, RegExp][] = [
    ['', /not valid JSON/],
    ['{"ValidateRequest": {', /not valid JSON/],
    ['[1, 2]', /JSON object/],
    ['"text"', /JSON object/],
    ['{}', /exactly one member/],
    ['{"ValidateRequest": {}, "Extra": 1}', /exactly one member/],
    ['{"ValidateResponse": {}}', /exactly one member/],
    ['{"ValidateRequest": "x"}', /must be an object/],
    [Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /UTF-8/],
  ];
  for (const [body, detail] of cases) {
    const answer = await raw('/validate', body);
    assert.equal(answer.status, 200);
    assert.equal(answer.key, 'ValidateResponse', `for ${String(body)}`);
    assert.equal(code(answer.body), '4e00', `for ${String(body)}`);
    assert.match(String(answer.body.Status.ErrorDetail), detail, `for ${String(body)}`);
    assert.equal(answer.body.Status.StatusMessage, 'Malformed request');
  }
});

test('a JSON syntax error does not quote the body back (it may hold a code)', async () => {
  // V8 says: Unexpected token 'x', ..."OTP": x864209}}" is not valid JSON
  const answer = await raw('/validate', '{"ValidateRequest": {"TokenId": "A", "OTP": x864209}}');
  assert.equal(code(answer.body), '4e00');
  assert.match(String(answer.body.Status.ErrorDetail), /not valid JSON/);
  assert.ok(!answer.body.Status.ErrorDetail!.includes('864209'));
});

test('hostile bodies: deep nesting, wrong Content-Type, not HTTP at all', async () => {
  const deep = `{"ValidateRequest": {"Version": "3.1", "TokenId": ${'['.repeat(20_000)}${']'.repeat(20_000)}, "OTP": "123456"}}`;
  const nested = await raw('/validate', deep);
  assert.equal(code(nested.body), '4e00');
  assert.match(String(nested.body.Status.ErrorDetail), /nested more than/);
  const plain = await raw('/validate', '{}', { 'Content-Type': 'text/plain' });
  assert.equal(code(plain.body), '4e00');
  assert.match(String(plain.body.Status.ErrorDetail), /Content-Type/);

  const socket = net.connect(sim.port, '127.0.0.1');
  const text = await new Promise<string>((resolve, reject) => {
    let t = '';
    socket.on('data', (d) => (t += d.toString('utf8')));
    socket.on('close', () => resolve(t));
    socket.on('error', reject);
    socket.write('NOT HTTP AT ALL\r\n\r\n');
  });
  assert.match(text, /^HTTP\/1\.1 400/);
  assert.equal(
    code((JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { ErrorResponse: Body }).ErrorResponse),
    '4e00',
  );

  // A request line without a version: Node reads it as HTTP/0.9.
  const old = net.connect(sim.port, '127.0.0.1');
  const oldText = await new Promise<string>((resolve, reject) => {
    let t = '';
    old.on('data', (d) => (t += d.toString('utf8')));
    old.on('close', () => resolve(t));
    old.on('error', reject);
    old.end('POST /validate\r\n\r\n');
  });
  assert.match(oldText, /^HTTP\/1\.1 400/);
  const oldBody = JSON.parse(oldText.slice(oldText.indexOf('\r\n\r\n') + 4)) as { ValidateResponse: Body };
  assert.equal(code(oldBody.ValidateResponse), '4e00');
  assert.match(String(oldBody.ValidateResponse.Status.ErrorDetail), /HTTP\/0\.9 is not supported/);
});

test(
  'a client that hangs up in the middle of its request line is let go, and others are served',
  { timeout: 5000 },
  async () => {
    const socket = net.connect(sim.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.end('POST /valid');
    // No 'data' listener: the socket closes only if the server closes without answering.
    await once(socket, 'close');
    assert.equal(code(await vip(sim, 'GetServerTime')), '0000');
  },
);

test('schema violations: 4e00 naming the field; secret values are not echoed', async () => {
  const missing = await vip(sim, 'Validate', { TokenId: 'SYMC10000001' });
  assert.equal(code(missing), '4e00');
  assert.match(String(missing.Status.ErrorDetail), /OTP/);
  const unknown = await vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: '123456', Pin: '1' });
  assert.equal(code(unknown), '4e00');
  assert.match(String(unknown.Status.ErrorDetail), /Pin/);
  const badOtp = await vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: '12-34' });
  assert.equal(code(badOtp), '4e00');
  assert.match(String(badOtp.Status.ErrorDetail), /OTP/);
  assert.ok(!String(badOtp.Status.ErrorDetail).includes('12-34'), badOtp.Status.ErrorDetail);
  const wrongType = await vip(sim, 'Validate', { TokenId: 42, OTP: '123456' });
  assert.equal(code(wrongType), '4e00');
  const numericOtp = await vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: 975318 });
  assert.equal(code(numericOtp), '4e00');
  assert.match(String(numericOtp.Status.ErrorDetail), /OTP/);
  assert.ok(!String(numericOtp.Status.ErrorDetail).includes('975318'), numericOtp.Status.ErrorDetail);
  const badPassword = await vip(sim, 'SetTemporaryPassword', { TokenId: 'SYMC10000001', TemporaryPassword: 'abc12' });
  assert.equal(code(badPassword), '4952');
  assert.ok(!String(badPassword.Status.ErrorDetail).includes('abc12'), badPassword.Status.ErrorDetail);
});

test('the Version: 4e04 for a supported-looking but unsupported one, 4e00 for nonsense', async () => {
  assert.equal(code(await vip(sim, 'GetServerTime', { Version: '9.9' })), '4e04');
  const nonsense = await vip(sim, 'GetServerTime', { Version: 'abc' });
  assert.equal(code(nonsense), '4e00');
  assert.equal(nonsense.Version, '3.1', 'an invalid Version is not echoed');
});

test('4e10: unknown path, and a body for another operation', async () => {
  const unknown = await raw('/no-such-operation', JSON.stringify({ ValidateRequest: { Version: '3.1' } }));
  assert.equal(unknown.key, 'ErrorResponse');
  assert.equal(code(unknown.body), '4e10');
  assert.equal(unknown.body.Status.StatusMessage, 'This URL does not support this operation.');
  const mismatch = await raw(
    '/deactivate-token',
    JSON.stringify({ ValidateRequest: { Version: '3.1', RequestId: 'r1', TokenId: 'SYMC10000001', OTP: '123456' } }),
  );
  assert.equal(mismatch.key, 'ValidateResponse');
  assert.equal(code(mismatch.body), '4e10');
  assert.equal(mismatch.body.RequestId, 'r1');
  assert.match(String(mismatch.body.Status.ErrorDetail), /\/validate/);
  assert.equal(code((await raw('/validate/', '{}')).body), '4e10', 'a trailing slash is another URL');
});

test('other methods: 405 with an Allow header and a VIP body', async () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    const reply = await request(sim.url, '/validate', undefined, { method });
    assert.equal(reply.status, 405, method);
    assert.equal(reply.headers.allow, 'POST');
    assert.equal(code(reply.json.ValidateResponse as Body), '4e10');
  }
  const admin = await request(sim.url, '/_simulator/deliveries', '{}');
  assert.equal(admin.status, 405);
  assert.equal(admin.headers.allow, 'GET, HEAD');
});

test('a body over the size limit (2 MB against 64 KiB): 4e00, and the server keeps serving', async () => {
  const big = JSON.stringify({
    ValidateRequest: { Version: '3.1', TokenId: 'x'.repeat(2 * 1024 * 1024), OTP: '123456' },
  });
  const reply = await request(sim.url, '/validate', big);
  const body = reply.json.ValidateResponse as Body;
  assert.equal(code(body), '4e00');
  assert.match(String(body.Status.ErrorDetail), /larger than 65536 bytes/);
  assert.equal(code(await vip(sim, 'GetServerTime')), '0000');
});

test(
  'an 8 MB chunked body: 4e00 at once, the rest is drained, the same connection serves the next request',
  { timeout: 10_000 },
  async () => {
    const socket = net.connect(sim.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('utf8')));
    await once(socket, 'connect');
    socket.write(
      'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const mb = Buffer.concat([
      Buffer.from(`${(1 << 20).toString(16)}\r\n`),
      Buffer.alloc(1 << 20, 0x7b),
      Buffer.from('\r\n'),
    ]);
    for (let i = 0; i < 8; i++) socket.write(mb);
    socket.write('0\r\n\r\n');
    const time = JSON.stringify({ GetServerTimeRequest: { Version: '3.1' } });
    socket.write(
      `POST /get-server-time HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${time.length}\r\n\r\n${time}`,
    );
    await once(socket, 'close');
    const bodies = text
      .split('HTTP/1.1 ')
      .slice(1)
      .map((r) => JSON.parse(r.slice(r.indexOf('\r\n\r\n') + 4)) as Record<string, Body>);
    assert.equal(bodies.length, 2, text);
    assert.equal(code(bodies[0].ValidateResponse), '4e00');
    assert.equal(code(bodies[1].GetServerTimeResponse), '0000');
  },
);

test('a slow client that never finishes its body gets 4e00 after the request timeout', async () => {
  const socket = net.connect(sim.port, '127.0.0.1');
  const answer = new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  socket.write(
    'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Valid',
  );
  const text = await answer;
  assert.match(text, /^HTTP\/1\.1 200/);
  const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { ValidateResponse: Body };
  assert.equal(code(body.ValidateResponse), '4e00');
  assert.match(String(body.ValidateResponse.Status.ErrorDetail), /did not arrive/);
});

test('faults on demand: by setting, by header, by RequestId', async () => {
  sim.setFault('4879');
  assert.equal(code(await vip(sim, 'GetServerTime')), '4879');
  sim.setFault(undefined);
  assert.equal(code(await vip(sim, 'GetServerTime')), '0000');
  assert.equal(code(await vip(sim, 'GetServerTime', {}, { headers: { [FAULT_HEADER]: '4e01' } })), '4e01');
  assert.equal(code(await vip(sim, 'GetServerTime', {}, { headers: { [FAULT_HEADER]: 'boom' } })), '4e00');
  const triggered = await vip(sim, 'Validate', { RequestId: 'simulate-4e01', TokenId: 'SYMC10000001', OTP: '123456' });
  assert.equal(code(triggered), '4e01');
  assert.equal(triggered.Status.StatusMessage, 'Service Internal Error');
  assert.throws(() => sim.setFault('5000' as '4879'), /fault must be/);
});

test('latency injection delays the answer', async () => {
  const started = performance.now();
  await vip(sim, 'GetServerTime', {}, { headers: { [LATENCY_HEADER]: '150' } });
  assert.ok(performance.now() - started >= 145, 'the answer waited for the injected latency');
  sim.setLatency(100);
  const t = performance.now();
  await vip(sim, 'GetServerTime');
  assert.ok(performance.now() - t >= 95);
  sim.setLatency(0);
});

test('concurrent requests are all answered and counted exactly', async () => {
  const wrong = ['000000', '111111', '999999'].find(
    (c) => ![...Array(221).keys()].some((i) => sim.otp('SYMC10000001', i - 110) === c),
  )!;
  // 40 parallel failed validations on one credential: exactly MaxFailedAttempts (5) count before it locks.
  const answers = await Promise.all(
    Array.from({ length: 40 }, () => vip(sim, 'Validate', { TokenId: 'SYMC10000001', OTP: wrong })),
  );
  assert.equal(answers.filter((a) => code(a) === '49b5').length, 5);
  assert.equal(answers.filter((a) => code(a) === '4994').length, 35);
  assert.equal(sim.token('SYMC10000001')!.state, 'LOCKED');
});

test('every answer above was a valid response document, and the log never shows a secret', async () => {
  const body = await vip(sim, 'Validate', { TokenId: 'VSMT10000002', OTP: sim.otp('VSMT10000002')! });
  assert.ok(validatorFor('Validate', 'response')({ ValidateResponse: body }));
  const line = logLines.at(-1)!;
  assert.match(line, /POST \/validate Validate token=VSMT10000002 0000 \d+\.\dms$/);
  const secrets = ['123456', '12-34', sim.otp('VSMT10000002', -1)!];
  for (const l of logLines) for (const s of secrets) assert.ok(!l.includes(s), `log line shows a secret: ${l}`);
});

test('a log line stays one printable line whatever the TokenId', async () => {
  await vip(sim, 'Validate', { TokenId: 'A\nFAKE 0000 line\u0007', OTP: '123456' });
  const line = logLines.at(-1)!;
  assert.ok(!/[\n\r\u0007]/.test(line), line);
  assert.match(line, /token=A\?FAKE 0000 line\? 49f2 /);
});

test('plain HTTP is refused on a host that is not loopback; bad options are clear errors', async () => {
  await assert.rejects(startSimulator({ host: '0.0.0.0' }), /refusing plain HTTP/);
  await assert.rejects(startSimulator({ port: sim.port }), /the port is in use/);
  await assert.rejects(startSimulator({ now: 'yesterday' }), /ISO date-time/);
  await assert.rejects(
    startSimulator({ state: { account: 'A', tokens: [{ id: 'T', adapter: 'NOPE', state: 'NEW' }] } as never }),
    /not a valid simulator state/,
  );
  await assert.rejects(startSimulator({ state: '/nonexistent/state.json' }), /cannot read state file/);
  await assert.rejects(
    startSimulator({ state: { account: 'A', tokens: [] }, persist: true }),
    /persist needs a state file/,
  );
});
