// Dot paths into JSON values: `TokenInformation.TokenStatus`, `deliveries.0.code` (or `deliveries[0].code`).

/** The names of a dot path (`a[0].b` and `a.0.b` alike: a, 0, b). */
export function segments(dotPath: string): string[] {
  return dotPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0);
}

/** The segments as a JSON path: array indexes as numbers. */
export function jsonPathOf(dotPath: string): (string | number)[] {
  return segments(dotPath).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The value at `dotPath`, or undefined when a segment is missing. */
export function getPath(value: unknown, dotPath: string): unknown {
  let current = value;
  for (const seg of segments(dotPath)) {
    if (Array.isArray(current) && /^-?\d+$/.test(seg)) current = current.at(Number(seg));
    else if (typeof current === 'object' && current !== null && Object.prototype.hasOwnProperty.call(current, seg))
      current = (current as Record<string, unknown>)[seg];
    else return undefined;
  }
  return current;
}

/** Sets `dotPath` in `target`, creating objects on the way. */
export function setPath(target: Record<string, unknown>, dotPath: string, value: unknown): void {
  const segs = segments(dotPath);
  let current: Record<string, unknown> = target;
  for (const seg of segs.slice(0, -1)) {
    const next = current[seg];
    if (typeof next !== 'object' || next === null) current[seg] = {};
    current = current[seg] as Record<string, unknown>;
  }
  current[segs[segs.length - 1]] = value;
}

/** The last name of a path (`TokenInformation.TokenStatus` → `TokenStatus`). */
export function lastSegment(dotPath: string): string {
  const segs = segments(dotPath);
  return segs[segs.length - 1] ?? '';
}
