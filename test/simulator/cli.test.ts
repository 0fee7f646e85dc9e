// `vip-api simulator` as a user runs it: first line, one log line per request, clean stop on signals.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { runSimulator, simulatorOptions } from '../../cli/simulator';
import { codeFor, demoState } from '../../core/simulator';
import { code, usageError, vip } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const NOW = '2026-06-01T12:00:00Z';

/** Every CLI started; a failed test leaves none running behind it. */
const started = new Set<ChildProcessWithoutNullStreams>();
after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the CLI from source and resolves with the child and an iterator over its stdout lines. */
async function startCli(
  ...args: string[]
): Promise<{ child: ChildProcessWithoutNullStreams; lines: AsyncIterableIterator<string>; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cli', 'main.ts'), 'simulator', ...args], {
    cwd: ROOT,
  });
  started.add(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  assert.ok(!first.done, 'the CLI printed a first line');
  const match = /^VIP simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first.value);
  assert.ok(match, `first line: ${first.value}`);
  return { child, lines, url: match[1] };
}

async function nextLogLine(lines: AsyncIterableIterator<string>): Promise<string> {
  for (;;) {
    const { value, done } = await lines.next();
    assert.ok(!done, 'the CLI kept running');
    if (/^\d{4}-\d\d-\d\dT/.test(value)) return value;
  }
}

test('starts on the demo state, logs each request without secrets, stops on SIGTERM with exit 0', async () => {
  const { child, lines, url } = await startCli('--now', NOW);
  // The code the demo credential shows at the CLI's fixed clock: accepted, and never logged.
  const otp = codeFor(demoState(), 'SYMC10000001', new Date(NOW), 0)!;
  const body = await vip(url, 'Validate', { TokenId: 'SYMC10000001', OTP: otp });
  assert.equal(code(body), '0000', JSON.stringify(body.Status));
  const line = await nextLogLine(lines);
  assert.match(line, /POST \/validate Validate token=SYMC10000001 0000 \d+\.\dms$/);
  assert.ok(!line.includes(otp));
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [exitCode] = await exited;
  assert.equal(exitCode, 0);
});

test('stops on SIGINT with exit 0', async () => {
  const { child } = await startCli('--port', '0');
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  assert.equal((await exited)[0], 0);
});

test('options: usage errors are clear; flags map to simulator options', () => {
  assert.match(usageError(simulatorOptions(['--port', 'http'])), /--port takes/);
  assert.match(usageError(simulatorOptions(['--persist'])), /--persist needs --state/);
  assert.match(usageError(simulatorOptions(['--tls'])), /--cert FILE and --key FILE/);
  assert.match(usageError(simulatorOptions(['--fault', '5000'])), /4879 or 4e01/);
  assert.match(usageError(simulatorOptions(['--revoked-serials', '1'])), /needs --tls/);
  assert.match(usageError(simulatorOptions(['--wat'])), /Unknown option '--wat'/);
  assert.throws(() => simulatorOptions(['--now', 'soon']), /ISO date-time/);
  assert.throws(
    () => simulatorOptions(['--tls', '--cert', '/nonexistent.pem', '--key', 'k']),
    /cannot read --cert \/nonexistent\.pem: ENOENT/,
  );
  assert.deepEqual(
    simulatorOptions(['--host=127.0.0.2', '--port', '8443', '--fault', '4E01', '--latency', '50', '--now', NOW]),
    {
      host: '127.0.0.2',
      port: 8443,
      state: undefined,
      persist: false,
      now: NOW,
      fault: '4e01',
      latencyMs: 50,
    },
  );
});

test('`simulator otp` prints the code the demo credential shows (RFC 6238: 287082 at T=59 s)', async () => {
  const out: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
  assert.equal(await runSimulator(['otp', 'SYMC10000001', '--now', '1970-01-01T00:00:59Z'], io), 0);
  assert.equal(out.pop(), '287082\n');
  assert.equal(await runSimulator(['otp', 'VSMT10000002', '--offset', '1'], io), 0);
  assert.equal(out.pop(), '287082\n', 'HOTP counter 1');
  assert.equal(await runSimulator(['otp', '15555550100'], io), 1, 'a phone credential has no OATH code');
});
