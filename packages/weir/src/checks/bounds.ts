/**
 * @module checks/bounds
 * `boundsCheck`: physical bounds on a numeric column (a river stage cannot be negative).
 */
import type { JsonValue } from '../definitions/index.js';
import {
  type BuiltinCheckOptions,
  cell,
  count,
  defaultCheckName,
  describeValue,
  invalid,
  jsonSafe,
  ownOptions,
  plural,
  SAMPLE_LIMIT,
  type TabularCheck,
  tabularCheck,
} from './_table.js';

export interface BoundsCheckOptions extends BuiltinCheckOptions {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Whether null or missing values pass; default true (use notNullCheck to forbid them). */
  allowNull?: boolean;
}

/**
 * Checks that every value of `column` is a finite number within `[min, max]`. NaN, infinities
 * and non-numbers (including numeric strings) are violations. Default name: `bounds_<column>`.
 *
 * @example
 * boundsCheck('stage_m', { min: 0, max: 15 });
 */
export function boundsCheck(column: string, options?: BoundsCheckOptions): TabularCheck {
  const owner = `boundsCheck(${JSON.stringify(column)})`;
  if (typeof column !== 'string' || column === '') invalid(owner, 'name the column to check');
  const { min, max } = options ?? {};
  const allowNull = options?.allowNull ?? true;
  if (min === undefined && max === undefined) invalid(owner, 'give min, max or both');
  for (const [name, value] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) {
      invalid(owner, `${name} must be a finite number, not ${JSON.stringify(value)}`);
    }
  }
  if (min !== undefined && max !== undefined && min > max)
    invalid(owner, `min (${min}) is greater than max (${max})`);
  if (typeof allowNull !== 'boolean') invalid(owner, 'allowNull must be true or false');
  const range = `[${min ?? '-∞'}, ${max ?? '∞'}]`;
  const own = ownOptions<BoundsCheckOptions>({ min: true, max: true, allowNull: true });
  return tabularCheck(owner, defaultCheckName('bounds', [column]), options, own, (_ctx, rows) => {
    let belowMin = 0;
    let aboveMax = 0;
    let notNumeric = 0;
    let nulls = 0;
    let observedMin = Number.POSITIVE_INFINITY;
    let observedMax = Number.NEGATIVE_INFINITY;
    const samples: { row: number; value: JsonValue; problem: string }[] = [];
    const flag = (row: number, value: unknown, problem: string) => {
      if (samples.length < SAMPLE_LIMIT) samples.push({ row, value: jsonSafe(value), problem });
    };
    for (let i = 0; i < rows.length; i++) {
      const value = cell(rows[i], column);
      if (value === null || value === undefined) {
        nulls += 1;
        if (!allowNull) flag(i, value, 'null');
      } else if (typeof value !== 'number' || !Number.isFinite(value)) {
        notNumeric += 1;
        flag(i, value, `not a number (${describeValue(value)})`);
      } else if (min !== undefined && value < min) {
        belowMin += 1;
        flag(i, value, `below ${min}`);
      } else if (max !== undefined && value > max) {
        aboveMax += 1;
        flag(i, value, `above ${max}`);
      } else {
        if (value < observedMin) observedMin = value;
        if (value > observedMax) observedMax = value;
      }
    }
    const nullViolations = allowNull ? 0 : nulls;
    const violations = belowMin + aboveMax + notNumeric + nullViolations;
    const metadata = {
      column,
      min: min ?? null,
      max: max ?? null,
      rowCount: rows.length,
      violations,
      belowMin,
      aboveMax,
      notNumeric,
      nulls,
      observedMin: observedMin === Number.POSITIVE_INFINITY ? null : observedMin,
      observedMax: observedMax === Number.NEGATIVE_INFINITY ? null : observedMax,
      samples,
    };
    if (violations === 0) {
      const seen =
        metadata.observedMin === null ? 'no values' : `values ${observedMin} to ${observedMax}`;
      return {
        passed: true,
        message: `${column} within ${range} in ${plural(rows.length, 'row')} (${seen})`,
        metadata,
      };
    }
    const kinds = [
      [belowMin, `below ${min}`],
      [aboveMax, `above ${max}`],
      [notNumeric, 'not a number'],
      [nullViolations, 'null'],
    ] as const;
    const breakdown = kinds
      .filter(([n]) => n > 0)
      .map(([n, what]) => `${count(n)} ${what}`)
      .join(', ');
    const first = samples[0]!;
    return {
      passed: false,
      message: `${count(violations)} of ${plural(rows.length, 'value')} of ${column} ${violations === 1 ? 'is' : 'are'} outside ${range}: ${breakdown}; first: row ${first.row} = ${JSON.stringify(first.value)}`,
      metadata,
    };
  });
}
