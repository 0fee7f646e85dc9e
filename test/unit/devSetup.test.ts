// The contributor setup in .vscode/ (F5): desktop VS Code cannot run here, so this checks what it
// would read. launch.json and tasks.json parse as JSONC, every preLaunchTask names a task, the
// paths exist, the attach port is the one the client starts the server with, and the watch task
// prints the lines its problem matcher waits for and rebuilds on a change.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ROOT } from '../helpers/lspClient';

interface LaunchConfiguration {
  name: string;
  type: string;
  request: string;
  preLaunchTask?: string;
  program?: string;
  cwd?: string;
  port?: number;
  args?: string[];
  outFiles?: string[];
}
interface Task {
  label: string;
  command?: string;
  args?: string[];
  isBackground?: boolean;
  problemMatcher?: { pattern: { regexp: string }; background?: { beginsPattern: string; endsPattern: string } };
}

function readJsonc<T>(file: string): T {
  const errors: ParseError[] = [];
  const value = parse(fs.readFileSync(path.join(ROOT, file), 'utf8'), errors, { allowTrailingComma: false }) as T;
  assert.deepEqual(
    errors.map((e) => `${printParseErrorCode(e.error)} at offset ${e.offset}`),
    [],
    `${file} is not valid JSONC`,
  );
  return value;
}

const launch = readJsonc<{
  configurations: LaunchConfiguration[];
  compounds?: { name: string; configurations: string[] }[];
}>('.vscode/launch.json');
const tasks = readJsonc<{ tasks: Task[] }>('.vscode/tasks.json').tasks;
const watchTask = tasks.find((t) => t.label === 'watch');

/** `${workspaceFolder}` resolved; undefined for paths that name another variable (`${file}`: the open editor). */
function resolved(p: string): string | undefined {
  const text = p.replaceAll('${workspaceFolder}', ROOT);
  return text.includes('${') ? undefined : text;
}

