/**
 * @module checks/schema
 * `schemaCheck`: a column contract on a table (names, types, nullability), given as a column
 * spec or a zod object schema, with schema drift against the previous result.
 */
import type { CheckResult, JsonValue } from '../definitions/index.js';
import { didYouMean } from '../errors.js';
import {
  COLUMN_TYPES,
  type ColumnType,
  describeDrift,
  hasDrift,
  inferSchema,
  MATCHES,
  recordedSchema,
  schemaDrift,
} from './_schema.js';
import {
  type BuiltinCheckOptions,
  count,
  describeValue,
  invalid,
  ownOptions,
  plural,
  type Rows,
  SAMPLE_LIMIT,
  type TabularCheck,
  tabularCheck,
  typeName,
} from './_table.js';

export type { ColumnType, ObservedSchema, SchemaDrift } from './_schema.js';
export { inferSchema, schemaDrift } from './_schema.js';

/** A column's type, or its type and whether it may be null or missing (default: not). */
export type ColumnSpec = Readonly<
  Record<string, ColumnType | { type: ColumnType; nullable?: boolean }>
>;

/** The part of a zod (v4) object schema the check uses, e.g. `z.object({ station: z.string() })`. */
export interface ZodObjectLike {
  readonly shape: object;
  safeParse(value: unknown):
    | { success: true }
    | {
        success: false;
        error: {
          issues: readonly {
            path: readonly PropertyKey[];
            code: string;
            message: string;
            expected?: unknown;
          }[];
        };
      };
}

export interface SchemaCheckOptions extends BuiltinCheckOptions {
  /** Columns added, removed or retyped since the previous result: `warn` (default) reports, `fail` fails, `ignore` says nothing. */
  drift?: 'fail' | 'warn' | 'ignore';
  /** Columns the spec does not name: `allow` (default; they still count as drift when new) or `fail`. */
  extraColumns?: 'allow' | 'fail';
}

interface Violation {
  row: number;
  column: string;
  expected: string;
  found: string;
}

type RowValidator = (row: unknown, index: number, report: (v: Violation) => void) => void;

/**
 * Checks every row against a column contract and records the observed schema, reporting
 * drift (added, removed, retyped columns) against the schema of the previous result.
 *
 * @example
 * schemaCheck({ station: 'string', stage_m: { type: 'number', nullable: true }, observed_at: 'datetime' });
 * schemaCheck(z.object({ station: z.string(), stage_m: z.number().nullable() }), { drift: 'fail' });
 */
export function schemaCheck(
  spec: ColumnSpec | ZodObjectLike,
  options?: SchemaCheckOptions,
): TabularCheck {
  const owner = 'schemaCheck';
  const drift = options?.drift ?? 'warn';
  if (!['fail', 'warn', 'ignore'].includes(drift))
    invalid(owner, `drift must be 'fail', 'warn' or 'ignore', not ${JSON.stringify(drift)}`);
  const extra = options?.extraColumns ?? 'allow';
  if (extra !== 'allow' && extra !== 'fail')
    invalid(owner, `extraColumns must be 'allow' or 'fail', not ${JSON.stringify(extra)}`);
  const [columns, validate] = isZodObject(spec) ? zodValidator(spec) : specValidator(spec, owner);
  const known = new Set(columns);
  return tabularCheck(
    owner,
    'schema',
    options,
    ownOptions<SchemaCheckOptions>({ drift: true, extraColumns: true }),
    (ctx, rows) => {
      const violations: Violation[] = [];
      const byColumn: Record<string, number> = {};
      let invalidRows = 0;
      let total = 0;
      rows.forEach((row, index) => {
        let bad = false;
        validate(row, index, (v) => {
          bad = true;
          total += 1;
          byColumn[v.column] = (byColumn[v.column] ?? 0) + 1;
          if (violations.length < SAMPLE_LIMIT) violations.push(v);
        });
        if (bad) invalidRows += 1;
      });
      const previous = recordedSchema(ctx.previousResults[0]?.metadata);
      const observed = rows.length === 0 ? (previous ?? { columns: {} }) : inferSchema(rows);
      const missingColumns = columns.filter((c) => rows.length > 0 && !(c in observed.columns));
      const extraColumns = Object.keys(observed.columns).filter((c) => !known.has(c));
      const changes =
        previous === undefined || rows.length === 0 ? undefined : schemaDrift(previous, observed);
      const drifted = changes !== undefined && hasDrift(changes);
      const metadata: Record<string, JsonValue> = {
        rowCount: rows.length,
        invalidRows,
        violations: total,
        violationsByColumn: byColumn,
        offending: violations.map((v) => ({ ...v })),
        missingColumns,
        extraColumns,
        schema: { columns: observed.columns },
      };
      if (drift !== 'ignore')
        metadata.drift =
          changes === undefined
            ? null
            : { ...changes, retyped: changes.retyped.map((r) => ({ ...r })) };
      const failedExtra = extra === 'fail' && extraColumns.length > 0;
      const failedDrift = drift === 'fail' && drifted;
      const parts = [summary(rows, invalidRows, byColumn, violations)];
      if (missingColumns.length > 0)
        parts.push(`missing from every row: ${quoted(missingColumns)}`);
      if (failedExtra) parts.push(`columns outside the schema: ${quoted(extraColumns)}`);
      if (drift !== 'ignore' && drifted)
        parts.push(`schema drift since the previous result: ${describeDrift(changes!)}`);
      const result: CheckResult = {
        passed: invalidRows === 0 && !failedExtra && !failedDrift,
        message: parts.join('; '),
        metadata,
      };
      return result;
    },
  );
}

