/**
 * @module check
 * Asset checks: contracts evaluated on a materialized value. This file holds the pure
 * definition; running checks after a materialization and recording their results is the
 * execution layer's job.
 */
import { DefinitionError, didYouMean } from '../errors.js';
import type { Metadata } from './metadata.js';
import { jsonProblem } from './metadata.js';
import { optionKeys } from './option-keys.js';

/** `error` checks block downstream by default; `warn` checks only record. */
export type CheckSeverity = 'error' | 'warn';

/** What a check concluded. `metadata` is recorded with the result (counts, samples, observed schema). */
export interface CheckResult {
  passed: boolean;
  message?: string;
  metadata?: Metadata;
}

/** What a check saw before: its own previous results on this asset, newest first, and previous materializations' metadata. */
export interface CheckHistoryEntry {
  passed: boolean;
  metadata: Metadata;
  timestamp: number;
  dataVersion: string;
}

export interface CheckContext {
  readonly assetKey: string;
  readonly partition: string | undefined;
  /** This check's earlier results on this asset (same partition), newest first, at most 20. */
  readonly previousResults: readonly CheckHistoryEntry[];
}

/** What `evaluate` may return: a boolean (passed or not) or a full result. */
export type CheckOutcome = CheckResult | boolean;

export interface CheckDefinition<T = unknown> {
  readonly kind: 'check';
  /** `[A-Za-z0-9_][A-Za-z0-9_.-]*`, unique per asset. */
  readonly name: string;
  readonly description: string | undefined;
  /** Default `error`. */
  readonly severity: CheckSeverity;
  /** Whether a failure stops downstream; default: `severity === 'error'`. */
  readonly blocking: boolean;
  /** Which earlier results `previousResults` holds on a partitioned asset (default `'asset'`). */
  readonly history: CheckHistoryScope;
  /*
   * A method, so its parameter is checked bivariantly: where TypeScript cannot infer an
   * asset's value type before it reads `checks` (a `materialize(ctx)` written after them),
   * typed checks are still accepted, while a check of another type still is not when the
   * type is known.
   */
  evaluate(ctx: CheckContext, value: T): CheckOutcome | Promise<CheckOutcome>;
}

/**
 * On a partitioned asset, whose earlier results a check compares with: `'asset'`, every
 * partition's (a day with the days before it); `'partition'`, its own partition's only (one
 * partition per agency, each with its own layout and size).
 */
export type CheckHistoryScope = 'asset' | 'partition';

export interface CheckSpec<T = unknown> {
  name: string;
  description?: string;
  severity?: CheckSeverity;
  blocking?: boolean;
  /** Default `'asset'`; see `CheckHistoryScope`. */
  history?: CheckHistoryScope;
  evaluate: (ctx: CheckContext, value: T) => CheckOutcome | Promise<CheckOutcome>;
}

const CHECK_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const SPEC_KEYS = optionKeys<CheckSpec>({
  name: true,
  description: true,
  severity: true,
  blocking: true,
  history: true,
  evaluate: true,
});

/**
 * Declares a check on an asset's value. A failed `error` check is blocking unless
 * `blocking: false`; a `warn` check never blocks unless `blocking: true`.
 *
 * @example
 * const positiveStage = check<Reading[]>({
 *   name: 'stage_not_negative',
 *   severity: 'error',
 *   evaluate: (_ctx, readings) => {
 *     const bad = readings.filter((r) => r.stageM < 0).length;
 *     return { passed: bad === 0, message: `${bad} negative stages`, metadata: { bad } };
 *   },
 * });
 */
export function check<T = unknown>(spec: CheckSpec<T>): CheckDefinition<T> {
  if (typeof spec !== 'object' || spec === null) {
    throw new DefinitionError('E_DEFINITION', 'check() needs a spec object { name, evaluate }');
  }
  const name: unknown = spec.name;
  const owner = `check '${String(name)}'`;
  if (typeof name !== 'string' || !CHECK_NAME.test(name)) {
    throw new DefinitionError(
      'E_DEFINITION',
      `check has an invalid name ${JSON.stringify(name)}: a name starts with a letter, digit or '_' and contains only letters, digits, '_', '.' and '-'`,
    );
  }
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.includes(key)) {
      throw new DefinitionError('E_DEFINITION', `${owner} has an unknown option '${key}'`, {
        hint: didYouMean(key, SPEC_KEYS) ?? `options are: ${SPEC_KEYS.join(', ')}`,
      });
    }
  }
  if (typeof spec.evaluate !== 'function') {
    throw new DefinitionError('E_DEFINITION', `${owner} needs an evaluate(ctx, value) function`);
  }
  if (spec.description !== undefined && typeof spec.description !== 'string') {
    throw new DefinitionError('E_DEFINITION', `${owner} description must be a string`);
  }
  const severity: unknown = spec.severity ?? 'error';
  if (severity !== 'error' && severity !== 'warn') {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has severity ${JSON.stringify(severity)}; use 'error' or 'warn'`,
    );
  }
  if (spec.blocking !== undefined && typeof spec.blocking !== 'boolean') {
    throw new DefinitionError('E_DEFINITION', `${owner} blocking must be true or false`);
  }
  const history: unknown = spec.history ?? 'asset';
  if (history !== 'asset' && history !== 'partition') {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has history ${JSON.stringify(history)}; use 'asset' (every partition's results) or 'partition' (its own partition's)`,
    );
  }
  return {
    kind: 'check',
    name,
    description: spec.description,
    severity,
    blocking: spec.blocking ?? severity === 'error',
    history,
    evaluate: spec.evaluate,
  };
}

/** Whether `value` is a check definition (structural, so definitions from another copy of Weir count). */
export function isCheck(value: unknown): value is CheckDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'check' &&
    typeof (value as { evaluate?: unknown }).evaluate === 'function'
  );
}

/**
 * Normalises what `evaluate` returned (boolean or result), throwing a clear TypeError on anything else.
 *
 * @example
 * toCheckResult(true, 'schema'); // { passed: true }
 * toCheckResult({ passed: false, message: '3 bad rows' }, 'schema');
 */
export function toCheckResult(returned: unknown, checkName: string): CheckResult {
  if (typeof returned === 'boolean') return { passed: returned };
  const problem = resultProblem(returned);
  if (problem !== undefined) {
    throw new TypeError(
      `check '${checkName}' returned ${preview(returned)}: ${problem}; evaluate must return true/false or { passed: boolean, message?: string, metadata?: object }`,
    );
  }
  const result = returned as CheckResult;
  const normalized: CheckResult = { passed: result.passed };
  if (result.message !== undefined) normalized.message = result.message;
  if (result.metadata !== undefined) normalized.metadata = result.metadata;
  return normalized;
}

function resultProblem(returned: unknown): string | undefined {
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    return 'not a boolean or a result object';
  }
  const { passed, message, metadata } = returned as Record<string, unknown>;
  if (typeof passed !== 'boolean') return '`passed` is not a boolean';
  if (message !== undefined && typeof message !== 'string') return '`message` is not a string';
  if (
    metadata !== undefined &&
    (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
  ) {
    return '`metadata` is not an object';
  }
  const problem = jsonProblem(metadata);
  if (problem !== undefined) return `\`metadata\` is not JSON (${problem})`;
  return undefined;
}

function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
