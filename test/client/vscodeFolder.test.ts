// .vscode/ for contributors (F5): launch.json, tasks.json and extensions.json are valid JSONC, and
// what they name exists: every preLaunchTask is a task, every task's npm script is in
// package.json, every program path is a file. Desktop VS Code cannot run here; this is what can
// be checked without it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

const ROOT = path.resolve(__dirname, '../..');

function readJsonc(relative: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value = parse(fs.readFileSync(path.join(ROOT, relative), 'utf8'), errors, { allowTrailingComma: false }) as Record<string, unknown>;
  assert.deepEqual(errors.map((e) => `${printParseErrorCode(e.error)} at offset ${e.offset}`), [], `${relative} is not valid JSONC`);
  assert.equal(typeof value, 'object', `${relative} holds no object`);
  return value;
}

/** `${workspaceFolder}/x` as a path in this repository; other variables (`${file}`) stay unresolved. */
const resolveVariables = (p: string): string => p.replace('${workspaceFolder}', ROOT);

interface LaunchConfiguration { name: string; type: string; request: string; program?: string; preLaunchTask?: string; args?: string[]; outFiles?: string[]; port?: number }
interface Task { label?: string; type: string; script?: string }

describe('.vscode/ (F5 for contributors)', () => {
  const launch = readJsonc('.vscode/launch.json') as { configurations: LaunchConfiguration[] };
  const tasks = readJsonc('.vscode/tasks.json') as { tasks: Task[] };
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  test('launch.json: the extension host, the language server attach, and the unit tests', () => {
    const byType = launch.configurations.map((c) => `${c.type}/${c.request}`);
    assert.deepEqual(byType, ['extensionHost/launch', 'node/attach', 'node/launch']);
    const attach = launch.configurations[1]!;
    const languageTs = fs.readFileSync(path.join(ROOT, 'client/src/language.ts'), 'utf8');
    assert.ok(languageTs.includes(`--inspect=${attach.port}`), `the server's debug port is not ${attach.port} (client/src/language.ts)`);
    assert.ok(launch.configurations[0]!.args?.includes('--extensionDevelopmentPath=${workspaceFolder}'));
  });

  test('every preLaunchTask is a task in tasks.json, and every npm task a script in package.json', () => {
    const labels = tasks.tasks.map((t) => t.label ?? `${t.type}: ${t.script}`);
    for (const c of launch.configurations.filter((x) => x.preLaunchTask)) {
      assert.ok(labels.includes(c.preLaunchTask!), `${c.name}: preLaunchTask "${c.preLaunchTask}" is not among ${labels.join(', ')}`);
    }
    for (const t of tasks.tasks.filter((x) => x.type === 'npm')) assert.ok(scripts[t.script!], `task ${t.label}: no npm script "${t.script}"`);
    assert.match(scripts['watch'] ?? '', /esbuild\.mjs --watch/);
  });

  test('every program, folder argument and outFiles base exists', () => {
    for (const c of launch.configurations) {
      const paths = [c.program, ...(c.args ?? []).filter((a) => a.startsWith('${workspaceFolder}/')), ...(c.outFiles ?? []).map((g) => g.replace(/\/\*\*.*$/, ''))];
      for (const p of paths.filter((x): x is string => x !== undefined)) {
        assert.ok(fs.existsSync(resolveVariables(p)), `${c.name}: ${p} does not exist`);
      }
    }
  });

  test('extensions.json recommends extensions by publisher.name', () => {
    const { recommendations } = readJsonc('.vscode/extensions.json') as { recommendations: string[] };
    assert.ok(recommendations.length > 0);
    for (const id of recommendations) assert.match(id, /^[a-z0-9-]+\.[a-z0-9-]+$/i);
  });
});
