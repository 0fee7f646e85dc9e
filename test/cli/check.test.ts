// The bundled CLI (dist/cli.js) run as a user runs it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'predicted');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The reason-code catalog, read from the file itself (not through the code under test). */
const CATALOG = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'reason-codes.json'), 'utf8')) as {
    codes: { code: string; message: string; solution: string; family: string }[];
  }
).codes;
const CATALOG_CODES = CATALOG.map((c) => c.code);

/**
 * Codes `check` cannot predict from a request file alone, and why. `check` sees one file: no
 * account, no stored credential, no clock of the service, no connection.
 */
const CANNOT_COME_FROM_CHECK: Record<string, string[]> = {
  'success: check reports problems, and a request without one has no finding': ['0000'],
  'the state of the stored credential or phone (existence, status, registration) is known only to the service': [
    '4990',
    '4993',
    '4994',
    '4995',
    '4996',
    '49f2',
    '4e11',
    '4e16',
    '4e1b',
    '4e1d',
  ],
  "whether a security code (OTP) is right, in the sync window or expired depends on the credential's secret and the service's clock":
    ['4923', '4997', '49b5', '4e3f'],
  'the connection, the certificate or the URL, not the request body: decided by the service and the transport': [
    '4e02',
    '4e03',
    '4e0b',
    '4e10',
  ],
  "the service's own condition (unavailable, internal error)": ['4879', '4e01'],
  "the account's configuration (credential types it supports)": ['4f05'],
  'documented without the fields that cause them; check reports malformed requests as 4e00, the code the troubleshooting page gives':
    ['4845', '4e3a'],
  // User Services statuses (family user-services): schemas/operations.json has no User Services operation to check.
  'a VIP User Services status; check reads Credential Management requests only': CATALOG.filter(
    (c) => c.family === 'user-services',
  ).map((c) => c.code),
};

/** Every x-vip-reasonCode in schemas/ (the codes the schemas say a field's problem gets). */
function schemaReasonCodes(): Set<string> {
  const codes = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'x-vip-reasonCode' && typeof x === 'string') codes.add(x.toLowerCase());
        else walk(x);
      }
    }
  };
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : [],
      );
  for (const file of files(path.join(ROOT, 'schemas'))) walk(JSON.parse(fs.readFileSync(file, 'utf8')));
  return codes;
}

const GOOD = '{"EnableTokenRequest": {"Version": "3.1", "TokenId": "VSST12345678"}}';

