/**
 * @module flags
 * QARTOD-style flags, the causes that set them, and the validity channel. A point carries
 * one flag (its worst so far), a bit set of causes (every test or fill that touched it, so
 * a point can be both out of range and inside a maintenance window) and a validity code
 * that tells a model whether the value is observed, imputed or unusable.
 */

/** QARTOD flag values, stored one byte per point. */
export const Flag = {
  PASS: 1,
  NOT_EVALUATED: 2,
  SUSPECT: 3,
  FAIL: 4,
  MISSING: 9,
} as const;

/** One of the {@link Flag} values. */
export type FlagValue = (typeof Flag)[keyof typeof Flag];

/**
 * Severity order used to combine flags: not evaluated < pass < suspect < fail < missing.
 * Only 1 and 2 are out of numeric order, so hot loops that raise to 3, 4 or 9 may compare
 * numerically.
 */
export function severity(flag: number): number {
  return flag === Flag.NOT_EVALUATED ? 0 : flag;
}

/** The worse of two flags by {@link severity}. */
export function worstFlag(a: number, b: number): number {
  return severity(a) >= severity(b) ? a : b;
}

/** Causes, one bit each, combinable with `|`. */
export const Cause = {
  /** The source said the value is missing (empty cell, -999). */
  MISSING_VALUE: 1 << 0,
  /** A grid point with no reading within the alignment tolerance. */
  GAP: 1 << 1,
  RANGE: 1 << 2,
  CLIMATOLOGY: 1 << 3,
  SPIKE: 1 << 4,
  RATE_OF_CHANGE: 1 << 5,
  FLAT_LINE: 1 << 6,
  /** Inside a known-bad interval of a maintenance log. */
  MANUAL: 1 << 7,
  REDUNDANCY: 1 << 8,
  ZSCORE: 1 << 9,
  /** Flagged by STRAY on kNN scores (SaQC `flagByStray`, transferred). */
  STRAY: 1 << 10,
  /** A qualifier from the source, e.g. USGS `A:e` (estimated). */
  QUALIFIER: 1 << 11,
  /** Several readings shared this timestamp; see the normalisation report. */
  DUPLICATE: 1 << 12,
  /** The value was interpolated or aggregated onto the grid from nearby readings. */
  ALIGNED: 1 << 13,
  DRIFT_CORRECTED: 1 << 14,
  FILL_LINEAR: 1 << 16,
  FILL_FORWARD: 1 << 17,
  /** Left missing on purpose: the validity channel says the value is unknown. */
  MASKED: 1 << 18,
} as const;

/** The name of one cause, e.g. `'RANGE'`. */
export type CauseName = keyof typeof Cause;

const causeEntries = Object.entries(Cause) as [CauseName, number][];

/** The names of the causes set in a bit set, in declaration order. */
export function causeNames(bits: number): CauseName[] {
  const names: CauseName[] = [];
  for (const [name, bit] of causeEntries) if ((bits & bit) !== 0) names.push(name);
  return names;
}

/** The validity channel: what a model may assume about the value. */
export const Validity = {
  /** Unknown or untrustworthy: a model must treat it as missing. */
  INVALID: 0,
  /** A reading that passed (or was not evaluated by) every configured test. */
  OBSERVED: 1,
  /** Filled by a gap method; the causes say which and why. */
  IMPUTED: 2,
} as const;

/** One of the {@link Validity} values. */
export type ValidityValue = (typeof Validity)[keyof typeof Validity];
