/**
 * @module qc/outcome
 * What a quality test returns: how many points it flagged at each severity. Tests raise
 * flags in place (never lower them) and add their cause bit to every point they flag,
 * even one already flagged worse, so causes stay complete.
 */

/** Points a test flagged suspect and fail (a point counts once, at its worst). */
export interface TestOutcome {
  suspect: number;
  fail: number;
}

/** Which flag a test sets when its only threshold is exceeded. */
export type Severity = 'suspect' | 'fail';

/** A fresh zero outcome. */
export function outcome(): TestOutcome {
  return { suspect: 0, fail: 0 };
}
