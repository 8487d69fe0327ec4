/**
 * @module fill/fill
 * Gap handling per variable. A run of invalid points (missing, failed, or suspect when
 * suspect is not accepted) is filled only when the stretch from the last valid value to
 * the next is no longer than `maxGap`; longer runs are refused and stay invalid. Filled
 * points keep their flag and causes (the reading was still bad or absent), gain the fill
 * method's cause and become `IMPUTED` in the validity channel. Masking fills nothing:
 * values become `NaN`, cause `MASKED`, validity `INVALID`.
 */
import { Cause, type CauseName, Validity } from '../flags.js';
import type { Series } from '../series.js';
import { type Duration, durationMs } from '../time/duration.js';

/**
 * - `linear`: time-weighted interpolation between the valid values either side (temperature).
 * - `forward`: the last valid value carried forward (a slow reservoir level).
 * - `mask`: leave missing and say so (precipitation: an invented 0 mm is a lie).
 * - `none`: leave points as they are.
 */
export type FillMethod = 'linear' | 'forward' | 'mask' | 'none';

/** Parameters of {@link fillGaps}. */
export interface FillParams {
  method: FillMethod;
  /** Longest stretch (last valid value to next) a fill may bridge; required except for `mask` and `none`. */
  maxGap?: Duration;
}

/** What a fill did, with points counted by the causes that made them invalid. */
export interface FillSummary {
  method: FillMethod;
  filled: number;
  masked: number;
  /** Invalid points left unfilled because their gap was longer than `maxGap` or open-ended. */
  refused: number;
  byCause: Partial<Record<CauseName, number>>;
}

const FILL_BITS = Cause.FILL_LINEAR | Cause.FILL_FORWARD | Cause.MASKED;

/**
 * Fills (or masks) runs of invalid points in place. Run `refreshValidity` first so the
 * validity channel reflects the tests. The series must be in time order.
 *
 * @example
 * fillGaps(waterTemp, { method: 'linear', maxGap: '2h' });
 */
export function fillGaps(s: Series, p: FillParams): FillSummary {
  const summary: FillSummary = { method: p.method, filled: 0, masked: 0, refused: 0, byCause: {} };
  if (p.method === 'none') return summary;
  const maxGap = p.method === 'mask' ? 0 : durationMs(requireMaxGap(p));
  const mode = p.method === 'mask' ? MASK : p.method === 'linear' ? LINEAR : FORWARD;
  // Filled and masked points by cause bit, turned into names once at the end.
  const bitCounts = new Float64Array(32);
  const { time, values, causes, validity } = s;
  const n = values.length;
  let i = 0;
  while (i < n) {
    // Skip valid points: the common case, one byte compare per point.
    while (i < n && validity[i] !== Validity.INVALID) i++;
    if (i === n) break;
    let j = i;
    while (j + 1 < n && validity[j + 1] === Validity.INVALID) j++;
    const before = i - 1;
    const after = j + 1 < n ? j + 1 : -1;
    if (mode === MASK) {
      for (let k = i; k <= j; k++) {
        values[k] = Number.NaN;
        countBits(bitCounts, causes[k]!);
        causes[k] = causes[k]! | Cause.MASKED;
      }
      summary.masked += j - i + 1;
    } else if (
      mode === LINEAR &&
      before >= 0 &&
      after >= 0 &&
      time[after]! - time[before]! <= maxGap
    ) {
      const t0 = time[before]!;
      const v0 = values[before]!;
      const slope = (values[after]! - v0) / (time[after]! - t0);
      for (let k = i; k <= j; k++) {
        countBits(bitCounts, causes[k]!);
        values[k] = v0 + slope * (time[k]! - t0);
        causes[k] = causes[k]! | Cause.FILL_LINEAR;
        validity[k] = Validity.IMPUTED;
      }
      summary.filled += j - i + 1;
    } else if (
      mode === FORWARD &&
      before >= 0 &&
      (after >= 0 ? time[after]! : time[j]!) - time[before]! <= maxGap
    ) {
      const v0 = values[before]!;
      for (let k = i; k <= j; k++) {
        countBits(bitCounts, causes[k]!);
        values[k] = v0;
        causes[k] = causes[k]! | Cause.FILL_FORWARD;
        validity[k] = Validity.IMPUTED;
      }
      summary.filled += j - i + 1;
    } else {
      summary.refused += j - i + 1;
    }
    i = j + 1;
  }
  for (const [name, bit] of Object.entries(Cause) as [CauseName, number][]) {
    if ((bit & FILL_BITS) !== 0) continue;
    const c = bitCounts[31 - Math.clz32(bit)]!;
    if (c > 0) summary.byCause[name] = c;
  }
  return summary;
}

const MASK = 0;
const LINEAR = 1;
const FORWARD = 2;

/** Adds one to the counter of every cause bit set in `bits` (fill bits excluded). */
function countBits(counts: Float64Array, bits: number): void {
  let rest = bits & ~FILL_BITS;
  while (rest !== 0) {
    const low = rest & -rest;
    const b = 31 - Math.clz32(low);
    counts[b] = counts[b]! + 1;
    rest ^= low;
  }
}

function requireMaxGap(p: FillParams): Duration {
  if (p.maxGap === undefined) throw new RangeError(`fill '${p.method}' needs a maxGap`);
  return p.maxGap;
}
