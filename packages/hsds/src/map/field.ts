// How a mapper names a value of a source record: a column (or JSON path) as written, or a
// function for the few values that need code.
import type { SourceRecord } from '../read/index.js';

/** A column name (`PublicName`, `location.latitude`) or a function of the record. */
export type FieldRef = string | ((record: SourceRecord) => string | undefined);

/** The value `ref` names, trimmed; undefined when it is absent or blank. */
export function fieldValue(record: SourceRecord, ref: FieldRef | undefined): string | undefined {
  if (ref === undefined) return undefined;
  const raw = typeof ref === 'string' ? record.fields[ref] : ref(record);
  const text = raw?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** A constant, where a table wants a field: `label: constant('fax')`. */
export function constant(text: string): (record: SourceRecord) => string {
  return () => text;
}

/** The first of several fields that has a value. */
export function firstOf(...refs: FieldRef[]): (record: SourceRecord) => string | undefined {
  return (record) => {
    for (const ref of refs) {
      const value = fieldValue(record, ref);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

/**
 * A US date as the exports write it (`8/23/11 15:05`, `08/23/2011`) as an ISO date
 * (`2011-08-23`); two-digit years 70-99 are 19xx. Undefined when it is not one.
 */
export function usDate(text: string | undefined): string | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\b/.exec(text?.trim() ?? '');
  if (match === null) return undefined;
  const [month, day, year] = [Number(match[1]), Number(match[2]), match[3]!];
  const fullYear =
    year.length === 4 ? Number(year) : Number(year) + (Number(year) >= 70 ? 1900 : 2000);
  const date = new Date(Date.UTC(fullYear, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}
