// ISO 8601 durations (PnYnMnWnDTnHnMnS), for `${$now+P1D}` and simulator `advanceClock`.
import { FlowError } from './errors';

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `date` moved by `duration` (sign -1: back); years, months and days on the UTC calendar. */
export function addDuration(date: Date, duration: string, sign: 1 | -1 = 1): Date {
  const m = DURATION.exec(duration);
  if (!m) throw new FlowError(`"${duration}" is not an ISO 8601 duration (e.g. PT30S, PT5M, P1D).`);
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const out = new Date(date.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + sign * y, out.getUTCMonth() + sign * mo, out.getUTCDate() + sign * (w * 7 + d));
  out.setTime(out.getTime() + sign * Math.round(((h * 60 + mi) * 60 + s) * 1000));
  return out;
}
