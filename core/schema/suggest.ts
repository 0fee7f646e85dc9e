// Closest-name suggestions for misspelled operations and fields.

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  return boundedDistance(a.toLowerCase(), b.toLowerCase(), Infinity);
}

// One row buffer reused by every call (the engine is synchronous): no allocation per comparison.
let row = new Uint32Array(64);

/** Levenshtein distance of two already lower-cased strings, or `limit + 1` once it must exceed `limit`. */
function boundedDistance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (row.length <= b.length) row = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]; // the previous row's value at j - 1
    row[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      const value = Math.min(above + 1, row[j - 1] + 1, diagonal + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      diagonal = above;
      row[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1; // every later row is at least this far
  }
  return row[b.length];
}

/** Candidates ordered by closeness, keeping those within a distance that scales with length. */
export function closest(name: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  const near: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = boundedDistance(lower, c.toLowerCase(), limit);
    if (d <= limit) near.push({ c, d });
  }
  return near
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}
