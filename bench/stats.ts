// Timing helpers: medians and percentiles over repeated runs (these machines are noisy).
import { performance } from 'node:perf_hooks';

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

/** Runs `a` and `b` alternately (so drift hits both alike) and returns their times in ms. */
export async function paired(
  a: () => unknown,
  b: () => unknown,
  opts: { minRuns?: number; maxRuns?: number; budgetMs?: number } = {},
): Promise<{ a: number[]; b: number[] }> {
  const { minRuns = 5, maxRuns = 40, budgetMs = 4000 } = opts;
  const out = { a: [] as number[], b: [] as number[] };
  await a();
  await b(); // warm-up: compile schemas, JIT
  const start = performance.now();
  for (let i = 0; i < maxRuns && (i < minRuns || performance.now() - start < budgetMs); i++) {
    for (const [fn, list] of (i % 2
      ? [
          [b, out.b],
          [a, out.a],
        ]
      : [
          [a, out.a],
          [b, out.b],
        ]) as [() => unknown, number[]][]) {
      const t = performance.now();
      await fn();
      list.push(performance.now() - t);
    }
  }
  return out;
}

export async function timeRuns(fn: () => unknown, runs: number): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)) + ' ms';
export const fmtBytes = (n: number) =>
  n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + ' MB' : n >= 1024 ? (n / 1024).toFixed(1) + ' KB' : n + ' B';
export const fmtRatio = (r: number) => r.toFixed(r < 0.1 ? 3 : 2) + '×';

/**
 * Like `paired`, for functions that return their own time in ms (curl's time_total, a timed loop):
 * `runs` pairs, the order alternating (a b, b a, …) so that drift in the machine's load hits both alike.
 */
export async function pairedValues(
  a: () => Promise<number>,
  b: () => Promise<number>,
  runs: number,
  warmUp = 2,
): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmUp; i++) {
    await a();
    await b();
  }
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < runs; i++) {
    if (i % 2) {
      out.b.push(await b());
      out.a.push(await a());
    } else {
      out.a.push(await a());
      out.b.push(await b());
    }
  }
  return out;
}
