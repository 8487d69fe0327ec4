/**
 * @module checks/_schema
 * Column types, schema inference from rows, and schema drift: the pure parts of `schemaCheck`.
 */
import type { JsonValue, Metadata } from '../definitions/index.js';
import type { Rows } from './_table.js';

/** The column types a column spec can name. */
export type ColumnType =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'object'
  | 'array'
  | 'json';

export const COLUMN_TYPES: readonly ColumnType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'datetime',
  'date',
  'object',
  'array',
  'json',
];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

function calendarDay(match: RegExpExecArray | null): boolean {
  if (match === null) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

export const isDate = (v: unknown): boolean => typeof v === 'string' && calendarDay(DATE.exec(v));

/** An ISO 8601 date and time (`2024-01-07T23:00:00Z`, offset optional), or a valid Date. */
export const isDatetime = (v: unknown): boolean =>
  v instanceof Date
    ? !Number.isNaN(v.getTime())
    : typeof v === 'string' && calendarDay(DATETIME.exec(v));

const isPlainObject = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Whether a non-null value has a column type. */
export const MATCHES: Readonly<Record<ColumnType, (v: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  datetime: isDatetime,
  date: isDate,
  object: isPlainObject,
  array: Array.isArray,
  json: () => true,
};

/** The schema observed in rows: each column's types, `|`-joined and sorted, `|null` when nullable. */
export interface ObservedSchema {
  columns: Record<string, string>;
}

/** Bits for the kinds of value seen in a column. */
const Seen = {
  Null: 1,
  Text: 2,
  Date: 4,
  Datetime: 8,
  Number: 16,
  Boolean: 32,
  Object: 64,
  Array: 128,
} as const;

function seenOf(value: unknown, sofar: number): number {
  if (value === null || value === undefined) return Seen.Null;
  switch (typeof value) {
    case 'string':
      // Once free text is seen the column is `string`; no need to test the rest.
      if (sofar & Seen.Text) return Seen.Text;
      if (isDatetime(value)) return Seen.Datetime;
      return isDate(value) ? Seen.Date : Seen.Text;
    case 'number':
      return Seen.Number; // integers are not told apart: a float column may hold whole values today
    case 'boolean':
      return Seen.Boolean;
    default:
      if (value instanceof Date) return Seen.Datetime;
      return Array.isArray(value) ? Seen.Array : Seen.Object;
  }
}

function typeOf(seen: number): string {
  const types: string[] = [];
  const strings = seen & (Seen.Text | Seen.Date | Seen.Datetime);
  if (strings === Seen.Date) types.push('date');
  else if (strings === Seen.Datetime) types.push('datetime');
  else if (strings !== 0) types.push('string');
  if (seen & Seen.Number) types.push('number');
  if (seen & Seen.Boolean) types.push('boolean');
  if (seen & Seen.Object) types.push('object');
  if (seen & Seen.Array) types.push('array');
  types.sort();
  if (seen & Seen.Null) types.push('null');
  return types.join('|');
}

/**
 * Infers the schema of rows in one pass: every column any row has, with the union of the
 * types seen; a column missing from some rows, or null in some, is nullable.
 */
export function inferSchema(rows: Rows): ObservedSchema {
  const seen = new Map<string, { seen: number; present: number }>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
    for (const column of Object.keys(row)) {
      let entry = seen.get(column);
      if (entry === undefined) {
        entry = { seen: 0, present: 0 };
        seen.set(column, entry);
      }
      entry.seen |= seenOf(row[column], entry.seen);
      entry.present += 1;
    }
  }
  const columns: Record<string, string> = {};
  for (const [column, entry] of seen) {
    columns[column] = typeOf(entry.present < rows.length ? entry.seen | Seen.Null : entry.seen);
  }
  return { columns };
}

export interface SchemaDrift {
  added: string[];
  removed: string[];
  retyped: { column: string; from: string; to: string }[];
}

const nonNull = (type: string): string =>
  type
    .split('|')
    .filter((t) => t !== 'null')
    .join('|');

/**
 * Columns added, removed and retyped from `before` to `after`. Nullability alone is not drift
 * (the contract's `nullable` governs nulls), and a column seen only as null has no type to compare.
 */
export function schemaDrift(before: ObservedSchema, after: ObservedSchema): SchemaDrift {
  const added = Object.keys(after.columns).filter((c) => !(c in before.columns));
  const removed = Object.keys(before.columns).filter((c) => !(c in after.columns));
  const retyped: SchemaDrift['retyped'] = [];
  for (const [column, to] of Object.entries(after.columns)) {
    const from = before.columns[column];
    if (from === undefined) continue;
    const [a, b] = [nonNull(from), nonNull(to)];
    if (a !== '' && b !== '' && a !== b) retyped.push({ column, from, to });
  }
  added.sort();
  removed.sort();
  retyped.sort((x, y) => (x.column < y.column ? -1 : x.column > y.column ? 1 : 0));
  return { added, removed, retyped };
}

export const hasDrift = (drift: SchemaDrift): boolean =>
  drift.added.length + drift.removed.length + drift.retyped.length > 0;

/** The schema a previous result recorded, if it recorded one. */
export function recordedSchema(metadata: Metadata | undefined): ObservedSchema | undefined {
  const schema = metadata?.schema;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const columns = (schema as { [key: string]: JsonValue }).columns;
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) return undefined;
  const result: Record<string, string> = {};
  for (const [column, type] of Object.entries(columns)) {
    if (typeof type === 'string') result[column] = type;
  }
  return { columns: result };
}

/** `added 'flow'; removed 'gauge'; 'stage' number → string` */
export function describeDrift(drift: SchemaDrift): string {
  const quote = (names: string[]) => names.map((n) => `'${n}'`).join(', ');
  const parts: string[] = [];
  if (drift.added.length > 0) parts.push(`added ${quote(drift.added)}`);
  if (drift.removed.length > 0) parts.push(`removed ${quote(drift.removed)}`);
  for (const r of drift.retyped) parts.push(`'${r.column}' ${r.from} → ${r.to}`);
  return parts.join('; ');
}
