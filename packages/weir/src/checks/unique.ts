/**
 * @module checks/unique
 * `uniqueCheck`: no two rows share a (composite) key.
 */
import type { JsonValue } from '../definitions/index.js';
import {
  type BuiltinCheckOptions,
  cell,
  columnList,
  defaultCheckName,
  jsonSafe,
  plural,
  SAMPLE_LIMIT,
  type TabularCheck,
  tabularCheck,
} from './_table.js';

export type UniqueCheckOptions = BuiltinCheckOptions;

/** At most this many row indexes are kept per sampled duplicate key. */
const ROWS_PER_KEY = 10;

interface Duplicate {
  key: Record<string, JsonValue>;
  rows: number[];
  count: number;
}

/**
 * Checks that the key made of `columns` is unique. Null and missing are values like any other
 * (two rows with a null key are duplicates; forbid nulls with notNullCheck). Records the
 * number of duplicate rows (rows − distinct keys) and the first 10 duplicate keys with their
 * row indexes. Default name: `unique_<columns>`.
 *
 * @example
 * uniqueCheck(['station', 'observed_at']);
 */
export function uniqueCheck(
  columns: string | readonly string[],
  options?: BuiltinCheckOptions,
): TabularCheck {
  const owner = `uniqueCheck(${JSON.stringify(columns)})`;
  const keyColumns = columnList(columns, owner);
  const single = keyColumns.length === 1 ? keyColumns[0]! : undefined;
  return tabularCheck(owner, defaultCheckName('unique', keyColumns), options, [], (_ctx, rows) => {
    // First row index of each key; a primitive single-column key is its own map key.
    const firstRow = new Map<unknown, number>();
    const objectKeys = new Map<string, symbol>();
    const mapKey = (value: unknown): unknown => {
      if (value === undefined) return null;
      if (value === null || typeof value !== 'object') return value;
      const text = keyText(value);
      let symbol = objectKeys.get(text);
      if (symbol === undefined) {
        symbol = Symbol(text);
        objectKeys.set(text, symbol);
      }
      return symbol;
    };
    const duplicates = new Map<unknown, Duplicate>();
    let duplicateKeys = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const key =
        single === undefined
          ? keyText(keyColumns.map((c) => cell(row, c)))
          : mapKey(cell(row, single));
      const first = firstRow.get(key);
      if (first === undefined) {
        firstRow.set(key, i);
        continue;
      }
      let duplicate = duplicates.get(key);
      if (duplicate === undefined) {
        duplicateKeys += 1;
        if (duplicates.size >= SAMPLE_LIMIT) continue;
        const values = Object.fromEntries(keyColumns.map((c) => [c, jsonSafe(cell(row, c))]));
        duplicate = { key: values, rows: [first], count: 1 };
        duplicates.set(key, duplicate);
      }
      duplicate.count += 1;
      if (duplicate.rows.length < ROWS_PER_KEY) duplicate.rows.push(i);
    }
    const duplicateRows = rows.length - firstRow.size;
    const metadata = {
      columns: keyColumns,
      rowCount: rows.length,
      distinctKeys: firstRow.size,
      duplicateRows,
      duplicateKeys,
      samples: [...duplicates.values()].map((d) => ({ key: d.key, rows: d.rows, count: d.count })),
    };
    const keyName = keyColumns.length === 1 ? keyColumns[0]! : `(${keyColumns.join(', ')})`;
    if (duplicateRows === 0) {
      return {
        passed: true,
        message: `${keyName} is unique in ${plural(rows.length, 'row')}`,
        metadata,
      };
    }
    const first = [...duplicates.values()][0]!;
    const shown = Object.entries(first.key)
      .map(([c, v]) => `${c}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
    return {
      passed: false,
      message: `${plural(duplicateRows, 'row')} repeat ${plural(duplicateKeys, 'key')} of ${keyName}; first: ${shown} at rows ${first.rows.join(', ')}${first.count > first.rows.length ? ', …' : ''}`,
      metadata,
    };
  });
}

/** A key's identity as text: JSON, with bigints kept apart from numbers (NaN reads as null). */
function keyText(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? 'null'
  );
}
