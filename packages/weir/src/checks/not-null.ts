/**
 * @module checks/not-null
 * `notNullCheck`: required columns have a value in every row.
 */
import {
  type BuiltinCheckOptions,
  cell,
  columnList,
  count,
  defaultCheckName,
  invalid,
  ownOptions,
  plural,
  rowList,
  SAMPLE_LIMIT,
  type TabularCheck,
  tabularCheck,
} from './_table.js';

export interface NotNullCheckOptions extends BuiltinCheckOptions {
  /** Whether `''` counts as null; default true. */
  emptyStringIsNull?: boolean;
}

/**
 * Checks that each of `columns` is neither null, missing nor (by default) `''` in any row;
 * records per-column counts and up to 10 row indexes each. Default name: `not_null_<columns>`.
 *
 * @example
 * notNullCheck(['station', 'observed_at']);
 */
export function notNullCheck(
  columns: string | readonly string[],
  options?: NotNullCheckOptions,
): TabularCheck {
  const owner = `notNullCheck(${JSON.stringify(columns)})`;
  const list = columnList(columns, owner);
  const emptyStringIsNull = options?.emptyStringIsNull ?? true;
  if (typeof emptyStringIsNull !== 'boolean')
    invalid(owner, 'emptyStringIsNull must be true or false');
  const name = defaultCheckName('not_null', list);
  return tabularCheck(
    owner,
    name,
    options,
    ownOptions<NotNullCheckOptions>({ emptyStringIsNull: true }),
    (_ctx, rows) => {
      const nullCounts: Record<string, number> = {};
      const samples: Record<string, number[]> = {};
      for (const column of list) {
        nullCounts[column] = 0;
        samples[column] = [];
      }
      let nullRows = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        let rowHasNull = false;
        for (const column of list) {
          const value = cell(row, column);
          if (value === null || value === undefined || (emptyStringIsNull && value === '')) {
            rowHasNull = true;
            nullCounts[column]! += 1;
            const sample = samples[column]!;
            if (sample.length < SAMPLE_LIMIT) sample.push(i);
          }
        }
        if (rowHasNull) nullRows += 1;
      }
      const metadata = { columns: list, rowCount: rows.length, nullRows, nullCounts, samples };
      const failing = list
        .filter((c) => nullCounts[c]! > 0)
        .sort((a, b) => nullCounts[b]! - nullCounts[a]!);
      if (failing.length === 0) {
        return {
          passed: true,
          message: `${list.join(', ')}: no nulls in ${plural(rows.length, 'row')}`,
          metadata,
        };
      }
      const parts = failing.map(
        (c) =>
          `${c} is null in ${count(nullCounts[c]!)} of ${plural(rows.length, 'row')} (${rowList(samples[c]!, nullCounts[c]!)})`,
      );
      return { passed: false, message: parts.join('; '), metadata };
    },
  );
}
