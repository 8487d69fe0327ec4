/**
 * @module time/normalise
 * Puts a series in time order and resolves duplicate timestamps by an explicit policy,
 * reporting what it did.
 */
import { TimeseriesError } from '../errors.js';
import { Cause, Flag, worstFlag } from '../flags.js';
import type { Series } from '../series.js';
import { createSeries } from '../series.js';

/** How readings that share a timestamp become one point. */
export type DuplicatePolicy = 'first' | 'last' | 'mean' | 'error';

/** What normalisation did. */
export interface NormaliseReport {
  /** Whether the input was out of time order. */
  readonly reordered: boolean;
  /** Readings dropped or merged because they repeated a timestamp. */
  readonly duplicates: number;
  readonly policy: DuplicatePolicy;
}

/** What one pass over a time axis found (see {@link scanTimeAxis}). */
export interface TimeAxisScan {
  /** Non-decreasing. */
  readonly sorted: boolean;
  /** Some timestamp repeats its predecessor. */
  readonly duplicates: boolean;
  /** Index of the first timestamp that is not finite, or -1. */
  readonly nonFinite: number;
  /** Smallest and largest timestamp (`±Infinity` for an empty axis). */
  readonly start: number;
  readonly end: number;
}

/** Order, duplicates, finiteness and span of a time axis, in one pass. */
export function scanTimeAxis(time: Float64Array): TimeAxisScan {
  const n = time.length;
  let sorted = true;
  let duplicates = false;
  let nonFinite = -1;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (t - t !== 0 && nonFinite < 0) nonFinite = i; // NaN or ±Infinity
    if (t < prev) sorted = false;
    else if (t === prev) duplicates = true;
    if (t < start) start = t;
    if (t > end) end = t;
    prev = t;
  }
  return { sorted, duplicates, nonFinite, start, end };
}

/**
 * Sorts by time (stable: equal timestamps keep file order) and merges duplicates:
 * `first`/`last` keep that reading, `mean` averages the present values, `error` throws.
 * A merged point gets the worst flag of its readings and cause `DUPLICATE`.
 *
 * @example
 * const { series, report } = normaliseSeries(s, 'last');
 */
export function normaliseSeries(
  s: Series,
  policy: DuplicatePolicy = 'last',
): { series: Series; report: NormaliseReport } {
  const n = s.time.length;
  const { sorted, duplicates: hasDuplicates, nonFinite } = scanTimeAxis(s.time);
  if (nonFinite >= 0) {
    throw new TimeseriesError(
      'E_ARGUMENT',
      `series ${s.name}: timestamp ${nonFinite} is not finite`,
    );
  }
  if (sorted && !hasDuplicates)
    return { series: s, report: { reordered: false, duplicates: 0, policy } };
  let order: Uint32Array = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!sorted) {
    const t = s.time;
    order = Uint32Array.from(Array.from(order).sort((a, b) => t[a]! - t[b]! || a - b));
  }
  const time: number[] = [];
  const values: number[] = [];
  const flags: number[] = [];
  const causes: number[] = [];
  let duplicates = 0;
  let i = 0;
  while (i < n) {
    const first = order[i]!;
    const t = s.time[first]!;
    let j = i + 1;
    while (j < n && s.time[order[j]!] === t) j++;
    if (j - i === 1) {
      time.push(t);
      values.push(s.values[first]!);
      flags.push(s.flags[first]!);
      causes.push(s.causes[first]!);
    } else {
      if (policy === 'error') {
        throw new TimeseriesError(
          'E_ARGUMENT',
          `series ${s.name}: ${j - i} readings at ${new Date(t).toISOString()}`,
          { hint: "choose a duplicate policy: 'first', 'last' or 'mean'" },
        );
      }
      duplicates += j - i - 1;
      let flag: number = Flag.NOT_EVALUATED;
      let cause: number = Cause.DUPLICATE;
      let sum = 0;
      let count = 0;
      for (let k = i; k < j; k++) {
        const idx = order[k]!;
        flag = worstFlag(flag, s.flags[idx]!);
        cause |= s.causes[idx]!;
        const v = s.values[idx]!;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      const pick = policy === 'first' ? order[i]! : order[j - 1]!;
      const value = policy === 'mean' ? (count > 0 ? sum / count : Number.NaN) : s.values[pick]!;
      time.push(t);
      values.push(value);
      flags.push(Number.isNaN(value) ? Flag.MISSING : flag);
      causes.push(cause);
    }
    i = j;
  }
  const series = createSeries(s.name, Float64Array.from(time), Float64Array.from(values), {
    flags: Uint8Array.from(flags),
    causes: Uint32Array.from(causes),
    ...(s.unit === undefined ? {} : { unit: s.unit }),
  });
  return { series, report: { reordered: !sorted, duplicates, policy } };
}
