/**
 * @module qc/redundancy
 * Redundancy test: sensors that measure the same thing (a group of temperature probes)
 * are compared at each timestamp with the median of the group; a sensor that departs from
 * it by more than a threshold is flagged. The median, unlike the mean, is not dragged by
 * the faulty sensor itself.
 */
import { TimeseriesError } from '../errors.js';
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { outcome, type TestOutcome } from './outcome.js';

/** Parameters of {@link flagRedundancy}. */
export interface RedundancyParams {
  /** Departure from the group median (series units) that makes a value suspect. */
  suspect: number;
  /** Departure that makes it fail; default: never. */
  fail?: number;
  /** Fewest present, non-failed sensors for a median to be trusted; default 3. */
  minSensors?: number;
}

/**
 * Flags departures from the group median, cause `REDUNDANCY`; returns one outcome per
 * sensor, in order. All series must share one time axis.
 *
 * @example
 * flagRedundancy([t1, t2, t3, t4, t5], { suspect: 1, fail: 3 });
 */
export function flagRedundancy(group: readonly Series[], p: RedundancyParams): TestOutcome[] {
  const k = group.length;
  const first = group[0];
  if (first === undefined) return [];
  const n = first.time.length;
  for (const s of group) {
    if (s.time.length !== n || s.time.some((t, i) => t !== first.time[i])) {
      throw new TimeseriesError(
        'E_ARGUMENT',
        `redundancy: ${s.name} is not on the time axis of ${first.name}`,
        { hint: 'align the group onto one grid first' },
      );
    }
  }
  const minSensors = p.minSensors ?? 3;
  const failT = p.fail ?? Number.POSITIVE_INFINITY;
  const outs = group.map(() => outcome());
  const buf = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < k; j++) {
      const s = group[j]!;
      const v = s.values[i]!;
      if (!Number.isNaN(v) && s.flags[i]! < Flag.FAIL) {
        // insertion sort: groups are small
        let q = m++;
        while (q > 0 && buf[q - 1]! > v) {
          buf[q] = buf[q - 1]!;
          q--;
        }
        buf[q] = v;
      }
    }
    if (m < minSensors) continue;
    const median = m % 2 === 1 ? buf[m >> 1]! : (buf[m / 2 - 1]! + buf[m / 2]!) / 2;
    for (let j = 0; j < k; j++) {
      const s = group[j]!;
      const d = Math.abs(s.values[i]! - median);
      if (d > p.suspect) {
        const flag = d > failT ? Flag.FAIL : Flag.SUSPECT;
        if (s.flags[i]! < flag) s.flags[i] = flag;
        s.causes[i] = s.causes[i]! | Cause.REDUNDANCY;
        if (flag === Flag.FAIL) outs[j]!.fail++;
        else outs[j]!.suspect++;
      }
    }
  }
  return outs;
}
