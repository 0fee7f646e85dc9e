// ISO 8601 durations for `${$now+P1D}`: the simulator's own reading (weeks, days, hours, minutes,
// seconds; months and years vary in length), so `${$now+PT30S}` and `advanceClock: PT30S` agree.
import { isoDurationMs } from '../isoDuration';
import { FlowError } from './errors';

/** `date` moved by `duration` (sign -1: back). */
export function addDuration(date: Date, duration: string, sign: 1 | -1 = 1): Date {
  const ms = isoDurationMs(duration);
  if (ms === undefined)
    throw new FlowError(
      `"${duration}" is not an ISO 8601 duration of weeks, days, hours, minutes and seconds (e.g. PT30S, PT5M, P1D).`,
    );
  return new Date(date.getTime() + sign * ms);
}
