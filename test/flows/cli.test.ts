// `vip-api test` as a user runs it, from the sources and from the bundled dist/cli.js: exit codes,
// step lines, JUnit read back by an independent parser (fast-xml-parser), and secrets absent from
// every reporter.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { assertBuilt } from '../helpers/dist';
import { CLOCK, ROOT, cli, flow, send, tempDir, writeFlow } from './helpers';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const info = (token: string) => send('GetTokenInformation', { TokenId: token });

const passing = writeFlow(
  dir,
  'ok/pass.vipflow.json',
  flow(
    [
      { name: 'the code', simulator: { otp: 'SYMC10000001' }, capture: { code: 'OTP' } },
      {
        name: 'validate',
        send: send('Validate', { TokenId: 'SYMC10000001', OTP: '${code}' }),
        expect: { reasonCode: '0000' },
      },
    ],
    { name: 'passes' },
  ),
);
const failing = writeFlow(
  dir,
  'bad/fail.vipflow.json',
  flow(
    [
      { name: 'info', send: info('SYMC10000004'), expect: { reasonCode: '0000' } },
      { name: 'wrong', send: info('SYMC17777777'), expect: { reasonCode: '0000' } },
      { name: 'after', send: info('SYMC10000001') },
    ],
    { name: 'fails' },
  ),
);
const invalid = writeFlow(
  dir,
  'invalid/broken.vipflow.json',
  '{\n  "name": "broken",\n  "steps": [\n    { "name": "x", "sendd": {} }\n  ]\n}\n',
);
const envOnly = writeFlow(
  dir,
  'env/env.vipflow.json',
  flow(
    [{ name: 'info', send: info('SYMC10000004'), expect: { fields: { 'TokenInformation.TokenStatus': 'LOCKED' } } }],
    { name: 'env' },
  ),
);

for (const dist of [false, true]) {
  describe(`exit codes (${dist ? 'dist/cli.js' : 'sources'})`, () => {
    before(() => {
      if (dist) assertBuilt(path.join(ROOT, 'dist', 'cli.js'));
    });

    test('0 when every flow passed, with one line per step', async () => {
      const r = await cli(['test', passing], { dist });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^✔ passes \(/m);
      assert.match(r.stdout, /^ {2}✔ the code · \d+ ms$/m);
      assert.match(r.stdout, /^ {2}✔ validate · 0000 · \d+ ms$/m);
    });

    test('1 when an expectation failed, shown at file:line:col of the expect with both codes explained', async () => {
      const r = await cli(['test', failing], { dist });
      assert.equal(r.status, 1, r.stderr);
      const line =
        fs
          .readFileSync(failing, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('"wrong"')) + 1;
      const expectLine =
        fs
          .readFileSync(failing, 'utf8')
          .split('\n')
          .findIndex((l, i) => i >= line && l.includes('"expect"')) + 1;
      assert.match(r.stdout, /^ {2}✖ wrong · 49f2 · \d+ ms$/m);
      assert.ok(
        r.stdout.includes(`${failing}:${expectLine}:7: expected 0000 (Success), got 49f2 (Token ID not found)`),
        r.stdout,
      );
      assert.match(r.stdout, /expected: 0000 \(Success\)\n\s+actual: {3}49f2 \(Token ID not found\)/);
      assert.match(r.stdout, /^ {2}- after \(skipped: step "wrong" did not pass\)$/m);
    });

    test('2 for an invalid flow file (diagnostics like check), and nothing runs', async () => {
      const r = await cli(['test', passing, invalid], { dist });
      assert.equal(r.status, 2);
      assert.ok(
        r.stderr.includes(`${invalid}:4:20: error schema.additionalProperties: "sendd" is not allowed in steps.0.`),
        r.stderr,
      );
      assert.doesNotMatch(r.stdout, /✔/);
    });

    test('2 for usage errors', async () => {
      for (const args of [
        ['--jobs', '0', passing],
        ['--reporter', 'xml=x', passing],
        ['--var', 'no-equals', passing],
        ['--wat'],
        [path.join(dir, 'nothing-here')],
      ]) {
        const r = await cli(['test', ...args], { dist });
        assert.equal(r.status, 2, args.join(' '));
        assert.match(r.stderr, /^vip-api test: /, args.join(' '));
      }
    });

    test('3 when a transport error stopped a flow', async () => {
      const closed = await startSimulator({ host: '127.0.0.1' });
      const url = `${closed.url}/{operation}`;
      await closed.close();
      const config = writeFlow(dir, `config-${dist}.json`, { 'vipApi.environments': [{ name: 'gone', url }] });
      const r = await cli(['test', envOnly, '--env', 'gone', '--config', config], { dist });
      assert.equal(r.status, 3, r.stdout + r.stderr);
      assert.match(r.stdout, /transport error: Connection refused/);
    });
  });
}

