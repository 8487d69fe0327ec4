/**
 * @module checks/row-count
 * `rowCountCheck`: volume. Absolute bounds, and relative change against the median row
 * count of recent materializations (a feed that silently halves is caught the day it does).
 */
import type { CheckHistoryEntry } from '../definitions/index.js';
import {
  type BuiltinCheckOptions,
  count,
  invalid,
  ownOptions,
  plural,
  type TabularCheck,
  tabularCheck,
} from './_table.js';

export interface RowCountCheckOptions extends BuiltinCheckOptions {
  /** Fewest rows allowed. */
  min?: number;
  /** Most rows allowed. */
  max?: number;
  /** Fail when the count is more than this fraction below the recent median (0.5: half). */
  maxDropFraction?: number;
  /** Fail when the count is more than this fraction above the recent median (1: double). */
  maxGrowthFraction?: number;
  /** How many previous materializations the median is taken over; default 10. */
  window?: number;
}

/**
 * Checks the number of rows against bounds and against the median of the last `window`
 * recorded counts; records `rowCount` and `baselineMedian` in its metadata.
 *
 * @example
 * rowCountCheck({ min: 1, maxDropFraction: 0.5 }); // fails on "1,204 rows is 62 % below the median 3,180 of the last 10"
 */
export function rowCountCheck(options?: RowCountCheckOptions): TabularCheck {
  const owner = 'rowCountCheck';
  const { min, max, maxDropFraction, maxGrowthFraction } = options ?? {};
  const window = options?.window ?? 10;
  const bound = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      invalid(owner, `${name} must be a whole number ≥ 0, not ${JSON.stringify(value)}`);
    }
  };
  bound('min', min);
  bound('max', max);
  if (min !== undefined && max !== undefined && min > max)
    invalid(owner, `min (${min}) is greater than max (${max})`);
  if (maxDropFraction !== undefined && !(maxDropFraction >= 0 && maxDropFraction <= 1)) {
    invalid(
      owner,
      `maxDropFraction must be between 0 and 1 (0.5 = half), not ${JSON.stringify(maxDropFraction)}`,
    );
  }
  if (
    maxGrowthFraction !== undefined &&
    !(maxGrowthFraction >= 0 && Number.isFinite(maxGrowthFraction))
  ) {
    invalid(
      owner,
      `maxGrowthFraction must be a number ≥ 0 (1 = double), not ${JSON.stringify(maxGrowthFraction)}`,
    );
  }
  if (!(Number.isInteger(window) && window >= 1))
    invalid(owner, `window must be a whole number ≥ 1, not ${JSON.stringify(window)}`);
  const own = ownOptions<RowCountCheckOptions>({
    min: true,
    max: true,
    maxDropFraction: true,
    maxGrowthFraction: true,
    window: true,
  });
  return tabularCheck(owner, 'row_count', options, own, (ctx, rows) => {
    const n = rows.length;
    const history = recentCounts(ctx.previousResults, window);
    const median = history.length === 0 ? undefined : medianOf(history);
    const change =
      median === undefined
        ? undefined
        : median === 0
          ? n === 0
            ? 0
            : Number.POSITIVE_INFINITY
          : (n - median) / median;
    const failures: string[] = [];
    if (min !== undefined && n < min)
      failures.push(`${plural(n, 'row')} is fewer than the minimum ${count(min)}`);
    if (max !== undefined && n > max)
      failures.push(`${plural(n, 'row')} is more than the maximum ${count(max)}`);
    const versus =
      median === undefined ? '' : `the median ${count(median)} of the last ${history.length}`;
    if (change !== undefined && maxDropFraction !== undefined && -change > maxDropFraction) {
      failures.push(
        `${plural(n, 'row')} is ${percent(-change)} below ${versus} (at most ${percent(maxDropFraction)} allowed)`,
      );
    }
    if (change !== undefined && maxGrowthFraction !== undefined && change > maxGrowthFraction) {
      const how = Number.isFinite(change) ? `${percent(change)} above` : 'more than';
      failures.push(
        `${plural(n, 'row')} is ${how} ${versus} (at most ${percent(maxGrowthFraction)} growth allowed)`,
      );
    }
    const metadata = {
      rowCount: n,
      baselineMedian: median ?? null,
      baselineSize: history.length,
      changeFraction: change === undefined || !Number.isFinite(change) ? null : round(change),
    };
    if (failures.length > 0) return { passed: false, message: failures.join('; '), metadata };
    const relative =
      change === undefined
        ? 'no history yet'
        : change === 0
          ? `same as ${versus}`
          : Number.isFinite(change)
            ? `${percent(Math.abs(change))} ${change < 0 ? 'below' : 'above'} ${versus}`
            : `${versus} was 0`;
    return { passed: true, message: `${plural(n, 'row')} (${relative})`, metadata };
  });
}

/** Row counts of the newest `window` distinct materializations (re-checks of one data version count once). */
function recentCounts(previous: readonly CheckHistoryEntry[], window: number): number[] {
  const seen = new Set<string>();
  const counts: number[] = [];
  for (const entry of previous) {
    if (counts.length >= window) break;
    const rowCount = entry.metadata.rowCount;
    if (typeof rowCount !== 'number' || !Number.isFinite(rowCount) || seen.has(entry.dataVersion))
      continue;
    seen.add(entry.dataVersion);
    counts.push(rowCount);
  }
  return counts;
}

/** The median; the mean of the middle two for an even count. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const percent = (fraction: number) => `${Math.round(fraction * 100)} %`;
const round = (x: number) => Math.round(x * 10_000) / 10_000;
