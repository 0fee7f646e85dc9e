// Test certificates made by `openssl` at test time: a CA, a server certificate for localhost,
// 127.0.0.1 and 127.0.0.2, client certificates (PEM, encrypted PEM, PKCS#12 modern and legacy),
// an untrusted CA with its own client and server, an expired and a revoked client.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Pki {
  dir: string;
  passphrase: string;
  ca: { cert: string };
  server: { cert: string; key: string };
  client: { cert: string; key: string; encryptedKey: string; p12: string; legacyP12: string; serial: string };
  /** Signed by the trusted CA but with a serial the simulator can be told is revoked. */
  revokedClient: { cert: string; key: string; serial: string };
  expiredClient: { cert: string; key: string };
  untrusted: { ca: string; clientCert: string; clientKey: string; serverCert: string; serverKey: string };
  /** Read a file of the PKI as text. */
  read(file: string): string;
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function key(cwd: string, name: string): string {
  openssl(cwd, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', name]);
  return path.join(cwd, name);
}

function selfSignedCa(cwd: string, name: string, cn: string): void {
  key(cwd, `${name}.key`);
  openssl(cwd, [
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '3',
    '-subj',
    `/CN=${cn}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function signed(cwd: string, name: string, ca: string, cn: string, serial: string, ext: string): void {
  key(cwd, `${name}.key`);
  openssl(cwd, ['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  fs.writeFileSync(path.join(cwd, `${name}.ext`), ext);
  openssl(cwd, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    serial,
    '-days',
    '2',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  ]);
}

const SERVER_EXT =
  'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:::1\n';
const CLIENT_EXT = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n';

/** A certificate valid only in the past, made with `openssl ca` (x509 -days cannot go back). */
function expired(cwd: string, name: string, ca: string): void {
  key(cwd, `${name}.key`);
  openssl(cwd, ['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=VIP Test Expired Client']);
  const db = path.join(cwd, 'cadb');
  fs.mkdirSync(db, { recursive: true });
  fs.writeFileSync(path.join(db, 'index.txt'), '');
  fs.writeFileSync(path.join(db, 'serial'), '3003\n');
  fs.writeFileSync(
    path.join(cwd, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${db}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      'default_md = sha256',
      'policy = any',
      'email_in_dn = no',
      'copy_extensions = none',
      'x509_extensions = client',
      '[any]',
      'commonName = supplied',
      '[client]',
      ...CLIENT_EXT.trim().split('\n'),
      '',
    ].join('\n'),
  );
  openssl(cwd, [
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    `${ca}.crt`,
    '-keyfile',
    `${ca}.key`,
    '-in',
    `${name}.csr`,
    '-out',
    `${name}.crt`,
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-notext',
  ]);
}

/** Folders made by makePki: test keys do not outlive the test process. */
const madeDirs = new Set<string>();
function removeMadeDirs(): void {
  for (const d of madeDirs) fs.rmSync(d, { recursive: true, force: true });
}

export function makePki(dir?: string): Pki {
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-pki-'));
    if (madeDirs.size === 0) process.once('exit', removeMadeDirs);
    madeDirs.add(dir);
  }
  const passphrase = 'test-Passphrase-42';
  selfSignedCa(dir, 'ca', 'VIP Test CA');
  signed(dir, 'server', 'ca', 'localhost', '0x1000', SERVER_EXT);
  signed(dir, 'client', 'ca', 'VIP Test Client', '0x1001', CLIENT_EXT);
  signed(dir, 'revoked', 'ca', 'VIP Test Revoked Client', '0x2002', CLIENT_EXT);
  expired(dir, 'expired', 'ca');
  openssl(dir, ['pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${passphrase}`, '-out', 'client.enc.key']);
  openssl(dir, [
    'pkcs12',
    '-export',
    '-inkey',
    'client.key',
    '-in',
    'client.crt',
    '-certfile',
    'ca.crt',
    '-passout',
    `pass:${passphrase}`,
    '-out',
    'client.p12',
  ]);
  openssl(dir, [
    'pkcs12',
    '-export',
    '-legacy',
    '-inkey',
    'client.key',
    '-in',
    'client.crt',
    '-passout',
    `pass:${passphrase}`,
    '-out',
    'client-legacy.p12',
  ]);
  selfSignedCa(dir, 'rogue-ca', 'Untrusted Test CA');
  signed(dir, 'rogue-client', 'rogue-ca', 'Untrusted Client', '0x4004', CLIENT_EXT);
  signed(dir, 'rogue-server', 'rogue-ca', 'localhost', '0x4005', SERVER_EXT);
  const p = (f: string) => path.join(dir, f);
  return {
    dir,
    passphrase,
    ca: { cert: p('ca.crt') },
    server: { cert: p('server.crt'), key: p('server.key') },
    client: {
      cert: p('client.crt'),
      key: p('client.key'),
      encryptedKey: p('client.enc.key'),
      p12: p('client.p12'),
      legacyP12: p('client-legacy.p12'),
      serial: '1001',
    },
    revokedClient: { cert: p('revoked.crt'), key: p('revoked.key'), serial: '2002' },
    expiredClient: { cert: p('expired.crt'), key: p('expired.key') },
    untrusted: {
      ca: p('rogue-ca.crt'),
      clientCert: p('rogue-client.crt'),
      clientKey: p('rogue-client.key'),
      serverCert: p('rogue-server.crt'),
      serverKey: p('rogue-server.key'),
    },
    read: (file: string) => fs.readFileSync(file, 'utf8'),
  };
}
