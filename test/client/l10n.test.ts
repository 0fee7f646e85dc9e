// Localisation the VS Code way (package.nls.json, vscode.l10n with l10n/bundle.l10n.json): fails
// when a contributed string or a message of the client bypasses it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const CLIENT = path.join(ROOT, 'client', 'src');
const readJson = (relative: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as Record<string, unknown>;

/** Keys of the manifest whose string values VS Code shows (to localise); `body`, `default`, `examples` hold data. */
const SHOWN = new Set([
  'title',
  'description',
  'markdownDescription',
  'patternErrorMessage',
  'category',
  'label',
  'displayName',
]);
const DATA = new Set(['body', 'default', 'examples', 'enum', 'pattern']);

function shownStrings(node: unknown, at: string, out: { at: string; value: string }[]): void {
  if (Array.isArray(node)) node.forEach((v, i) => shownStrings(v, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (DATA.has(key)) continue;
      if (SHOWN.has(key) && typeof value === 'string') out.push({ at: `${at}.${key}`, value });
      else if (key === 'markdownEnumDescriptions' && Array.isArray(value))
        value.forEach((v: unknown, i) => out.push({ at: `${at}.${key}[${i}]`, value: String(v) }));
      else shownStrings(value, `${at}.${key}`, out);
    }
  }
}

/** Sentence-like string literals in client sources that import vscode, outside `l10n.t(...)` and log calls. */
function unlocalisedLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const isSentence = (text: string): boolean => /[A-Za-z]{2,}[,.:;]? [A-Za-z]{2,}/.test(text);
  const calleeText = (call: ts.CallExpression): string => call.expression.getText(source);
  const allowed = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isCallExpression(n)) {
        const callee = calleeText(n);
        if (/(^|\.)l10n\.t$/.test(callee)) return true;
        if (/(^|\.)log\.(trace|debug|info|warn|error)$/.test(callee)) return true; // the log stays English, like the server's
        if (/createOutputChannel$/.test(callee)) return true; // the product's name
      }
      if (ts.isNewExpression(n) && n.expression.getText(source) === 'LanguageClient') return true; // the product's name
      if (ts.isImportDeclaration(n)) return true;
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) &&
      !allowed(node)
    ) {
      // A template's own text only: what its ${…} parts hold is checked on its own.
      const text = ts.isTemplateExpression(node)
        ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('${…}')
        : node.text;
      if (isSentence(text)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${path.relative(ROOT, file)}:${line + 1}: ${text.slice(0, 80)}`);
      }
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const clientFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? clientFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );

describe('localisation', () => {
  test('every contributed string VS Code shows is a %key% of package.nls.json, and every key is used', () => {
    const pkg = readJson('package.json');
    const nls = readJson('package.nls.json') as Record<string, string>;
    const shown: { at: string; value: string }[] = [];
    shownStrings(
      {
        displayName: pkg['displayName'],
        description: pkg['description'],
        contributes: pkg['contributes'],
        capabilities: pkg['capabilities'],
      },
      'package.json',
      shown,
    );
    const bypassing = shown.filter((s) => !/^%[^%]+%$/.test(s.value)).map((s) => `${s.at}: ${s.value}`);
    assert.deepEqual(bypassing, [], 'contributed strings written into package.json instead of package.nls.json');
    const used = new Set(shown.map((s) => s.value.slice(1, -1)));
    assert.deepEqual(
      [...used].filter((k) => !(k in nls)),
      [],
      'keys missing from package.nls.json',
    );
    assert.deepEqual(
      Object.keys(nls).filter((k) => !used.has(k)),
      [],
      'keys of package.nls.json that nothing uses',
    );
  });

  test('client messages go through vscode.l10n.t (the log stays English)', () => {
    const files = clientFiles(CLIENT).filter((f) => /from 'vscode'/.test(fs.readFileSync(f, 'utf8')));
    assert.ok(files.length >= 5);
    assert.deepEqual(files.flatMap(unlocalisedLiterals), []);
  });

  test('l10n/bundle.l10n.json is what @vscode/l10n-dev exports from client/src now, and package.json points at it', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vip-l10n-'));
    try {
      const cli = path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
      const r = spawnSync(process.execPath, [cli, 'export', '--outDir', out, CLIENT], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const expected = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.ok(Object.keys(expected).length >= 30, 'few messages found: are they written with vscode.l10n.t?');
      assert.deepEqual(readJson('l10n/bundle.l10n.json'), expected, 'stale: run npm run l10n');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
    assert.equal(readJson('package.json')['l10n'], './l10n');
  });
});