/** The part of a glob before its first wildcard. */
const globBase = (glob: string): string => glob.slice(0, glob.search(/[*?[{]|$/)).replace(/\/[^/]*$/, '') || '/';

test('launch.json: the three kinds of configuration, each preLaunchTask a task in tasks.json, their paths exist', () => {
  const byType = (type: string, request: string) =>
    launch.configurations.filter((c) => c.type === type && c.request === request);
  assert.equal(byType('extensionHost', 'launch').length, 1, 'one Extension Development Host configuration');
  assert.equal(byType('node', 'attach').length, 1, 'one configuration attaching to the language server');
  assert.ok(
    byType('node', 'launch').some((c) => c.program === '${file}'),
    'one running the current test file',
  );
  const labels = new Set(tasks.map((t) => t.label));
  for (const c of launch.configurations) {
    if (c.preLaunchTask)
      assert.ok(
        labels.has(c.preLaunchTask),
        `"${c.name}": preLaunchTask "${c.preLaunchTask}" is not a task in tasks.json`,
      );
    const paths = [
      c.program,
      c.cwd,
      ...(c.args ?? []).map((a) => a.replace(/^--extensionDevelopmentPath=/, '')),
    ].filter((x): x is string => x !== undefined);
    for (const p of paths) {
      const file = resolved(p);
      if (file !== undefined) assert.ok(fs.existsSync(file), `"${c.name}": ${p} does not exist (${file})`);
    }
    for (const glob of c.outFiles ?? []) {
      const base = globBase(resolved(glob) ?? '');
      assert.ok(
        base.startsWith(ROOT) && fs.existsSync(base),
        `"${c.name}": outFiles ${glob} names no folder of the project (${base})`,
      );
    }
  }
  const host = byType('extensionHost', 'launch')[0];
  assert.ok(host.preLaunchTask, 'the Extension Development Host builds first');
  const names = new Set(launch.configurations.map((c) => c.name));
  for (const compound of launch.compounds ?? []) {
    for (const n of compound.configurations)
      assert.ok(names.has(n), `compound "${compound.name}" names an unknown configuration "${n}"`);
  }
});

test('launch.json attaches to the port the client starts the language server on when debugging', () => {
  const attach = launch.configurations.find((c) => c.type === 'node' && c.request === 'attach')!;
  const client = fs.readFileSync(path.join(ROOT, 'client', 'src', 'language.ts'), 'utf8');
  const inspect = /debug:\s*\{[^}]*execArgv:\s*\[[^\]]*'--inspect=(\d+)'/.exec(client);
  assert.ok(inspect, 'client/src/language.ts gives the server --inspect=<port> in its debug server options');
  assert.equal(attach.port, Number(inspect[1]));
});

test('extensions.json recommends the linter and the formatter', () => {
  const { recommendations } = readJsonc<{ recommendations: string[] }>('.vscode/extensions.json');
  assert.deepEqual([...recommendations].sort(), ['dbaeumer.vscode-eslint', 'esbenp.prettier-vscode']);
});

// The watch task for real: the lines of its problem matcher, then a rebuild after a source changes.
// It builds into a temp folder ($VIP_BUILD_OUTDIR), so that the dist/ other tests use is not touched.
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-watch-'));
const probeFile = path.join(ROOT, 'client', 'src', 'vipDocuments.ts');
const probeOriginal = fs.readFileSync(probeFile, 'utf8');
const probeTimes = fs.statSync(probeFile);
/** The probe's text and times as they were: a newer mtime would make dist/ look older than its sources. */
function restoreProbe(): void {
  fs.writeFileSync(probeFile, probeOriginal);
  fs.utimesSync(probeFile, probeTimes.atime, probeTimes.mtime);
}
let watcher: ReturnType<typeof spawn> | undefined;
// Also after a timeout, when the test's own `finally` never runs.
after(() => {
  watcher?.kill();
  restoreProbe();
  fs.rmSync(outDir, { recursive: true, force: true });
});

test(
  'the watch task prints the lines its problem matcher waits for and rebuilds when a source changes',
  { timeout: 120_000 },
  async () => {
    assert.ok(
      watchTask?.isBackground && watchTask.problemMatcher?.background,
      'tasks.json has a background "watch" task with a background problem matcher',
    );
    assert.equal(watchTask.command, 'node');
    const { beginsPattern, endsPattern } = watchTask.problemMatcher.background;
    const begins = new RegExp(beginsPattern);
    const ends = new RegExp(endsPattern);
    const child = spawn(process.execPath, watchTask.args ?? [], {
      cwd: ROOT,
      env: { ...process.env, VIP_BUILD_OUTDIR: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    watcher = child;
    let output = '';
    /** The one wait under way: resolved by output, rejected if the watch exits. */
    let waiting: { from: number; resolve: () => void; reject: (e: Error) => void } | undefined;
    /** A round of rebuilds started and finished in the output after offset `from`. */
    const roundDone = (from: number) => {
      const since = output.slice(from).split('\n');
      const start = since.findIndex((l) => begins.test(l));
      return start >= 0 && since.slice(start).some((l) => ends.test(l));
    };
    const onOutput = (d: Buffer) => {
      output += d.toString();
      if (waiting && roundDone(waiting.from)) waiting.resolve();
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('exit', (code) => waiting?.reject(new Error(`the watch exited (${code}):\n${output}`)));
    const roundAfter = (from: number) =>
      new Promise<void>((resolve, reject) => {
        waiting = { from, resolve, reject };
        if (roundDone(from)) resolve();
      });
    try {
      await roundAfter(0);
      const client = path.join(outDir, 'client.js');
      assert.ok(fs.existsSync(client), 'the first round wrote the bundles into the output folder');
      const before = fs.readFileSync(client, 'utf8');
      // A change the bundle shows and nothing else notices: a legal comment (esbuild keeps those).
      const marker = `devSetup-${process.pid}`;
      fs.writeFileSync(probeFile, `${probeOriginal}\n/*! ${marker} */\n`);
      // Rounds until one has built the change: another test's build (a generated file rewritten) can
      // start a round of its own just before the change, which then ends without it.
      let later = before;
      for (let from = 0; !later.includes(marker);) {
        from = output.length;
        await roundAfter(from);
        later = fs.readFileSync(client, 'utf8');
      }
      assert.notEqual(later, before, 'dist/client.js was rebuilt');
      assert.ok(
        !output.split('\n').some((l) => new RegExp(watchTask.problemMatcher!.pattern.regexp).test(l)),
        `no error lines:\n${output}`,
      );
    } finally {
      restoreProbe();
      waiting = undefined;
      child.kill();
    }
  },
);
