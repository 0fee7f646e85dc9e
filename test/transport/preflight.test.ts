// Preflight of the client certificate material, with certificates made by openssl at test time.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { TransportError, loadTlsMaterial } from '../../core/transport';
import { makePki, type Pki } from '../helpers/pki';

let pki: Pki;
before(() => {
  pki = makePki();
});

const env = (extra: object) => ({ name: 'T', url: 'https://127.0.0.1/{operation}', ...extra });
function fails(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof TransportError, String(e));
    assert.equal(e.kind, 'tls-material');
    assert.match(e.message, re);
    return true;
  });
}

describe('preflight', () => {
  test('PEM cert + key loads, with subject and dates; verification on, TLS 1.2 minimum', () => {
    const m = loadTlsMaterial(env({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert }));
    assert.match(m.clientCertificate!.subject, /CN=VIP Test Client/);
    assert.ok(m.clientCertificate!.validTo > new Date());
    assert.equal(m.options.rejectUnauthorized, true);
    assert.equal(m.options.minVersion, 'TLSv1.2');
    assert.equal(m.insecure, false);
    assert.ok(m.options.ca && m.options.cert && m.options.key);
  });

  test('PKCS#12 with its passphrase loads and reveals the certificate', () => {
    const m = loadTlsMaterial(env({ pfx: pki.client.p12 }), { passphrase: pki.passphrase });
    assert.match(m.clientCertificate!.subject, /VIP Test Client/);
    assert.equal(m.options.passphrase, pki.passphrase);
  });

  test('only an explicit rejectUnauthorized: false turns verification off', () => {
    assert.equal(loadTlsMaterial(env({ rejectUnauthorized: false })).insecure, true);
    assert.equal(loadTlsMaterial(env({})).insecure, false);
  });

  test('missing files name the file and the setting', () => {
    const missing = path.join(pki.dir, 'nope.pem');
    fails(
      () => loadTlsMaterial(env({ cert: missing, key: pki.client.key })),
      /client certificate file ".*nope\.pem" does not exist\. Check "cert"/,
    );
    fails(() => loadTlsMaterial(env({ pfx: missing })), /PKCS#12 file ".*nope\.pem" does not exist/);
    fails(() => loadTlsMaterial(env({ ca: missing })), /CA file .* does not exist/);
    fails(() => loadTlsMaterial(env({ ca: pki.dir })), /is not a file/);
  });

  test('key that does not match the certificate', () => {
    fails(
      () => loadTlsMaterial(env({ cert: pki.client.cert, key: pki.untrusted.clientKey })),
      /private key ".*rogue-client\.key" does not match the certificate ".*client\.crt" \(CN=VIP Test Client\)/,
    );
  });

  test('expired certificate, with its dates', () => {
    fails(
      () => loadTlsMaterial(env({ cert: pki.expiredClient.cert, key: pki.expiredClient.key })),
      /expired on 2020-02-01 00:00:00 UTC \(valid from 2020-01-01 00:00:00 UTC\)\. Download a new VIP certificate/,
    );
  });

  test('not yet valid, with its dates', () => {
    fails(
      () => loadTlsMaterial(env({ cert: pki.client.cert, key: pki.client.key }), { now: new Date('2001-01-01') }),
      /is not valid yet: valid from \d{4}-\d\d-\d\d .* to /,
    );
    fails(
      () => loadTlsMaterial(env({ pfx: pki.client.p12 }), { passphrase: pki.passphrase, now: new Date('2001-01-01') }),
      /is not valid yet/,
    );
  });

  test('wrong or missing PKCS#12 passphrase: mac verify failure', () => {
    fails(
      () => loadTlsMaterial(env({ pfx: pki.client.p12 }), { passphrase: 'wrong' }),
      /Wrong passphrase for the PKCS#12 file .* \(mac verify failure\)\. Set the right one with "VIP: Set certificate passphrase…"/,
    );
    fails(() => loadTlsMaterial(env({ pfx: pki.client.p12 })), /needs a passphrase \(mac verify failure\)/);
  });

  test('legacy PKCS#12: Unsupported PKCS12 PFX data, with the re-export recipe', () => {
    fails(
      () => loadTlsMaterial(env({ pfx: pki.client.legacyP12 }), { passphrase: pki.passphrase }),
      /legacy encryption .*\(Unsupported PKCS12 PFX data\)\. Re-export it once with modern encryption: openssl pkcs12 -legacy -in old\.p12 -nodes -out tmp\.pem && openssl pkcs12 -export/,
    );
  });

  test('encrypted PEM key: with, without and with a wrong passphrase', () => {
    const e = env({ cert: pki.client.cert, key: pki.client.encryptedKey });
    assert.equal(loadTlsMaterial(e, { passphrase: pki.passphrase }).options.passphrase, pki.passphrase);
    fails(() => loadTlsMaterial(e), /is encrypted and no passphrase is set/);
    fails(() => loadTlsMaterial(e, { passphrase: 'nope' }), /Wrong passphrase for the private key/);
  });

  test('files of the wrong kind', () => {
    fails(
      () => loadTlsMaterial(env({ cert: pki.client.p12, key: pki.client.key })),
      /is not a PEM or DER certificate\. For a \.p12\/\.pfx file use "pfx"/,
    );
    fails(() => loadTlsMaterial(env({ pfx: pki.client.cert }), { passphrase: 'x' }), /is not a PKCS#12|cannot be used/);
    fails(() => loadTlsMaterial(env({ ca: pki.client.key })), /contains no PEM certificate/);
    const junk = path.join(pki.dir, 'junk.key');
    fs.writeFileSync(junk, 'hello');
    fails(() => loadTlsMaterial(env({ cert: pki.client.cert, key: junk })), /is not a usable private key/);
  });
});
