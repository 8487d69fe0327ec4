// Ajv's errors turned into sentences that name the record and the field.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { HsdsTable } from './generated.js';

/** One problem with one record, named well enough to find and fix it. */
export interface HsdsValidationError {
  readonly table: HsdsTable;
  /** How the record is named in the message: `'svc-12'` (its id) or `#3` (its index). */
  readonly record: string;
  /** The record's position in its batch (0-based). */
  readonly index: number;
  /** The path of the field in the record, `phones[0].number`; empty for the record itself. */
  readonly field: string;
  /** What is wrong with it: `is required`, `must be a number (got 'ten')`. */
  readonly problem: string;
  /** The JSON Schema keyword that failed, or `unique` / `tabular_required`. */
  readonly keyword: string;
  /** `service 'svc-12': phones[0].number is required`. */
  readonly message: string;
}

/** `'svc-12'` when the record has a string id, else `#index`. */
export function recordName(record: unknown, index: number): string {
  if (typeof record === 'object' && record !== null && 'id' in record) {
    const id = record.id;
    if (typeof id === 'string' && id !== '') return quote(id);
  }
  return `#${index}`;
}

export function validationError(
  table: HsdsTable,
  record: string,
  index: number,
  field: string,
  problem: string,
  keyword: string,
): HsdsValidationError {
  const subject = field === '' ? 'the record' : field;
  return {
    table,
    record,
    index,
    field,
    problem,
    keyword,
    message: `${table} ${record}: ${subject} ${problem}`,
  };
}

export function fromAjvError(
  table: HsdsTable,
  record: string,
  index: number,
  error: ErrorObject,
): HsdsValidationError {
  const path = fieldPath(error.instancePath);
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    return validationError(
      table,
      record,
      index,
      joinPath(path, missing),
      'is required',
      'required',
    );
  }
  return validationError(table, record, index, path, describe(error), error.keyword);
}

function describe(error: ErrorObject): string {
  const got = `(got ${shown(error.data)})`;
  switch (error.keyword) {
    case 'type':
      return `must be ${article(String(error.params.type))} ${got}`;
    case 'enum': {
      const allowed = (error.params.allowedValues as readonly unknown[]).map(shown).join(', ');
      return `must be one of ${allowed} ${got}`;
    }
    case 'format':
      return `is not a valid ${String(error.params.format)} ${got}`;
    default:
      return `${error.message ?? `fails ${error.keyword}`} ${got}`;
  }
}

/** `/phones/0/number` → `phones[0].number`. */
function fieldPath(instancePath: string): string {
  if (instancePath === '') return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce(
      (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : joinPath(path, segment)),
      '',
    );
}

function joinPath(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return quote(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function quote(text: string): string {
  return `'${text}'`;
}
