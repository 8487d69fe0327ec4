/**
 * @module definitions/conditions/facts
 * The leaves of automation conditions: facts about an asset's own partitions and about what
 * they read upstream. Each returns a new node; options are checked here.
 */
import { DefinitionError } from '../../errors.js';
import { cronProblem } from '../_cron.js';
import { parseDuration } from '../freshness.js';
import type {
  CronTickPassedCondition,
  LatestTimeWindowCondition,
  OwnFact,
  OwnFactCondition,
  UpstreamFact,
  UpstreamFactCondition,
  UpstreamsUpdatedSinceCronCondition,
} from './types.js';

/** Options of the upstream facts. */
export interface UpstreamOptions {
  /** Parents not to look at: asset definitions or keys. */
  ignore?: readonly (string | { readonly key: string })[];
}

function own(type: OwnFact, name: string, description: string): OwnFactCondition {
  return { kind: 'condition', type, name, description };
}

function upstream(
  type: UpstreamFact,
  name: string,
  description: string,
  options: UpstreamOptions | undefined,
): UpstreamFactCondition {
  const ignore = ignoredKeys(options, name);
  const ignoring = ignore.length === 0 ? '' : ` (ignoring ${ignore.join(', ')})`;
  return { kind: 'condition', type, name, description: description + ignoring, ignore };
}

function ignoredKeys(options: UpstreamOptions | undefined, name: string): string[] {
  const list = options?.ignore ?? [];
  if (!Array.isArray(list)) {
    throw new DefinitionError('E_DEFINITION', `${name}: ignore must be a list of assets or keys`);
  }
  return list.map((entry: unknown, i) => {
    const key = typeof entry === 'string' ? entry : (entry as { key?: unknown } | null)?.key;
    if (typeof key !== 'string' || key === '') {
      throw new DefinitionError('E_DEFINITION', `${name}: ignore[${i}] is not an asset or key`);
    }
    return key;
  });
}

/** The partition has no usable data: never materialized, or every materialization was blocked by a check. */
export function missing(): OwnFactCondition {
  return own('missing', 'missing', 'the partition has no usable data');
}

/** A queued or running run will materialize the partition. */
export function inProgress(): OwnFactCondition {
  return own(
    'in-progress',
    'in_progress',
    'a queued or running run will materialize the partition',
  );
}

/** The partition's newest attempt failed (its step failed, or a blocking check failed on it). */
export function failed(): OwnFactCondition {
  return own('failed', 'failed', "the partition's newest attempt failed");
}

/** The asset's freshness policy is violated (for the partitions the daemon says are overdue). */
export function overdue(): OwnFactCondition {
  return own('overdue', 'overdue', "the asset's freshness policy is violated");
}

/**
 * The partition was materialized with another code version than the asset's current one (its
 * code was edited since). Not part of `eager()`: add it where a code change should rerun.
 *
 * @example
 * automation: or(eager(), and(codeVersionChanged(), not(inProgress())))
 */
export function codeVersionChanged(): OwnFactCondition {
  return own(
    'code-version-changed',
    'code_version_changed',
    'materialized with another code version than the current one',
  );
}

/** The partition was materialized since the previous evaluation. */
export function newlyUpdated(): OwnFactCondition {
  return own('newly-updated', 'newly_updated', 'materialized since the previous evaluation');
}

/** The previous evaluation of this condition requested the partition. */
export function newlyRequested(): OwnFactCondition {
  return own('newly-requested', 'newly_requested', 'requested by the previous evaluation');
}

/** True at the first evaluation of the condition only (no memory yet). */
export function initialEvaluation(): OwnFactCondition {
  return own('initial-evaluation', 'initial_evaluation', 'the first evaluation of this condition');
}

/**
 * The partition is in the newest time window, or in a window ending at most `lookback`
 * before the newest one ends. Partitions that are not time windows always are.
 */
export function inLatestTimeWindow(lookback?: string | number): LatestTimeWindowCondition {
  let lookbackMs = 0;
  if (lookback !== undefined) {
    try {
      lookbackMs = parseDuration(lookback);
    } catch (error) {
      throw new DefinitionError('E_DEFINITION', `inLatestTimeWindow: ${(error as Error).message}`);
    }
  }
  return {
    kind: 'condition',
    type: 'in-latest-time-window',
    name: 'in_latest_time_window',
    description:
      lookbackMs === 0
        ? 'the partition is the newest time window (or not a time window)'
        : `the partition's window ends at most ${lookback} before the newest one's (or is not a time window)`,
    lookbackMs,
  };
}

