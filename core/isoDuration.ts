// ISO 8601 durations of weeks, days, hours, minutes and seconds (`PT30S`, `P1DT2H`, `-PT5M`), as the
// simulator's clock control and the flows' `${$now+P1D}` read them. Months and years vary in length,
// so they are not accepted. A leaf module: the flows use it without loading the simulator.

/** The duration in milliseconds, or undefined when `text` is not such a duration. */
export function isoDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/.exec(trimmed);
  if (!m || trimmed.endsWith('T') || m.slice(2).every((p) => p === undefined)) return undefined;
  const [, sign, w, d, h, min, s] = m;
  const ms =
    ((((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60 +
      Number((s ?? '0').replace(',', '.'))) *
    1000;
  return sign === '-' ? -ms : ms;
}
