/**
 * @module pipes/reported-check
 * Checks whose result a Python script reports (`ctx.report_check(name, passed, …)`).
 *
 * A Weir check is declared on its asset and evaluated by Weir right after the step, before
 * the materialization is recorded; the core has no way for a step to hand it a result. So a
 * reported check is declared like any other (`checks: [reportedCheck('no_gaps')]`: it is a
 * contract, listed, blocking if it is an error) and its `evaluate` returns what the script
 * reported in the step that just ran in this process.
 */
import { check } from 'weir';

// The weir package exports check() but not these types of it (yet): derived from check().
/** A check definition, as `check()` returns it. */
export type CheckDefinition = ReturnType<typeof check<unknown>>;
/** What a check concluded: passed, a message, metadata. */
export type CheckResult = Exclude<Awaited<ReturnType<CheckDefinition['evaluate']>>, boolean>;
type CheckSeverity = NonNullable<Parameters<typeof check>[0]['severity']>;

export interface ReportedCheckOptions {
  description?: string;
  /** Default `error`. */
  severity?: CheckSeverity;
  /** Whether a failure stops the downstream; default: `severity === 'error'`. */
  blocking?: boolean;
}

/** The checks each step reported, by asset key and partition, until the next step of that slot. */
const reported = new Map<string, ReadonlyMap<string, CheckResult>>();

/** A step that reported no check (one shared map, so many partitions cost little). */
const NONE: ReadonlyMap<string, CheckResult> = new Map();

const slot = (assetKey: string, partition: string | undefined) => `${assetKey}\0${partition ?? ''}`;

/** A step of `assetKey` (and partition) starts: what an earlier step reported no longer holds. */
export function forgetReported(assetKey: string, partition: string | undefined): void {
  reported.delete(slot(assetKey, partition));
}

/** A step ended with an output: its reported checks are what its checks evaluate to. */
export function keepReported(
  assetKey: string,
  partition: string | undefined,
  results: ReadonlyMap<string, CheckResult>,
): void {
  reported.set(slot(assetKey, partition), results.size === 0 ? NONE : new Map(results));
}

/**
 * A check the asset's Python script reports with `ctx.report_check(name, passed, message=…,
 * metadata=…)`. It fails when the script did not report it. `weir check` cannot re-run the
 * script, so re-evaluating it outside the step fails with a message saying so: rematerialize
 * the asset instead.
 *
 * @example
 * asset({
 *   key: 'ml/forecast',
 *   ins: { windows },
 *   checks: [reportedCheck('nse_above_persistence'), reportedCheck('no_nan', { severity: 'warn' })],
 *   materialize: pythonStep({ script: 'forecast.py' }),
 * });
 */
export function reportedCheck(name: string, options: ReportedCheckOptions = {}): CheckDefinition {
  return check<unknown>({
    name,
    ...options,
    evaluate: (ctx) => {
      const results = reported.get(slot(ctx.assetKey, ctx.partition));
      if (results === undefined) {
        throw new Error(
          `'${name}' is reported by the asset's Python script as it runs and cannot be evaluated without it: rematerialize ${ctx.assetKey}${ctx.partition === undefined ? '' : `[${ctx.partition}]`} (weir materialize --force)`,
        );
      }
      return (
        results.get(name) ?? {
          passed: false,
          message: `the Python script did not report check '${name}' (call ctx.report_check("${name}", passed, message=...))`,
        }
      );
    },
  });
}
