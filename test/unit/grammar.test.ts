// The TextMate grammar, tokenized with VS Code's own engine (vscode-textmate + Oniguruma).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '..', '..');
let grammar: IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => {
      const file = path.join(ROOT, 'syntaxes', 'vip-json.tmLanguage.json');
      return parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const loaded = await registry.loadGrammar('source.json.vip');
  assert.ok(loaded);
  grammar = loaded;
});

/** Scopes of each token in `text` (one line), keyed by the token's text. */
function scopes(text: string): Map<string, string[]> {
  const { tokens } = grammar.tokenizeLine(text, INITIAL);
  const out = new Map<string, string[]>();
  for (const t of tokens) out.set(text.slice(t.startIndex, t.endIndex), t.scopes);
  return out;
}

test('the package.json contribution points at the grammar and its scope', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const g = pkg.contributes.grammars[0];
  assert.equal(g.scopeName, 'source.json.vip');
  assert.ok(fs.existsSync(path.join(ROOT, g.path)));
});

test('operation keys are marked as operations', () => {
  const s = scopes('{"DeactivateTokenRequest": {"Version": "3.1"}}');
  assert.ok(s.get('DeactivateTokenRequest')?.includes('entity.name.type.operation.vip'));
  assert.ok(s.get('Version')?.includes('support.type.property-name.json'));
  assert.ok(!s.get('Version')?.includes('entity.name.type.operation.vip'));
  assert.ok(s.get('3.1')?.includes('string.quoted.double.json'));
});

test('reason codes are marked', () => {
  const s = scopes('{"Status": {"ReasonCode": "4e04", "StatusMessage": "x"}}');
  assert.ok(s.get('4e04')?.includes('constant.numeric.reason-code.vip'), JSON.stringify([...s]));
});

test('comments, numbers and constants are JSON scopes', () => {
  const s = scopes('{"a": [1, true, null] /* c */} // line');
  assert.ok(s.get('1')?.includes('constant.numeric.json'));
  assert.ok(s.get('true')?.includes('constant.language.json'));
  assert.ok([...s.values()].some((v) => v.includes('comment.block.json')));
  assert.ok([...s.values()].some((v) => v.includes('comment.line.double-slash.js')));
});