/** A tick of the cron (in `timezone`, default UTC) passed since the previous evaluation. */
export function cronTickPassed(cron: string, timezone = 'UTC'): CronTickPassedCondition {
  checkCron(cron, timezone, 'cronTickPassed');
  return {
    kind: 'condition',
    type: 'cron-tick-passed',
    name: 'cron_tick_passed',
    description: `a tick of '${cron}' (${timezone}) passed since the previous evaluation`,
    cron,
    timezone,
  };
}

function checkCron(cron: string, timezone: string, what: string): void {
  const problem = cronProblem(cron, timezone);
  if (problem !== undefined) throw new DefinitionError('E_DEFINITION', `${what}: ${problem}`);
}

/** A parent partition it reads has usable data it has not read, or is requested in this evaluation. */
export function upstreamUpdated(options?: UpstreamOptions): UpstreamFactCondition {
  return upstream(
    'upstream-updated',
    'upstream_updated',
    'an upstream partition it reads has new data since it was materialized, or is requested now',
    options,
  );
}

/**
 * Like `upstreamUpdated`, for data that changed since the previous evaluation and after the
 * partition's newest attempt (so a step that failed in the run that brought the data is not
 * asked again for it); at the first evaluation, data it has not read; or requested now.
 */
export function upstreamNewlyUpdated(options?: UpstreamOptions): UpstreamFactCondition {
  return upstream(
    'upstream-newly-updated',
    'upstream_newly_updated',
    'an upstream partition it reads got new data since the previous evaluation, or is requested now',
    options,
  );
}

/** A parent partition it reads is being materialized (queued or running). */
export function upstreamInProgress(options?: UpstreamOptions): UpstreamFactCondition {
  return upstream(
    'upstream-in-progress',
    'upstream_in_progress',
    'an upstream partition it reads is in progress',
    options,
  );
}

/** A parent partition it reads failed its newest attempt and is not requested again now. */
export function upstreamFailing(options?: UpstreamOptions): UpstreamFactCondition {
  return upstream(
    'upstream-failing',
    'upstream_failing',
    'an upstream partition it reads failed its newest attempt',
    options,
  );
}

/** A parent partition it reads has its newest materialization blocked by a failed blocking check. */
export function upstreamCheckFailing(options?: UpstreamOptions): UpstreamFactCondition {
  return upstream(
    'upstream-check-failing',
    'upstream_check_failing',
    'a blocking check failed on an upstream partition it reads',
    options,
  );
}

/** A parent partition it reads has no usable data and is not requested in this evaluation. */
export function upstreamMissing(options?: UpstreamOptions): UpstreamFactCondition {
  return upstream(
    'upstream-missing',
    'upstream_missing',
    'an upstream partition it reads has no usable data',
    options,
  );
}

/** A parent partition it reads is requested in this same evaluation. */
export function upstreamRequested(options?: UpstreamOptions): UpstreamFactCondition {
  return upstream(
    'upstream-requested',
    'upstream_requested',
    'an upstream partition it reads is requested in this evaluation',
    options,
  );
}

/**
 * Every parent (not ignored) has a partition it reads updated since the newest tick of the
 * cron, or requested in this evaluation. A source counts as updated when it was observed with
 * a new version since the tick; ignore sources that rarely change.
 */
export function upstreamsUpdatedSinceCron(
  cron: string,
  timezone = 'UTC',
  options?: UpstreamOptions,
): UpstreamsUpdatedSinceCronCondition {
  checkCron(cron, timezone, 'upstreamsUpdatedSinceCron');
  const ignore = ignoredKeys(options, 'upstreams_updated_since_cron');
  const ignoring = ignore.length === 0 ? '' : ` (ignoring ${ignore.join(', ')})`;
  return {
    kind: 'condition',
    type: 'upstreams-updated-since-cron',
    name: 'upstreams_updated_since_cron',
    description: `every upstream it reads was updated since the latest tick of '${cron}' (${timezone})${ignoring}`,
    cron,
    timezone,
    ignore,
  };
}