function summary(
  rows: Rows,
  invalidRows: number,
  byColumn: Record<string, number>,
  sample: Violation[],
): string {
  if (rows.length === 0) return '0 rows: nothing to check, schema not observed';
  if (invalidRows === 0) return `${plural(rows.length, 'row')} match the schema`;
  const perColumn = Object.entries(byColumn)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c}: ${count(n)}`)
    .join(', ');
  const first = sample[0]!;
  return `${count(invalidRows)} of ${plural(rows.length, 'row')} break the schema (${perColumn}); first: row ${first.row} ${first.column} expected ${first.expected}, found ${first.found}`;
}

const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(', ');

function isZodObject(spec: unknown): spec is ZodObjectLike {
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof (spec as { safeParse?: unknown }).safeParse === 'function' &&
    typeof (spec as { shape?: unknown }).shape === 'object'
  );
}

function notAnObject(row: unknown): Violation | undefined {
  if (typeof row === 'object' && row !== null && !Array.isArray(row)) return undefined;
  return { row: -1, column: '(row)', expected: 'an object', found: typeName(row) };
}

function zodValidator(schema: ZodObjectLike): [string[], RowValidator] {
  return [
    Object.keys(schema.shape),
    (row, index, report) => {
      const problem = notAnObject(row);
      if (problem !== undefined) return report({ ...problem, row: index });
      const parsed = schema.safeParse(row);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) {
        const column = issue.path.length === 0 ? '(row)' : issue.path.map(String).join('.');
        const value = issue.path.reduce<unknown>(
          (v, key) => (v as Record<PropertyKey, unknown> | undefined)?.[key],
          row,
        );
        const expected =
          issue.code === 'invalid_type' && typeof issue.expected === 'string'
            ? issue.expected
            : issue.message;
        report({ row: index, column, expected, found: describeValue(value) });
      }
    },
  ];
}

function specValidator(spec: unknown, owner: string): [string[], RowValidator] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    invalid(owner, 'expected a column spec such as { station: "string" } or a zod object schema');
  }
  const columns = Object.entries(spec).map(([column, entry]) => {
    const { type, nullable } =
      typeof entry === 'string'
        ? { type: entry, nullable: false }
        : ((entry ?? {}) as { type?: unknown; nullable?: unknown });
    if (typeof type !== 'string' || !(COLUMN_TYPES as readonly string[]).includes(type)) {
      invalid(
        owner,
        `column '${column}' has type ${JSON.stringify(type)}`,
        didYouMean(String(type), COLUMN_TYPES) ?? `types are: ${COLUMN_TYPES.join(', ')}`,
      );
    }
    if (nullable !== undefined && typeof nullable !== 'boolean')
      invalid(owner, `column '${column}' nullable must be true or false`);
    return {
      column,
      type: type as ColumnType,
      nullable: nullable === true,
      matches: MATCHES[type as ColumnType],
    };
  });
  return [
    columns.map((c) => c.column),
    (row, index, report) => {
      const problem = notAnObject(row);
      if (problem !== undefined) return report({ ...problem, row: index });
      const record = row as Record<string, unknown>;
      for (const { column, type, nullable, matches } of columns) {
        const value = record[column];
        if (value === null || value === undefined) {
          if (!nullable) report({ row: index, column, expected: type, found: typeName(value) });
        } else if (!matches(value)) {
          report({
            row: index,
            column,
            expected: nullable ? `${type} or null` : type,
            found: describeValue(value),
          });
        }
      }
    },
  ];
}
