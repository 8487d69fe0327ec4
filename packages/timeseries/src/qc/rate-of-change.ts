/**
 * @module qc/rate-of-change
 * Rate-of-change test: a value that moved from the last accepted value faster than the
 * variable physically can is flagged. Comparing with the last *accepted* value (not the
 * previous reading) means that in 1 m -> 5 m -> 1 m only the 5 m reading is flagged, and
 * the allowed change grows with the time elapsed, so a real level shift is accepted
 * again once enough time has passed.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { outcome, type Severity, type TestOutcome } from './outcome.js';
import { safeLog } from './spike.js';

/** Parameters of {@link flagRateOfChange}. */
export interface RateOfChangeParams {
  /** Largest credible change per hour, in the series' units (or log units). */
  maxPerHour: number;
  scale?: 'linear' | 'log';
  /** Flag to set; default `'suspect'`. */
  severity?: Severity;
}

const HOUR_MS = 3_600_000;

/**
 * Flags values that changed too fast, cause `RATE_OF_CHANGE`. The series must be in
 * time order; missing values are skipped.
 *
 * @example
 * flagRateOfChange(level, { maxPerHour: 4 }); // metres per hour
 */
export function flagRateOfChange(s: Series, p: RateOfChangeParams): TestOutcome {
  const perMs = p.maxPerHour / HOUR_MS;
  const log = p.scale === 'log';
  const flag = p.severity === 'fail' ? Flag.FAIL : Flag.SUSPECT;
  const { time, values, flags, causes } = s;
  const out = outcome();
  let lastT = Number.NaN;
  let lastV = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = log ? safeLog(values[i]!) : values[i]!;
    if (Number.isNaN(v)) continue;
    const t = time[i]!;
    if (Math.abs(v - lastV) > perMs * (t - lastT)) {
      if (flags[i]! < flag) flags[i] = flag;
      causes[i] = causes[i]! | Cause.RATE_OF_CHANGE;
      if (flag === Flag.FAIL) out.fail++;
      else out.suspect++;
    } else {
      lastT = t;
      lastV = v;
    }
  }
  return out;
}
