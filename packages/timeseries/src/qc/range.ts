/**
 * @module qc/range
 * Gross range test (QARTOD): values outside sensor or physical limits fail (a stage
 * cannot be negative, 500 mm of rain in 10 minutes is impossible); values outside the
 * operator's expected range are suspect. Bounds are inclusive: a value equal to a bound
 * passes.
 */
import { Cause, Flag } from '../flags.js';
import type { Series } from '../series.js';
import { outcome, type TestOutcome } from './outcome.js';

/** Bounds of {@link flagRange}; omit a bound to leave that side open. */
export interface RangeParams {
  /** Below this is impossible: fail. */
  failMin?: number;
  /** Above this is impossible: fail. */
  failMax?: number;
  /** Below this is unusual: suspect. */
  suspectMin?: number;
  /** Above this is unusual: suspect. */
  suspectMax?: number;
}

/**
 * Flags values outside the bounds (fail first, then suspect), cause `RANGE`.
 *
 * @example
 * flagRange(stage, { failMin: 0, suspectMax: 8 });
 */
export function flagRange(s: Series, p: RangeParams): TestOutcome {
  const failLo = p.failMin ?? Number.NEGATIVE_INFINITY;
  const failHi = p.failMax ?? Number.POSITIVE_INFINITY;
  const susLo = p.suspectMin ?? Number.NEGATIVE_INFINITY;
  const susHi = p.suspectMax ?? Number.POSITIVE_INFINITY;
  const { values, flags, causes } = s;
  const out = outcome();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < failLo || v > failHi) {
      if (flags[i]! < Flag.FAIL) flags[i] = Flag.FAIL;
      causes[i] = causes[i]! | Cause.RANGE;
      out.fail++;
    } else if (v < susLo || v > susHi) {
      if (flags[i]! < Flag.SUSPECT) flags[i] = Flag.SUSPECT;
      causes[i] = causes[i]! | Cause.RANGE;
      out.suspect++;
    }
  }
  return out;
}
