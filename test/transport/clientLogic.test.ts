// The VS Code side's pure modules: environments from settings, redacted history, what is shown.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  SIMULATOR,
  SIMULATOR_SOAP,
  isSimulator,
  needsPassphrase,
  passphraseKey,
  pickEnvironment,
  readEnvironments,
} from '../../client/src/send/environments';
import { HistoryStore } from '../../client/src/send/history';
import { callsBuiltInSimulator, resolveTarget, type TargetHost } from '../../client/src/send/target';
import {
  explainText,
  isTokenStateError,
  responseFileName,
  statusLine,
  tokenInformationRequest,
} from '../../client/src/send/present';
import { getReasonCode } from '../../core/data/catalog';

describe('the preparation Send, Copy as cURL and Show SOAP envelope share (client/src/send/target.ts)', () => {
  // Two workspace folders with different current environments; no folder (e.g. an untitled
  // document) gets a third. Each action must use the one of the document's own folder.
  const byFolder: Record<string, string> = { a: SIMULATOR, b: 'Prod' };
  const envNamed = (name: string) =>
    name === SIMULATOR
      ? { name, url: 'builtin-simulator:' }
      : { name, url: `https://${name.toLowerCase()}.example.com/{operation}` };
  const concreteSeen: string[] = [];
  const host: TargetHost<string, string> = {
    folderOf: (uri) => /^file:\/\/\/(a|b)\//.exec(uri)?.[1],
    currentEnvironment: (folder) => envNamed(folder === undefined ? 'No folder' : byFolder[folder]),
    concrete: async (env) => {
      concreteSeen.push(env.name);
      return env.url === 'builtin-simulator:' ? { ...env, url: 'http://127.0.0.1:4242/{operation}' } : env;
    },
    autoRequestId: () => false,
  };

  test("the document's workspace folder decides the environment, for the request and for the note after Copy as cURL", async () => {
    const inA = await resolveTarget(host, 'file:///a/requests/x.vip.json');
    assert.equal(inA.configured.name, SIMULATOR);
    assert.equal(inA.env.url, 'http://127.0.0.1:4242/{operation}', 'the Simulator gets its concrete URL');
    assert.deepEqual(inA.options, { autoRequestId: false });
    assert.equal(
      callsBuiltInSimulator(inA),
      true,
      'the note after Copy as cURL says the Simulator runs only while VS Code does',
    );
    const inB = await resolveTarget(host, 'file:///b/requests/x.vip.json');
    assert.equal(inB.configured.name, 'Prod');
    assert.equal(callsBuiltInSimulator(inB), false);
    assert.deepEqual(concreteSeen, [SIMULATOR, 'Prod']);
  });
});

describe('environments from settings', () => {
  test('no settings: only the built-in Simulator, over REST and over SOAP', () => {
    const { environments, problems } = readEnvironments(undefined, { baseDir: '/ws' });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      environments.map((e) => [e.name, e.transport ?? 'rest']),
      [
        [SIMULATOR, 'rest'],
        [SIMULATOR_SOAP, 'soap'],
      ],
    );
    assert.ok(environments.every(isSimulator));
    assert.equal(pickEnvironment(environments, 'gone').name, SIMULATOR);
  });

  test('valid entries resolve paths; bad ones are skipped with a sentence; duplicates flagged', () => {
    const { environments, problems } = readEnvironments(
      [
        { name: 'Prod', url: 'https://vip.example.com/{operation}', pfx: 'certs/vip.p12' },
        { name: 'Broken', url: 'https://x', cert: 'c.pem' },
        { name: 'Prod', url: 'https://other' },
      ],
      { baseDir: '/ws' },
    );
    assert.deepEqual(
      environments.map((e) => e.name),
      [SIMULATOR, SIMULATOR_SOAP, 'Prod'],
    );
    assert.equal(environments[2].pfx, path.resolve('/ws/certs/vip.p12'));
    assert.equal(problems.length, 2);
    assert.match(problems[0], /vipApi\.environments\[1\]: "cert" is set without "key"/);
    assert.match(problems[1], /used twice/);
    assert.equal(pickEnvironment(environments, 'Prod').name, 'Prod');
    assert.match(readEnvironments('x', { baseDir: '/' }).problems[0], /must be a list/);
  });

  test('a URL with a user name or password is refused: skipped with a sentence that does not repeat it', () => {
    const { environments, problems } = readEnvironments(
      [
        { name: 'Creds', url: 'https://user:s3cret@vip.example.com/{operation}' },
        { name: 'User only', url: 'https://user@vip.example.com' },
      ],
      { baseDir: '/' },
    );
    assert.deepEqual(
      environments.map((e) => e.name),
      [SIMULATOR, SIMULATOR_SOAP],
    );
    assert.equal(problems.length, 2);
    for (const p of problems) assert.match(p, /must not contain a user name or password/);
    assert.ok(!problems.join('\n').includes('s3cret'));
  });

  test('a user environment named Simulator replaces the built-in one', () => {
    const { environments } = readEnvironments([{ name: SIMULATOR, url: 'https://127.0.0.1:9/{operation}' }], {
      baseDir: '/',
    });
    assert.deepEqual(
      environments.map((e) => e.name),
      [SIMULATOR, SIMULATOR_SOAP],
    );
    assert.equal(
      pickEnvironment(environments, undefined).url,
      'https://127.0.0.1:9/{operation}',
      "the user's Simulator is the default",
    );
    assert.ok(!isSimulator(environments.find((e) => e.name === SIMULATOR)!));
  });

  test('passphrase needed for PKCS#12 and encrypted PEM keys only', () => {
    const files: Record<string, string> = {
      enc: '-----BEGIN ENCRYPTED PRIVATE KEY-----',
      plain: '-----BEGIN PRIVATE KEY-----',
    };
    const read = (f: string) => files[f];
    assert.equal(needsPassphrase({ name: 'a', url: 'u', pfx: 'x' }, read), true);
    assert.equal(needsPassphrase({ name: 'a', url: 'u', cert: 'c', key: 'enc' }, read), true);
    assert.equal(needsPassphrase({ name: 'a', url: 'u', cert: 'c', key: 'plain' }, read), false);
    assert.equal(needsPassphrase({ name: 'a', url: 'u' }, read), false);
    assert.notEqual(passphraseKey('A'), passphraseKey('B'));
  });
});

