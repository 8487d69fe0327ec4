/**
 * @module report
 * The report of a polish: per variable, what normalisation and alignment did, how many
 * points each test flagged at each severity, the flagged points by cause, the final flag
 * counts, and how many points were filled or masked by which method and for which cause.
 * Every count is of output points (grid points when aligned), at their final flag.
 */

import { causeTally, causeTallyArray, tallyCauses } from './_cause-tally.js';
import type { FillSummary } from './fill/fill.js';
import type { CauseName } from './flags.js';
import { Flag, Validity } from './flags.js';
import type { GapSummary } from './qc/gaps.js';
import type { TestOutcome } from './qc/outcome.js';
import type { Series } from './series.js';
import type { AlignReport } from './time/align.js';
import type { NormaliseReport } from './time/normalise.js';

/** Final flag counts of a series. */
export interface FlagCounts {
  pass: number;
  notEvaluated: number;
  suspect: number;
  fail: number;
  missing: number;
}

/** Validity channel counts of a series. */
export interface ValidityCounts {
  observed: number;
  imputed: number;
  invalid: number;
}

/** Flagged points that carry one cause, by their final flag. */
export interface CauseCounts {
  suspect: number;
  fail: number;
  missing: number;
}

/** Flagged points (final flag suspect, fail or missing) by each cause they carry. */
export type CauseTally = Partial<Record<CauseName, CauseCounts>>;

/** The tests of a configuration, each with the cause it adds to the points it flags. */
export const TEST_CAUSES = {
  manual: 'MANUAL',
  range: 'RANGE',
  climatology: 'CLIMATOLOGY',
  spike: 'SPIKE',
  rateOfChange: 'RATE_OF_CHANGE',
  flatLine: 'FLAT_LINE',
  zScore: 'ZSCORE',
  redundancy: 'REDUNDANCY',
} as const satisfies Record<string, CauseName>;

/** The name of a test in a report, e.g. `'rateOfChange'`. */
export type TestName = keyof typeof TEST_CAUSES;

/** What polishing did to one variable. */
export interface VariableReport {
  points: number;
  normalise: NormaliseReport;
  align?: AlignReport;
  gaps: GapSummary;
  /**
   * Per test (`manual`, `range`, `spike`, …): the points that carry its cause, by their
   * final flag, whichever test set it (a point that the rate-of-change test made suspect
   * and the maintenance log failed counts as fail for both). Points that end up missing
   * are counted in `causes` only.
   */
  tests: Partial<Record<TestName, TestOutcome>>;
  /** Flagged points by cause, at their final flag (before gap handling). */
  causes: CauseTally;
  flags: FlagCounts;
  fill?: FillSummary;
  validity: ValidityCounts;
}

/** What polishing did, per variable. */
export interface PolishReport {
  variables: Record<string, VariableReport>;
}

/** Counts of each final flag. */
export function countFlags(s: Series): FlagCounts {
  const c: FlagCounts = { pass: 0, notEvaluated: 0, suspect: 0, fail: 0, missing: 0 };
  for (let i = 0; i < s.flags.length; i++) {
    const f = s.flags[i]!;
    if (f === Flag.PASS) c.pass++;
    else if (f === Flag.NOT_EVALUATED) c.notEvaluated++;
    else if (f === Flag.SUSPECT) c.suspect++;
    else if (f === Flag.FAIL) c.fail++;
    else c.missing++;
  }
  return c;
}

/** Flagged points (suspect, fail or missing) of a series by cause, at their flag. */
export function countCauses(s: Series): CauseTally {
  const tally = causeTallyArray();
  for (let i = 0; i < s.flags.length; i++) {
    const f = s.flags[i]!;
    if (f >= Flag.SUSPECT) tallyCauses(tally, s.causes[i]!, f);
  }
  return causeTally(tally);
}

/** Counts of each validity code. */
export function countValidity(s: Series): ValidityCounts {
  const c: ValidityCounts = { observed: 0, imputed: 0, invalid: 0 };
  for (let i = 0; i < s.validity.length; i++) {
    const v = s.validity[i]!;
    if (v === Validity.OBSERVED) c.observed++;
    else if (v === Validity.IMPUTED) c.imputed++;
    else c.invalid++;
  }
  return c;
}

/**
 * A plain-text rendering of a report, one block per variable.
 *
 * @example
 * process.stdout.write(formatReport(report));
 */
export function formatReport(report: PolishReport): string {
  const lines: string[] = [];
  for (const [name, r] of Object.entries(report.variables)) {
    lines.push(`${name}: ${r.points} points`);
    const n = r.normalise;
    lines.push(
      `  timestamps   ${n.reordered ? 'reordered, ' : ''}${n.duplicates} duplicate(s) resolved by '${n.policy}'` +
        (r.align
          ? `; aligned ${r.align.readings} readings onto ${r.align.gridPoints} grid points, ${r.align.missing} with no reading`
          : ''),
    );
    lines.push(
      `  gaps         ${r.gaps.missingPoints} missing points in ${r.gaps.gaps} gap(s), longest ${formatMs(r.gaps.longestMs)}`,
    );
    for (const [test, o] of Object.entries(r.tests)) {
      lines.push(`  ${test.padEnd(12)} ${o.suspect} suspect, ${o.fail} fail`);
    }
    const causes = Object.entries(r.causes).map(([c, k]) => `${c}: ${formatCauseCounts(k)}`);
    if (causes.length > 0) lines.push(`  causes       ${causes.join('; ')}`);
    const f = r.flags;
    lines.push(
      `  flags        pass ${f.pass}, not evaluated ${f.notEvaluated}, suspect ${f.suspect}, fail ${f.fail}, missing ${f.missing}`,
    );
    if (r.fill) {
      const causes = Object.entries(r.fill.byCause)
        .map(([c, k]) => `${c} ${k}`)
        .join(', ');
      lines.push(
        `  fill         ${r.fill.method}: ${r.fill.filled} filled, ${r.fill.masked} masked, ${r.fill.refused} refused (gap too long)${causes ? `; by cause: ${causes}` : ''}`,
      );
    }
    const v = r.validity;
    lines.push(`  validity     observed ${v.observed}, imputed ${v.imputed}, invalid ${v.invalid}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatCauseCounts(c: CauseCounts): string {
  const parts: string[] = [];
  if (c.suspect > 0) parts.push(`${c.suspect} suspect`);
  if (c.fail > 0) parts.push(`${c.fail} fail`);
  if (c.missing > 0) parts.push(`${c.missing} missing`);
  return parts.join(', ');
}

function formatMs(ms: number): string {
  if (ms === 0) return '-';
  if (ms >= 86_400_000) return `${(ms / 86_400_000).toFixed(1)} d`;
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / 60_000)} min`;
}
