// `vip-api check` and `vip-api send` on hostile file systems: thousands of files, binary files,
// symlink loops, a folder named x.vip.json, FIFOs and devices, unreadable and 50 MB files. Each
// case runs the real CLI process with a hard time limit: a clear message, the right exit code,
// no hang, no stack trace.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type RunningSimulator } from '../../core/simulator';
import { cliBundle, runCli, type CliRun } from '../security/helpers';

const OK = '{"GetServerTimeRequest": {"Version": "3.1"}}\n';
const BAD = '{"GetServerTimeRequest": {"Version": "9.9"}}\n'; // 4e04: one error
let dir: string;
let sim: RunningSimulator;

const at = (...p: string[]) => path.join(dir, ...p);
const check = (args: string[], timeoutMs = 20_000) => runCli(['check', ...args], { cwd: dir, timeoutMs });
const send = (file: string, timeoutMs = 20_000) =>
  runCli(['send', file, '--url', `${sim.url}/{operation}`], { cwd: dir, timeoutMs });

/** No hang, no crash: the process ended by itself with an exit code and printed no stack trace. */
function clean(r: CliRun, code: number): void {
  assert.equal(r.timedOut, false, `hung (killed after ${Math.round(r.ms)} ms)`);
  assert.equal(r.signal, null);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `stack trace:\n${r.stderr}`);
  assert.equal(r.code, code, `exit ${r.code}\nstdout: ${r.stdout.slice(0, 500)}\nstderr: ${r.stderr.slice(0, 500)}`);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-robust-cli-'));
  fs.chmodSync(dir, 0o755);
  sim = await startSimulator({ host: '127.0.0.1' });
  await cliBundle();
});
after(async () => {
  await sim?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('many files', () => {
  test('3000 request files in nested folders (and 300 other files): all checked, counted, in seconds', async () => {
    const base = at('many');
    for (let d = 0; d < 30; d++) {
      fs.mkdirSync(path.join(base, `d${d}`, 'inner'), { recursive: true });
      for (let i = 0; i < 100; i++)
        fs.writeFileSync(path.join(base, `d${d}`, i % 2 ? 'inner' : '', `r${i}.vip.json`), i % 10 === 0 ? BAD : OK);
      for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(base, `d${d}`, `notes${i}.json`), '{"not": "checked"}');
    }
    const r = await check(['many'], 60_000);
    clean(r, 1);
    assert.match(r.stderr, /^3000 files checked, 300 errors, 300 findings in all\.$/m);
    assert.equal(r.stdout.split('\n').filter((l) => / error 4e04: /.test(l)).length, 300);
    // 3000 small files take about a second; 20 s leaves room for a busy shared machine.
    assert.ok(r.ms < 20_000, `took ${Math.round(r.ms)} ms`);
    const json = await runCli(['check', '--format', 'json', 'many'], { cwd: dir, timeoutMs: 60_000 });
    clean(json, 1);
    const out = JSON.parse(json.stdout) as { files: unknown[]; errorCount: number };
    assert.equal(out.files.length, 3000);
    assert.equal(out.errorCount, 300);
  });
});

describe('binary and huge files', () => {
  const binaries = () => {
    fs.writeFileSync(at('nul.vip.json'), Buffer.from([0, 0, 0x7b, 0, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0]));
    fs.writeFileSync(
      at('random.vip.json'),
      Buffer.concat([randomBytes(32 * 1024), Buffer.alloc(1), randomBytes(32 * 1024)]),
    );
    fs.writeFileSync(at('utf16.vip.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(OK, 'utf16le')]));
    fs.writeFileSync(at('latin1.vip.json'), Buffer.from([0x7b, 0xe9, 0xff, 0x7d])); // invalid UTF-8, no NUL
    return ['nul.vip.json', 'random.vip.json', 'utf16.vip.json'];
  };

  test('binary content (NUL bytes, invalid UTF-8, random bytes): check reports syntax errors, exit 1', async () => {
    for (const f of [...binaries(), 'latin1.vip.json']) {
      const r = await check([f]);
      clean(r, 1);
      assert.match(r.stdout, new RegExp(`^${f.replace('.', '\\.')}:\\d+:\\d+: error`, 'm'));
      assert.match(r.stderr, /1 file checked, [1-9]\d* errors?/);
    }
    const s = await send('latin1.vip.json');
    clean(s, 1);
    assert.match(s.stderr, /vip-api send: .*(not a VIP request|syntax error)/);
    assert.equal(s.stdout, '');
  });

  test('regression: send on a binary or UTF-16 file says it is not UTF-8 text, with no control characters in the message', async () => {
    for (const f of binaries()) {
      const s = await send(f);
      clean(s, 1);
      assert.match(s.stderr, /is not UTF-8 text: it contains NUL bytes/);
      assert.doesNotMatch(s.stderr, /[\u0000-\u0008\u000e-\u001f]/);
    }
  });

  test("a 50 MB request file: check reports it quickly; send gets the simulator's 4e00 (body too large), exit 2", async () => {
    const big = at('big.vip.json');
    fs.writeFileSync(
      big,
      `{"GetServerTimeRequest": {"Version": "3.1", "RequestId": "${'x'.repeat(50 * 1024 * 1024)}"}}`,
    );
    const r = await check(['big.vip.json'], 60_000);
    clean(r, 0);
    assert.match(r.stdout, /larger than .* characters: only its syntax was checked/);
    assert.ok(r.ms < 20_000, `took ${Math.round(r.ms)} ms`);
    const s = await send('big.vip.json', 60_000);
    clean(s, 2);
    assert.equal(JSON.parse(s.stdout).GetServerTimeResponse.Status.ReasonCode, '4e00');
    assert.match(s.stderr, /^4e00 /m);
    fs.rmSync(big);
  });

  // 50 MB of noise takes ~5 s of CPU: 4 MB in CI, 50 MB with VIP_ROBUSTNESS_FULL=1.
  const noiseMb = process.env.VIP_ROBUSTNESS_FULL ? 50 : 4;
  test(`${noiseMb} MB of random bytes: check ends with syntax errors, no hang`, async () => {
    fs.writeFileSync(at('noise.vip.json'), randomBytes(noiseMb * 1024 * 1024));
    const r = await check(['noise.vip.json'], 60_000);
    clean(r, 1);
    assert.match(r.stdout, /^noise\.vip\.json:1:\d+: error/m);
    assert.ok(r.ms < 30_000, `took ${Math.round(r.ms)} ms`);
    fs.rmSync(at('noise.vip.json'));
  });
});

describe('links, folders and special files', () => {
  test('symlink loops: a folder walk ends and counts each real file once; a looping file name is an error', async () => {
    fs.mkdirSync(at('loops', 'sub'), { recursive: true });
    fs.writeFileSync(at('loops', 'a.vip.json'), OK);
    fs.writeFileSync(at('loops', 'sub', 'b.vip.json'), BAD);
    fs.symlinkSync('..', at('loops', 'sub', 'up'));
    fs.symlinkSync('.', at('loops', 'self'));
    fs.symlinkSync('self.vip.json', at('loops', 'self.vip.json'));
    fs.symlinkSync('pong.vip.json', at('loops', 'ping.vip.json'));
    fs.symlinkSync('ping.vip.json', at('loops', 'pong.vip.json'));
    const r = await check(['loops']);
    clean(r, 1);
    assert.match(r.stderr, /^2 files checked, 1 error/m);
    for (const f of ['self.vip.json', 'ping.vip.json']) {
      const one = await check([path.join('loops', f)]);
      clean(one, 1);
      assert.match(one.stderr, /cannot read \(ELOOP\)/);
      const s = await send(path.join('loops', f));
      clean(s, 1);
      assert.match(s.stderr, /vip-api send: cannot read .*ELOOP/);
    }
  });

  test('a folder named x.vip.json: searched as a folder by check, refused by send', async () => {
    fs.mkdirSync(at('x.vip.json'));
    fs.writeFileSync(at('x.vip.json', 'inside.vip.json'), BAD);
    const r = await check(['x.vip.json']);
    clean(r, 1);
    assert.match(r.stdout, /inside\.vip\.json:1:\d+: error 4e04/);
    const s = await send('x.vip.json');
    clean(s, 1);
    assert.match(s.stderr, /vip-api send: cannot read x\.vip\.json \((EISDIR|a folder)/);
  });

  test('regression: a FIFO or device named on the command line does not hang check', async () => {
    execFileSync('mkfifo', [at('pipe.vip.json')]);
    for (const target of [at('pipe.vip.json'), '/dev/zero']) {
      const r = await check([target], 10_000);
      clean(r, 1);
      assert.match(r.stderr, /not a regular file/);
    }
  });

  test('regression: a FIFO or device named on the command line does not hang send', async () => {
    if (!fs.existsSync(at('pipe.vip.json'))) execFileSync('mkfifo', [at('pipe.vip.json')]);
    for (const target of [at('pipe.vip.json'), '/dev/zero']) {
      const s = await send(target, 10_000);
      clean(s, 1);
      assert.match(s.stderr, /vip-api send: .*is not a regular file/);
    }
  });

  test('regression: send --config naming a FIFO or a device does not hang', async () => {
    if (!fs.existsSync(at('pipe.vip.json'))) execFileSync('mkfifo', [at('pipe.vip.json')]);
    fs.writeFileSync(at('ok.vip.json'), OK);
    for (const config of [at('pipe.vip.json'), '/dev/null']) {
      const s = await runCli(['send', 'ok.vip.json', '--env', 'x', '--config', config], {
        cwd: dir,
        timeoutMs: 10_000,
      });
      clean(s, 1);
      assert.match(s.stderr, /the config file .* is not a regular file/);
    }
  });

  test('a FIFO inside a folder is no request file: skipped by check, no hang', async () => {
    fs.mkdirSync(at('withfifo'));
    execFileSync('mkfifo', [at('withfifo', 'p.vip.json')]);
    fs.writeFileSync(at('withfifo', 'ok.vip.json'), OK);
    const r = await check(['withfifo'], 10_000);
    clean(r, 0);
    assert.match(r.stderr, /^1 file checked, 0 errors/m);
  });

  test('an unreadable file: EACCES, exit 1', async (t) => {
    const file = at('locked.vip.json');
    fs.writeFileSync(file, OK);
    fs.chmodSync(file, 0o000);
    // Root reads any file whatever its mode: run the CLI as nobody (65534) instead.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      try {
        execFileSync(process.execPath, ['-e', '0'], { uid: 65534, gid: 65534 });
      } catch (e) {
        t.skip(
          `running as root and cannot start a process as nobody (${(e as Error).message}): permission bits cannot be tested`,
        );
        return;
      }
    }
    const ids = asRoot ? { uid: 65534 } : {};
    const r = await runCli(['check', file], { cwd: dir, ...ids });
    clean(r, 1);
    assert.match(r.stderr, /locked\.vip\.json: cannot read \(EACCES\)/);
    const s = await runCli(['send', file, '--url', `${sim.url}/{operation}`], { cwd: dir, ...ids });
    clean(s, 1);
    assert.match(s.stderr, /vip-api send: cannot read .*locked\.vip\.json \(EACCES\)/);
  });

  test('a missing file and a dangling link: clear messages, exit 1', async () => {
    fs.symlinkSync('nowhere.vip.json', at('dangling.vip.json'));
    for (const f of ['missing.vip.json', 'dangling.vip.json']) {
      const r = await check([f]);
      clean(r, 1);
      assert.match(r.stderr, /no such file or folder/);
      const s = await send(f);
      clean(s, 1);
      assert.match(s.stderr, /cannot read .*ENOENT/);
    }
  });
});