describe('history', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-history-'));
  const file = path.join(dir, 'sub', 'history.json');
  let max = 3;
  const store = new HistoryStore(file, () => max);
  const base = {
    time: '2026-01-01T00:00:00Z',
    environment: 'Prod',
    operation: 'Validate',
    url: 'https://127.0.0.1/validate',
  };

  test('stores requests, responses and errors with secrets redacted (checked on the file text)', () => {
    store.add({
      ...base,
      request: { ValidateRequest: { Version: '3.1', TokenId: 'SYMC1', OTP: '314159' } },
      response: { ValidateResponse: { Status: { ReasonCode: '0000' } } },
      reasonCode: '0000',
    });
    store.add({
      ...base,
      operation: 'SetTemporaryPassword',
      request: '// c\n{"SetTemporaryPasswordRequest": {"TemporaryPassword": "Qw9Er7", "TokenId": "SYMC1"}}',
      error: 'echo {"OTP":"271828"}',
    });
    store.add({
      ...base,
      request: { GenerateTemporaryPasswordRequest: { TokenId: 'SYMC1' } },
      response: { GenerateTemporaryPasswordResponse: { TemporaryPassword: 'Zx5Cv3', Status: { ReasonCode: '0000' } } },
    });
    const text = fs.readFileSync(file, 'utf8');
    for (const secret of ['314159', 'Qw9Er7', '271828', 'Zx5Cv3'])
      assert.ok(!text.includes(secret), `${secret} stored: ${text}`);
    assert.ok(text.includes('SYMC1'));
    assert.ok(text.includes('«redacted»'));
    const list = store.list();
    assert.equal(list.length, 3);
    assert.equal(list[0].operation, 'Validate', 'newest first');
    assert.equal(list[2].reasonCode, '0000');
  });

  test('keeps the last N and clears', () => {
    store.add({ ...base, request: {} });
    assert.equal(store.list().length, 3);
    max = 1;
    store.add({ ...base, request: {} });
    assert.equal(store.list().length, 1);
    store.clear();
    assert.deepEqual(store.list(), []);
    fs.writeFileSync(file, 'not json');
    assert.deepEqual(store.list(), [], 'a damaged file reads as empty');
  });
});

describe('presentation', () => {
  const timings = { firstByte: 100, total: 181.6 };
  test('status lines', () => {
    assert.equal(
      statusLine({
        reasonCode: '0000',
        statusMessage: 'Success',
        reason: getReasonCode('0000'),
        success: true,
        timings,
      }),
      '0000 Success · 182 ms',
    );
    const line = statusLine({
      reasonCode: '4e04',
      statusMessage: 'x',
      reason: getReasonCode('4e04'),
      success: false,
      timings,
    });
    assert.match(line, /^4e04 Unsupported service protocol version — .+\. · 182 ms$/);
    assert.equal(
      statusLine({ reasonCode: 'abcd', statusMessage: 'Odd', reason: undefined, success: false, timings }),
      'abcd Odd · 182 ms',
    );
  });

  test('token-state errors and the GetTokenInformation follow-up', () => {
    for (const c of ['4993', '4994', '4995', '4996']) assert.ok(isTokenStateError(c), c);
    assert.ok(!isTokenStateError('0000') && !isTokenStateError('4e04'));
    const next = tokenInformationRequest({
      DisableTokenRequest: { Version: '3.0', TokenId: 'SYMC10000003', OTP: '1' },
    });
    assert.deepEqual(JSON.parse(next!), { GetTokenInformationRequest: { Version: '3.0', TokenId: 'SYMC10000003' } });
    assert.equal(tokenInformationRequest({ GetServerTimeRequest: { Version: '3.1' } }), undefined);
  });

  test('response file names and explanations', () => {
    assert.equal(responseFileName('/ws/req/deactivate.vip.json', true), 'deactivate.response.vip.json');
    assert.equal(
      responseFileName('/ws/a b.json', false, new Date('2026-11-29T10:21:05Z')),
      'a_b.2026-11-29-10-21-05.response.vip.json',
    );
    assert.match(explainText('4e04'), /^4e04 — Unsupported service protocol version\n\nCause \/ solution: /);
    assert.match(explainText('4994', 'Token locked'), /Token state: LOCKED[\s\S]*The service said: Token locked/);
    assert.match(explainText('9999'), /not in the catalog/);
  });
});
