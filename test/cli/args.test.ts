// One way to parse arguments for every vip-api command (node:util parseArgs): `-h`/`--help` prints
// the command's help in one format; a usage error prints the problem, then that help. Run from
// the sources, as `npm run start`-style development does.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CHECK_HELP } from '../../cli/check';
import { EXPLAIN_HELP } from '../../cli/explain';
import { SEND_HELP } from '../../cli/send';
import { runSimulator, SIMULATOR_HELP } from '../../cli/simulator';
import { SOAP_HELP } from '../../cli/soap';
import { TEST_HELP } from '../../cli/test';

const ROOT = path.resolve(__dirname, '..', '..');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'cli', 'main.ts'), ...args],
      { cwd: ROOT },
      (e, stdout, stderr) => {
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** Each command, its help block, and its documented exit code for usage errors (send: 1). */
const COMMANDS: { args: string[]; help: string; usageExit: number }[] = [
  { args: ['check'], help: CHECK_HELP, usageExit: 2 },
  { args: ['explain'], help: EXPLAIN_HELP, usageExit: 2 },
  { args: ['send'], help: SEND_HELP, usageExit: 1 },
  { args: ['soap'], help: SOAP_HELP, usageExit: 2 },
  { args: ['simulator'], help: SIMULATOR_HELP, usageExit: 2 },
  { args: ['simulator', 'otp'], help: SIMULATOR_HELP, usageExit: 2 },
  { args: ['test'], help: TEST_HELP, usageExit: 2 },
];

describe('vip-api: one argument parser, one help format', () => {
  test('`<command> --help` and `-h` print "Usage:" and the command\'s help on stdout, exit 0', async () => {
    const runs = COMMANDS.flatMap((c) =>
      ['--help', '-h'].map(async (flag) => ({ c, flag, r: await cli([...c.args, flag]) })),
    );
    for (const { c, flag, r } of await Promise.all(runs)) {
      const what = `${c.args.join(' ')} ${flag}`;
      assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      assert.equal(r.stdout, `Usage:\n${c.help}`, what);
      assert.equal(r.stderr, '', what);
    }
  });

  test("an unknown option: the command, parseArgs' sentence, then the usage, on stderr; the documented exit code", async () => {
    const runs = COMMANDS.map(async (c) => ({ c, r: await cli([...c.args, 'x.vip.json', '--bogus']) }));
    for (const { c, r } of await Promise.all(runs)) {
      const what = c.args.join(' ');
      assert.equal(r.code, c.usageExit, `${what}: ${r.stderr}`);
      assert.equal(r.stdout, '', what);
      assert.match(r.stderr, new RegExp(`^vip-api ${c.args[0]}: Unknown option '--bogus'`), what);
      assert.ok(r.stderr.endsWith(`\nUsage:\n${c.help}`), `${what}: ${r.stderr}`);
    }
  });

  test("the top-level help lists every command's help block", async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    for (const c of COMMANDS) assert.ok(r.stdout.includes(c.help), c.args.join(' '));
  });

  test('a negative number is an option value, not an option: simulator otp --offset -1', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    // At T=89 s the TOTP step is 2; one step back is step 1, RFC 6238's 287082 at T=59 s.
    assert.equal(
      await runSimulator(['otp', 'SYMC10000001', '--now', '1970-01-01T00:01:29Z', '--offset', '-1'], io),
      0,
      out.join(''),
    );
    assert.equal(out.pop(), '287082\n');
  });

  test('an empty value for a simulator option is refused as a missing one', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => void err.push(t) };
    assert.equal(await runSimulator(['--state', ''], io), 2);
    assert.match(err.join(''), /^vip-api simulator: --state needs a value\nUsage:\n/);
  });
});
