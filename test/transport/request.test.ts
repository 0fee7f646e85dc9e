// Request building, environments, error mapping and cURL (no network).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import * as path from 'node:path';
import {
  TransportError,
  buildRequest,
  expandPath,
  isLoopbackHost,
  mapNetworkError,
  resolveEnvironment,
  toCurl,
  validateEnvironment,
} from '../../core/transport';

const env = { name: 'Test', url: 'https://127.0.0.1:8443/vip/{operation}' };
const REQ = `// a comment
{
  /* block */
  "DeactivateTokenRequest": { "Version": "3.1", "TokenId": "VSMT12345678", }
}`;

describe('buildRequest', () => {
  test('strips comments, fills the URL template and headers, adds a RequestId', () => {
    const r = buildRequest(REQ, env);
    assert.equal(r.url.href, 'https://127.0.0.1:8443/vip/deactivate-token');
    assert.equal(r.operation.name, 'DeactivateToken');
    const sent = JSON.parse(r.body);
    assert.equal(sent.DeactivateTokenRequest.TokenId, 'VSMT12345678');
    assert.match(sent.DeactivateTokenRequest.RequestId, /^vipwb-[0-9a-z]+$/);
    assert.ok(sent.DeactivateTokenRequest.RequestId.length <= 40);
    assert.equal(r.requestIdGenerated, true);
    assert.ok(!r.body.includes('comment') && !r.body.includes('block'));
    assert.equal(r.headers['Content-Type'], 'application/json');
    assert.equal(r.headers.Accept, 'application/json');
    assert.equal(r.syntaxErrors, 0, 'comments and trailing commas are allowed');
    const broken = buildRequest('{"GetServerTimeRequest": {"Version": "3.1" "RequestId": "a"}}', env);
    assert.equal(broken.syntaxErrors, 1, 'a missing comma is recovered and counted');
    assert.equal(JSON.parse(broken.body).GetServerTimeRequest.RequestId, 'a');
  });

  test('keeps an existing RequestId (or Id) and honours autoRequestId off', () => {
    const withId = buildRequest('{"GetServerTimeRequest":{"Version":"3.1","RequestId":"abc"}}', env);
    assert.equal(JSON.parse(withId.body).GetServerTimeRequest.RequestId, 'abc');
    assert.equal(withId.requestIdGenerated, false);
    const alias = buildRequest('{"GetServerTimeRequest":{"Version":"3.1","Id":"xyz"}}', env);
    assert.equal(JSON.parse(alias.body).GetServerTimeRequest.RequestId, undefined);
    const off = buildRequest('{"GetServerTimeRequest":{"Version":"3.1"}}', env, { autoRequestId: false });
    assert.equal(JSON.parse(off.body).GetServerTimeRequest.RequestId, undefined);
  });

  test('appends the operation when the URL has no {operation}', () => {
    assert.equal(
      buildRequest(REQ, { name: 'x', url: 'https://localhost:9/api/' }).url.href,
      'https://localhost:9/api/deactivate-token',
    );
  });

  test('refuses responses, unknown keys, non-objects and plain http to other hosts', () => {
    const usage = (f: () => unknown, re: RegExp) =>
      assert.throws(f, (e: unknown) => e instanceof TransportError && e.kind === 'usage' && re.test(e.message));
    usage(() => buildRequest('{"DeactivateTokenResponse":{}}', env), /is a response, not a request/);
    usage(() => buildRequest('{"FooRequest":{}}', env), /not a VIP operation/);
    usage(() => buildRequest('[1]', env), /not a VIP request/);
    usage(() => buildRequest('', env), /not a VIP request/);
    usage(() => buildRequest('{"GetServerTimeRequest": 5}', env), /must be an object/);
    usage(
      () => buildRequest(REQ, { name: 'x', url: 'http://vip.example.com/{operation}' }),
      /plain http:\/\/ is allowed only to this machine/,
    );
    usage(() => buildRequest(REQ, { name: 'x', url: 'ftp://127.0.0.1/' }), /must start with https/);
    usage(() => buildRequest(REQ, { name: 'x', url: 'not a url' }), /not a valid URL/);
    assert.equal(buildRequest(REQ, { name: 'x', url: 'http://127.0.0.2:8080' }).url.protocol, 'http:');
  });
});

