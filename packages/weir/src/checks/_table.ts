/**
 * @module checks/_table
 * Helpers shared by the built-in checks on tabular values (arrays of row objects):
 * option validation, cell access, and value descriptions a person can read.
 */
import {
  type CheckContext,
  type CheckDefinition,
  type CheckHistoryScope,
  type CheckResult,
  type CheckSeverity,
  type CheckSpec,
  check,
  type JsonValue,
  optionKeys,
} from '../definitions/index.js';
import { DefinitionError, didYouMean } from '../errors.js';

/** A table: an array of row objects, as the default `json` format stores it. */
export type Rows = readonly Record<string, unknown>[];

/**
 * What every built-in check returns. It accepts any array of objects, so it fits an asset
 * whose rows are an interface type (interfaces are not assignable to `Record<string, unknown>`).
 */
export type TabularCheck = CheckDefinition<readonly object[]>;

/** Options every built-in check takes, passed on to `check()`. */
export interface BuiltinCheckOptions {
  /** Overrides the default name (e.g. to put two checks of one kind on an asset). */
  name?: string;
  description?: string;
  severity?: CheckSeverity;
  blocking?: boolean;
  /** On a partitioned asset, compare with every partition's results (default) or its own only. */
  history?: CheckHistoryScope;
}

const COMMON_OPTIONS = optionKeys<BuiltinCheckOptions>({
  name: true,
  description: true,
  severity: true,
  blocking: true,
  history: true,
});

/** The options a built-in check adds to the common ones, by name (from its options type). */
export type OwnOptions<T extends BuiltinCheckOptions> = {
  readonly [K in Exclude<keyof T, keyof BuiltinCheckOptions>]-?: true;
};

export const ownOptions = <T extends BuiltinCheckOptions>(keys: OwnOptions<T>): string[] =>
  Object.keys(keys);

/** Throws a DefinitionError naming `owner` (e.g. `boundsCheck('stage_m')`). */
export function invalid(owner: string, why: string, hint?: string): never {
  throw new DefinitionError('E_DEFINITION', `${owner}: ${why}`, hint === undefined ? {} : { hint });
}

/** Builds a built-in check: validates option names, and fails clearly on a value that is not a table. */
export function tabularCheck(
  owner: string,
  defaultName: string,
  options: object | undefined,
  ownOptions: readonly string[],
  evaluate: (ctx: CheckContext, rows: Rows) => CheckResult,
): TabularCheck {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    invalid(owner, 'options must be an object');
  }
  const given = (options ?? {}) as BuiltinCheckOptions & Record<string, unknown>;
  const allowed = [...ownOptions, ...COMMON_OPTIONS];
  for (const key of Object.keys(given)) {
    if (!allowed.includes(key)) {
      invalid(
        owner,
        `unknown option '${key}'`,
        didYouMean(key, allowed) ?? `options are: ${allowed.join(', ')}`,
      );
    }
  }
  const spec: CheckSpec<readonly object[]> = {
    name: given.name ?? defaultName,
    evaluate: (ctx, value) => {
      if (!Array.isArray(value)) {
        return {
          passed: false,
          message: `expected a table (an array of row objects), got ${typeName(value)}`,
          metadata: { found: typeName(value) },
        };
      }
      return evaluate(ctx, value as Rows);
    },
  };
  if (given.description !== undefined) spec.description = given.description;
  if (given.severity !== undefined) spec.severity = given.severity;
  if (given.blocking !== undefined) spec.blocking = given.blocking;
  if (given.history !== undefined) spec.history = given.history;
  return check(spec);
}

/** One column name or several, as a non-empty list without repeats. */
export function columnList(columns: unknown, owner: string): string[] {
  const list = typeof columns === 'string' ? [columns] : columns;
  if (!Array.isArray(list) || list.length === 0) {
    return invalid(owner, 'name a column, or a non-empty array of columns');
  }
  const seen = new Set<string>();
  for (const column of list) {
    if (typeof column !== 'string' || column === '')
      invalid(owner, 'column names must be non-empty strings');
    if (seen.has(column)) invalid(owner, `column '${column}' is listed twice`);
    seen.add(column);
  }
  return list as string[];
}

/** A default check name from a prefix and column names, kept to the allowed characters. */
export function defaultCheckName(prefix: string, columns: readonly string[]): string {
  return `${prefix}_${columns.join('_')}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The value of `column` in `row`; rows that are not objects have no columns. */
export function cell(row: unknown, column: string): unknown {
  return typeof row === 'object' && row !== null
    ? (row as Record<string, unknown>)[column]
    : undefined;
}

/** A short type name for messages: `missing`, `null`, `NaN`, `string`, `array`… */
export function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'Date';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

/** A type and, for scalars, the value: `string "n/a"`, `number -0.4`, `null`. */
export function describeValue(value: unknown): string {
  const name = typeName(value);
  if (typeof value === 'string') return `string ${JSON.stringify(truncate(value, 40))}`;
  if (typeof value === 'number' && Number.isFinite(value)) return `number ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  return name;
}

/** Any cell as JSON metadata: undefined → null, NaN → "NaN", Date → ISO, long strings cut. */
export function jsonSafe(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return truncate(value, 200);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 200 ? truncate(text, 200) : (JSON.parse(text) as JsonValue);
  } catch {
    return String(value);
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `1,204` */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 row`, `3 rows` */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

/** `rows 3, 17, 40` or `rows 3, 17, 40, …` when there are more than shown. */
export function rowList(indexes: readonly number[], total: number): string {
  const more = total > indexes.length ? ', …' : '';
  return `${indexes.length === 1 && total === 1 ? 'row' : 'rows'} ${indexes.join(', ')}${more}`;
}

/** At most this many sample rows or keys are kept in metadata. */
export const SAMPLE_LIMIT = 10;