describe('options', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ host: '127.0.0.1', now: CLOCK });
  });
  after(() => sim.close());

  test('--env runs flows against an environment of --config; flows with simulator steps are skipped with the reason (exit 0)', async () => {
    const config = writeFlow(dir, 'settings.json', {
      'vipApi.environments': [{ name: 'local', url: sim.url, transport: 'soap' }],
    });
    const r = await cli(['test', envOnly, passing, '--env', 'local', '--config', config]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^✔ env \(/m);
    assert.match(
      r.stdout,
      /^- passes \(.*\)\n {4}skipped: step "the code" is a simulator step: this flow runs only on the simulator, not on environment "local"$/m,
    );
  });

  test('--var overrides a flow variable', async () => {
    const f = writeFlow(
      dir,
      'var/v.vipflow.json',
      flow([{ name: 'i', send: info('${token}'), expect: { fields: { 'TokenInformation.TokenStatus': 'LOCKED' } } }], {
        vars: { token: 'SYMC10000001' },
      }),
    );
    assert.equal((await cli(['test', f])).status, 1);
    assert.equal((await cli(['test', f, '--var', 'token=SYMC10000004'])).status, 0);
  });

  test('--bail skips the flows after the first that did not pass; --jobs 2 runs them all', async () => {
    const bail = await cli(['test', path.join(dir, 'bad'), path.join(dir, 'ok'), '--bail']);
    assert.equal(bail.status, 1);
    assert.match(bail.stdout, /^- passes \(.*\)\n {4}skipped: --bail: an earlier flow did not pass$/m);
    const jobs = await cli(['test', path.join(dir, 'bad'), path.join(dir, 'ok'), '--jobs', '2']);
    assert.equal(jobs.status, 1);
    assert.match(jobs.stdout, /^✔ passes/m);
    assert.match(jobs.stdout, /^✖ fails/m);
  });
});

describe('reports', () => {
  test('JUnit: one testsuite per flow and case, one testcase per step with file and line; a failure has message and expected/actual', async () => {
    const cases = writeFlow(
      dir,
      'cases/c.vipflow.json',
      flow([{ name: 'i', send: info('${t}'), expect: { reasonCode: '0000' } }], {
        name: 'cases',
        cases: [{ t: 'SYMC10000001' }, { t: 'SYMC17777777' }],
      }),
    );
    const out = path.join(dir, 'reports', 'junit.xml');
    const r = await cli(['test', failing, cases, '--reporter', `junit=${out}`]);
    assert.equal(r.status, 1);
    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(fs.readFileSync(out, 'utf8'));
    const suites = xml.testsuites.testsuite as Record<string, unknown>[];
    assert.deepEqual(
      suites.map((s) => s.name),
      ['fails', 'cases › case 1 (t=SYMC10000001)', 'cases › case 2 (t=SYMC17777777)'],
    );
    const failSuite = suites[0] as { file: string; testcase: Record<string, unknown>[] };
    assert.equal(failSuite.file, failing);
    assert.deepEqual(
      failSuite.testcase.map((c) => c.name),
      ['info', 'wrong', 'after'],
    );
    const text = fs.readFileSync(failing, 'utf8').split('\n');
    assert.equal(Number(failSuite.testcase[1].line), text.findIndex((l) => l.includes('"wrong"')) + 0);
    const failure = failSuite.testcase[1].failure as Record<string, string>;
    assert.equal(failure.message, 'expected 0000 (Success), got 49f2 (Token ID not found)');
    assert.match(failure['#text'], /expected: 0000 \(Success\)\nactual: 49f2 \(Token ID not found\)/);
    assert.ok('skipped' in failSuite.testcase[2]);
    assert.equal(xml.testsuites.failures, '2');
  });

  test('TAP 14 on stdout (step lines then on stderr) and the JSON report: steps, problems with positions, summary', async () => {
    const out = path.join(dir, 'reports', 'r.json');
    const r = await cli(['test', failing, '--reporter', 'tap', '--reporter', `json=${out}`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ {2}✖ wrong · 49f2/m);
    const tap = r.stdout.split('\n');
    assert.deepEqual(tap.slice(0, 4), ['TAP version 14', '1..1', '# Subtest: fails', '    1..3']);
    assert.ok(tap.includes('    ok 1 - info'));
    assert.ok(tap.includes('    not ok 2 - wrong'));
    assert.ok(tap.includes('      message: "expected 0000 (Success), got 49f2 (Token ID not found)"'));
    assert.ok(tap.includes('    ok 3 - after # SKIP step "wrong" did not pass'));
    assert.ok(tap.includes('not ok 1 - fails'));
    const json = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      summary: { steps: Record<string, number> };
      flows: { status: string; steps: { status: string; problem?: { at: { line: number } } }[] }[];
    };
    assert.deepEqual(json.summary.steps, { passed: 1, failed: 1, error: 0, skipped: 1 });
    assert.equal(json.flows[0].status, 'failed');
    assert.equal(typeof json.flows[0].steps[1].problem?.at.line, 'number');
  });

  test("--help prints the command's help", async () => {
    const r = await cli(['test', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage:\n {2}vip-api test \[files or folders…\]/);
  });
});
