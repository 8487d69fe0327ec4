// Validation of HSDS records against the specification's JSON Schemas, one record or a batch.
import { tableValidator } from './compiled-validators.js';
import type { HsdsRecordByTable, HsdsTable } from './generated.js';
import { hsdsSchemas } from './schemas/index.js';
import {
  fromAjvError,
  type HsdsValidationError,
  recordName,
  validationError,
} from './validation-error.js';

export interface ValidateOptions {
  /**
   * `nested` (the default) checks records as HSDS's JSON API nests them; `tabular` checks rows
   * of HSDS's CSV form, where the links the schemas list as `tabular_required` (a service's
   * `organization_id`) must be present too.
   */
  readonly form?: 'nested' | 'tabular';
  /** How a record is named in messages; by default its id, else `#index`. */
  readonly recordName?: (record: unknown, index: number, table: HsdsTable) => string;
}

export interface RecordValidation {
  readonly valid: boolean;
  readonly errors: readonly HsdsValidationError[];
}

/** Checks one record of a table against its HSDS 3.0 schema. */
export function validateRecord(
  table: HsdsTable,
  record: unknown,
  options: ValidateOptions & { readonly index?: number } = {},
): RecordValidation {
  const errors = schemaErrors(table, record, options.index ?? 0, options);
  return { valid: errors.length === 0, errors };
}

/** True when the record is valid for its table, narrowing its type. */
export function isHsdsRecord<T extends HsdsTable>(
  table: T,
  record: unknown,
  options: ValidateOptions = {},
): record is HsdsRecordByTable[T] {
  return schemaErrors(table, record, 0, options).length === 0;
}

/** Records to check, by table. */
export type HsdsBatch = { readonly [T in HsdsTable]?: Iterable<unknown> };

export interface TableCounts {
  readonly records: number;
  readonly valid: number;
  readonly invalid: number;
  readonly errors: number;
}

export interface ValidationReport {
  /** The errors, in batch order, up to `maxErrors`. */
  readonly errors: readonly HsdsValidationError[];
  /** How many errors were found beyond `maxErrors` (they are counted, not listed). */
  readonly errorsLeftOut: number;
  /** Counts for every table in the batch, for threshold checks. */
  readonly tables: Readonly<Partial<Record<HsdsTable, TableCounts>>>;
}

export interface BatchOptions extends ValidateOptions {
  /** The most errors listed in the report (default 1,000); the counts are always complete. */
  readonly maxErrors?: number;
}

/**
 * Checks every record of a batch against its table's schema and, across the batch, the fields
 * the schemas mark unique (the ids).
 */
export function validateRecords(batch: HsdsBatch, options: BatchOptions = {}): ValidationReport {
  const maxErrors = options.maxErrors ?? 1000;
  const errors: HsdsValidationError[] = [];
  let errorsLeftOut = 0;
  const tables: Partial<Record<HsdsTable, TableCounts>> = {};
  for (const [table, records] of batchEntries(batch)) {
    const uniqueness = new UniquenessCheck(table);
    const counts = { records: 0, valid: 0, invalid: 0, errors: 0 };
    let index = 0;
    for (const record of records) {
      const found = [
        ...schemaErrors(table, record, index, options),
        ...uniqueness.check(record, index, nameOf(record, index, table, options)),
      ];
      counts.records += 1;
      counts.errors += found.length;
      if (found.length === 0) counts.valid += 1;
      else counts.invalid += 1;
      const room = Math.max(0, maxErrors - errors.length);
      errors.push(...found.slice(0, room));
      errorsLeftOut += Math.max(0, found.length - room);
      index += 1;
    }
    tables[table] = counts;
  }
  return { errors, errorsLeftOut, tables };
}

/** The share of a table's records that are invalid (0 when the batch had none of them). */
export function invalidShare(report: ValidationReport, table: HsdsTable): number {
  const counts = report.tables[table];
  return counts === undefined || counts.records === 0 ? 0 : counts.invalid / counts.records;
}

function batchEntries(batch: HsdsBatch): [HsdsTable, Iterable<unknown>][] {
  const entries = Object.entries(batch).filter((entry) => entry[1] !== undefined);
  for (const [table] of entries) {
    if (!Object.hasOwn(hsdsSchemas, table)) throw new Error(`'${table}' is not an HSDS 3.0 table`);
  }
  return entries as [HsdsTable, Iterable<unknown>][];
}

function nameOf(record: unknown, index: number, table: HsdsTable, options: ValidateOptions) {
  return options.recordName?.(record, index, table) ?? recordName(record, index);
}

function schemaErrors(
  table: HsdsTable,
  record: unknown,
  index: number,
  options: ValidateOptions,
): HsdsValidationError[] {
  const validate = tableValidator(table);
  const errors: HsdsValidationError[] = [];
  const valid = validate(record);
  if (!valid || options.form === 'tabular') {
    const name = nameOf(record, index, table, options);
    for (const error of validate.errors ?? []) errors.push(fromAjvError(table, name, index, error));
    if (options.form === 'tabular') errors.push(...tabularErrors(table, record, name, index));
  }
  return errors;
}

function tabularErrors(
  table: HsdsTable,
  record: unknown,
  name: string,
  index: number,
): HsdsValidationError[] {
  if (typeof record !== 'object' || record === null) return [];
  const fields = record as Record<string, unknown>;
  return (hsdsSchemas[table].tabular_required ?? [])
    .filter((field) => fields[field] === undefined || fields[field] === '')
    .map((field) =>
      validationError(
        table,
        name,
        index,
        field,
        'is required in the tabular form',
        'tabular_required',
      ),
    );
}

/** The fields a table's schema marks `constraints.unique`, checked across a batch. */
class UniquenessCheck {
  private readonly seen = new Map<string, Map<unknown, number>>();

  constructor(private readonly table: HsdsTable) {
    for (const [field, property] of Object.entries(hsdsSchemas[table].properties)) {
      if (property.constraints?.unique === true) this.seen.set(field, new Map());
    }
  }

  check(record: unknown, index: number, name: string): HsdsValidationError[] {
    if (typeof record !== 'object' || record === null) return [];
    const fields = record as Record<string, unknown>;
    const errors: HsdsValidationError[] = [];
    for (const [field, values] of this.seen) {
      const value = fields[field];
      if (value === undefined || value === null || value === '') continue;
      const first = values.get(value);
      if (first === undefined) values.set(value, index);
      else {
        const problem = `is not unique (record #${first} has it too)`;
        errors.push(validationError(this.table, name, index, field, problem, 'unique'));
      }
    }
    return errors;
  }
}