describe('vip-api check', () => {
  test('flags 4e04 with path:line:col: severity code: message and exits 1', () => {
    const file = path.join(FIXTURES, '4e04.vip.json');
    const r = run('check', file);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.match(
      r.stdout,
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:16: error 4e04: Version "5.0" is not supported`),
    );
    assert.match(r.stderr, /1 file checked, 1 error/);
  });
  test('a clean file exits 0 with no output on stdout', () => {
    const dir = tempDir({ 'ok.vip.json': GOOD });
    const r = run('check', path.join(dir, 'ok.vip.json'));
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
  });
  test('warnings alone exit 0; the code is omitted when none applies', () => {
    const dir = tempDir({ 'w.vip.json': '{"ValidateRequest": {"Version": "3.1", "TokenId": "V", "OTP": "abcdef"}}' });
    const r = run('check', dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /:1:\d+: warning: OTP "abcdef"/);
  });
  test('flow files (*.vipflow.json, found in folders too) get the checks vip-api test makes before a run', () => {
    const flow = (steps: unknown[]) => JSON.stringify({ name: 'f', steps }, null, 2);
    const validate = {
      name: 'v',
      send: { ValidateRequest: { Version: '3.1', TokenId: 'SYMC10000001', OTP: '123456' } },
    };
    const dir = tempDir({
      'flows/good.vipflow.json': flow([{ ...validate, expect: { reasonCode: '49b5' } }]),
      'flows/bad.vipflow.json': flow([{ ...validate, retry: { until: { reasonCode: '0000' }, attempts: 3 } }]),
    });
    const r = run('check', dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /2 files checked, 1 error/);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0], /bad\.vipflow\.json:\d+:\d+: error retry\.refused: "retry" is refused on Validate/);
    const good = run('check', path.join(dir, 'flows', 'good.vipflow.json'));
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.equal(good.stdout, '');
  });
  test("a flow's inline requests and its `with` over a request file are checked like *.vip.json files, placeholders skipped", () => {
    const flowText = [
      '{ "name": "f", "vars": { "token": "SYMC10000001" }, "steps": [',
      '  { "name": "file", "request": "../requests/v.vip.json", "with": { "TokenId": "${token}", "OTP": 12 } },',
      '  { "name": "inline", "send": { "ValidateRequest": { "Version": "5.0", "TokenId": "${token}", "OTP": "${token}x" } } },',
      '  { "name": "expected", "send": { "ValidateRequest": { "Version": "5.0", "TokenId": "T", "OTP": "123456" } }, "expect": { "reasonCode": "4e04" } },',
      '  { "name": "clean", "send": { "ValidateRequest": { "Version": "3.1", "TokenId": "${token}", "OTP": "${token}" } } }',
      '] }',
    ].join('\n');
    const dir = tempDir({
      'requests/v.vip.json': '{"ValidateRequest": {"Version": "3.1", "TokenId": "T", "OTP": "123456"}}',
      'flows/f.vipflow.json': flowText,
    });
    const file = path.join(dir, 'flows', 'f.vipflow.json');
    const r = run('check', file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = flowText.split('\n');
    const at = (line: number, text: string) => `${file}:${line + 1}:${lines[line].indexOf(text) + 1}`;
    assert.deepEqual(r.stdout.trim().split('\n'), [
      // `with` merged into the file's body: at the `with` value, with the predicted code.
      `${at(1, '12')}: error 4e00: \`OTP\` must be a string, not the number "12".`,
      `${at(2, '"5.0"')}: error 4e04: Version "5.0" is not supported: the service would answer 4e04 (Unsupported service protocol version). Supported: 2.0, 3.0, 3.1.`,
      // The step that expects the predicted code: information, not an error.
      `${at(3, '"5.0"')}: information 4e04: Version "5.0" is not supported: the service would answer 4e04 (Unsupported service protocol version). Supported: 2.0, 3.0, 3.1. The step expects 4e04.`,
    ]);
    assert.match(r.stderr, /1 file checked, 2 errors, 3 findings/);
  });
  test('folders are searched for *.vip.json and *.vipflow.json only, recursively', () => {
    const dir = tempDir({
      'a/one.vip.json': GOOD,
      'a/b/two.vip.json': GOOD.replace('3.1', '5.0'),
      'notes.json': '{',
      'x.txt': 'x',
    });
    const r = run('check', dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /2 files checked, 1 error/);
    assert.match(r.stdout, /two\.vip\.json:1:\d+: error 4e04/);
  });
  test('each code in schemas/reason-codes.json is flagged by check on test/fixtures/predicted/<code>.vip.json, or listed in CANNOT_COME_FROM_CHECK with the reason', () => {
    const fixtures = fs
      .readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.vip.json'))
      .map((f) => f.slice(0, 4))
      .sort();
    const excused = Object.values(CANNOT_COME_FROM_CHECK).flat();
    const accounted = [...fixtures, ...excused].sort();
    // Exactly once each: a code added to the catalog needs a fixture or a reason here.
    assert.deepEqual(
      accounted,
      [...new Set(accounted)].sort(),
      'a code has both a fixture and a reason, or two reasons',
    );
    assert.deepEqual(accounted, [...CATALOG_CODES].sort());
    // Every code a schema says the service answers (x-vip-reasonCode) is one check predicts.
    for (const code of schemaReasonCodes())
      assert.ok(fixtures.includes(code), `${code} is in a schema but has no fixture`);
    const r = run('check', '--format', 'json', FIXTURES);
    const out = JSON.parse(r.stdout) as { files: { file: string; diagnostics: { code: string | null }[] }[] };
    assert.deepEqual(out.files.map((f) => path.basename(f.file).slice(0, 4)).sort(), fixtures);
    for (const f of out.files) {
      const code = path.basename(f.file).slice(0, 4);
      assert.ok(
        f.diagnostics.some((d) => d.code === code),
        `${f.file}: ${JSON.stringify(f.diagnostics)}`,
      );
    }
  });
  test('--format json reports positions, severity, code and rule', () => {
    const r = run('check', '--format=json', path.join(FIXTURES, '4e04.vip.json'));
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      { ...out.files[0].diagnostics[0], message: undefined },
      { line: 4, column: 16, severity: 'error', code: '4e04', rule: 'version.unsupported', message: undefined },
    );
    assert.equal(out.errorCount, 1);
  });
  test('--supported-versions overrides the default list', () => {
    assert.equal(run('check', '--supported-versions', '5.0', path.join(FIXTURES, '4e04.vip.json')).code, 0);
  });
  test('a missing file is a clear error and exit 1', () => {
    const r = run('check', '/nonexistent/x.vip.json');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\/nonexistent\/x\.vip\.json: no such file or folder/);
  });
  test('a binary file gets syntax errors, not a crash', () => {
    const dir = tempDir({});
    fs.writeFileSync(path.join(dir, 'bin.vip.json'), Buffer.from(Array.from({ length: 2000 }, (_, i) => i % 256)));
    const r = run('check', dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Syntax error/);
  });
  test('a symlink loop does not hang', () => {
    const dir = tempDir({ 'a/ok.vip.json': GOOD });
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'a', 'loop'));
    const r = run('check', dir);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /1 file checked/);
  });
  test('usage errors exit 2', () => {
    assert.equal(run('check').code, 2);
    assert.equal(run('check', '--format', 'xml', 'x').code, 2);
    assert.equal(run('frobnicate').code, 2);
  });
});

describe('vip-api explain and help', () => {
  test('explain prints the message and the solution of each of the codes in schemas/reason-codes.json, given in upper case', () => {
    assert.ok(CATALOG.length > 50, `only ${CATALOG.length} codes read`);
    for (const rc of CATALOG) {
      const r = run('explain', rc.code.toUpperCase());
      assert.equal(r.code, 0, rc.code);
      assert.ok(r.stdout.includes(rc.message) && r.stdout.includes(rc.solution.split('\n')[0]), rc.code);
    }
  });
  test('an unknown code exits 1 with a clear message', () => {
    const r = run('explain', '4abc');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /"4abc" is not a known VIP reason code/);
  });
  test('--help lists the commands', () => {
    const r = run('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /vip-api check/);
    assert.match(r.stdout, /vip-api explain/);
  });
});
