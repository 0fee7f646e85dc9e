// Fuzzing the engine: random and mutated VIP documents, truncations at every offset and extreme
// inputs. Every feature must return, within bounds, without throwing. FUZZ_CASES sets the size
// (npm test: a few thousand; npm run fuzz: 100 000).
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import {
  analyze,
  completionsAt,
  documentSymbols,
  formatEdits,
  hoverAt,
  quickFixes,
  VipDocument,
} from '../../core/engine';
import { extremes, int, mutate, rng, vipDocument } from './generators';

const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const NOW = new Date('2026-11-29T12:00:00Z');
const CTX = { now: NOW, supportedVersions: ['2.0', '3.0', '3.1'] };

/** Runs every engine feature on `text`; returns a description of what went wrong, if anything. */
function exercise(text: string, r: () => number): void {
  const doc = new VipDocument(text);
  const findings = analyze(doc, { now: NOW });
  for (const f of findings) {
    assert.ok(f.offset >= 0 && f.length >= 0 && f.offset + f.length <= text.length, `finding ${f.rule} out of bounds`);
    assert.ok(f.message.length > 0);
    if (text.length < 200_000) quickFixes(doc, f, CTX);
  }
  for (let k = 0; k < 3; k++) {
    const offset = int(r, text.length + 3) - 1;
    const h = hoverAt(doc, offset);
    if (h) assert.ok(h.offset >= 0 && h.offset + h.length <= text.length);
    if (text.length < 200_000) completionsAt(doc, Math.max(0, Math.min(offset, text.length)), CTX);
  }
  if (text.length < 200_000) {
    documentSymbols(doc);
  }
  const formatted = formatEdits(text, { tabSize: 2, insertSpaces: true });
  assert.ok(formatted.refused === undefined || formatted.edits.length === 0, 'a refused format has no edits');
}

describe(`engine fuzz (${CASES} cases, seed ${SEED})`, () => {
  test('random and mutated VIP documents', () => {
    const r = rng(SEED);
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const base = vipDocument(r);
      const text = r() < 0.7 ? mutate(r, base) : base;
      const t = performance.now();
      try {
        exercise(text, r);
      } catch (e) {
        assert.fail(
          `case ${i} (seed ${SEED}) failed: ${e instanceof Error ? e.stack : String(e)}\ntext: ${JSON.stringify(text.slice(0, 2000))}`,
        );
      }
      slowest = Math.max(slowest, performance.now() - t);
    }
    assert.ok(slowest < 1000, `a case took ${slowest.toFixed(0)} ms`);
  });

  test('truncated at every offset', () => {
    const r = rng(SEED + 1);
    for (let k = 0; k < 3; k++) {
      const text = vipDocument(r);
      for (let i = 0; i <= text.length; i++) exercise(text.slice(0, i), r);
    }
  });

  for (const [name, text] of extremes()) {
    test(name, () => {
      const t = performance.now();
      exercise(text, rng(SEED + 2));
      assert.ok(performance.now() - t < 10_000, `${name} took too long`);
    });
  }
});