describe('environments', () => {
  test('validation names the field and the fix', () => {
    const bad = (v: unknown, re: RegExp) =>
      assert.throws(
        () => validateEnvironment(v, 'vipApi.environments[0]'),
        (e: unknown) =>
          e instanceof TransportError && re.test(e.message) && e.message.startsWith('vipApi.environments[0]'),
      );
    bad({ name: 'a' }, /"url" is missing/);
    bad({ url: 'https://x' }, /"name" is missing/);
    bad({ name: 'a', url: 'https://x', cert: 'c.pem' }, /"cert" is set without "key"/);
    bad({ name: 'a', url: 'https://x', key: 'k.pem' }, /"key" is set without "cert"/);
    bad({ name: 'a', url: 'https://x', pfx: 'https://host/c.p12' }, /must be a file path, not a URL/);
    bad({ name: 'a', url: 'https://x', timeoutMs: -1 }, /positive number/);
    bad({ name: 'a', url: 'https://x', rejectUnauthorized: 'no' }, /true or false/);
    bad('x', /must be an object/);
    assert.deepEqual(validateEnvironment({ name: 'a', url: 'https://x', pfx: 'c.p12', timeoutMs: 5 }).timeoutMs, 5);
  });

  test('paths: relative, ~ and ${env:VAR}', () => {
    const ctx = { baseDir: '/ws', home: '/home/u', vars: { CERTS: '/etc/certs' } };
    assert.equal(expandPath('certs/a.pem', ctx), path.resolve('/ws/certs/a.pem'));
    assert.equal(expandPath('~/a.p12', ctx), path.resolve('/home/u/a.p12'));
    assert.equal(expandPath('${env:CERTS}/ca.pem', ctx), path.resolve('/etc/certs/ca.pem'));
    const r = resolveEnvironment(
      { name: 'a', url: 'https://${env:HOST}/{operation}', pfx: 'a.p12' },
      { ...ctx, vars: { HOST: 'h' } },
    );
    assert.equal(r.url, 'https://h/{operation}');
    assert.equal(r.pfx, path.resolve('/ws/a.p12'));
  });

  test('loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.0.0.2', '[::1]', '::1']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['vip.example.com', '10.0.0.1', '128.0.0.1', 'localhost.evil.com'])
      assert.ok(!isLoopbackHost(h), h);
  });
});

describe('error mapping (errors that cannot be produced on loopback)', () => {
  const target = { host: 'vip.example.invalid', port: '443', url: 'https://vip.example.invalid/x' };
  test('DNS failure names the host and the step', () => {
    const e = mapNetworkError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), target);
    assert.equal(e.kind, 'dns');
    assert.match(e.message, /"vip\.example\.invalid" could not be resolved.*Check the spelling/);
  });
  test('unknown errors keep their code', () => {
    const e = mapNetworkError(Object.assign(new Error('odd'), { code: 'EODD' }), target);
    assert.equal(e.kind, 'network');
    assert.match(e.message, /failed: odd \(EODD\)/);
  });
});

describe('toCurl', () => {
  const r = buildRequest('{"GetServerTimeRequest":{"Version":"3.1","RequestId":"it\'s"}}', env);
  test('PKCS#12 with a passphrase placeholder, CA, quoting', () => {
    const c = toCurl(r, { ...env, pfx: '/certs/my vip.p12', ca: '/certs/ca.pem' }, { needsPassphrase: true });
    assert.match(c, /--cert-type P12 --cert '\/certs\/my vip\.p12:'"\$VIP_CERT_PASSPHRASE"/);
    assert.match(c, /--cacert \/certs\/ca\.pem/);
    assert.match(c, /--data-binary '\{"GetServerTimeRequest":\{"Version":"3\.1","RequestId":"it'\\''s"\}\}'/);
    assert.ok(c.endsWith('https://127.0.0.1:8443/vip/get-server-time'));
  });
  test('PEM with encrypted key', () => {
    const c = toCurl(r, { ...env, cert: '/c.pem', key: '/k.pem' }, { needsPassphrase: true, passphraseVar: 'P' });
    assert.match(c, /--cert \/c\.pem --key \/k\.pem --pass "\$P"/);
  });
});
