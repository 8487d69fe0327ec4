/**
 * @module definitions/conditions/compositions
 * The named conditions most assets use, each a composition of leaves (as in Dagster):
 * `eager()`, `onCron()`, `onMissing()`, `onOverdue()`; and `without()` to drop a part.
 */
import { DefinitionError } from '../../errors.js';
import { stableStringify } from '../../hash.js';
import {
  cronTickPassed,
  inLatestTimeWindow,
  inProgress,
  missing,
  newlyRequested,
  newlyUpdated,
  overdue,
  type UpstreamOptions,
  upstreamFailing,
  upstreamInProgress,
  upstreamMissing,
  upstreamNewlyUpdated,
  upstreamsUpdatedSinceCron,
  upstreamUpdated,
} from './facts.js';
import { and, named, newlyTrue, not, or, since } from './operators.js';
import { type AndCondition, type AutomationCondition, childrenOf } from './types.js';

/** Requested at most once per trigger: until this condition requests the partition. */
function onceUntilRequested(trigger: AutomationCondition): AutomationCondition {
  return named(
    since(trigger, newlyRequested()),
    'not_yet_handled',
    `${trigger.name}, and not requested since`,
  );
}

/**
 * Keep the asset current as data arrives: a partition is requested when an upstream partition
 * it reads gets new usable data (or is requested in the same evaluation, so a change flows down
 * several levels in one run), or when the newest time window is newly missing; once per such
 * change, and not while it or an upstream partition it reads is in progress, failing or
 * missing. History that was never materialized is not backfilled by itself: use `weir backfill`.
 *
 * @example
 * const dailyPeaks = asset({ key: 'gauges/daily_peaks', ins: { readings }, automation: eager(), materialize: … });
 */
export function eager(): AndCondition {
  return named(
    and(
      onceUntilRequested(
        or(
          upstreamNewlyUpdated(),
          // What it read moved without new data upstream (a partition it read was removed).
          newlyTrue(upstreamUpdated()),
          and(newlyTrue(missing()), inLatestTimeWindow()),
        ),
      ),
      or(missing(), upstreamUpdated()),
      not(upstreamMissing()),
      not(upstreamInProgress()),
      not(upstreamFailing()),
      not(inProgress()),
    ),
    'eager',
    'an upstream partition it reads has new data (or the newest window is missing), and nothing it reads is in progress, failing or missing',
  );
}

/**
 * Once per tick of `cron` (in `timezone`, default UTC), for the newest time window, as soon as
 * every upstream it reads was updated since the tick (or is requested in the same evaluation).
 * `ignore` leaves parents out of that wait, e.g. a source that rarely changes.
 *
 * @example
 * automation: onCron('0 6 * * *', 'Europe/Berlin', { ignore: [stationList] })
 */
export function onCron(cron: string, timezone = 'UTC', options?: UpstreamOptions): AndCondition {
  return named(
    and(
      inLatestTimeWindow(),
      named(
        since(cronTickPassed(cron, timezone), or(newlyRequested(), newlyUpdated())),
        'tick_not_yet_handled',
        `a tick of '${cron}' (${timezone}) passed, and the partition was neither requested nor materialized since`,
      ),
      upstreamsUpdatedSinceCron(cron, timezone, options),
      not(inProgress()),
    ),
    'on_cron',
    `once per tick of '${cron}' (${timezone}), after every upstream it reads was updated since the tick`,
  );
}

/**
 * Materialize partitions that become missing (a new dynamic key, a newly ended time window),
 * once, as soon as what they read exists and nothing they read is in progress.
 *
 * @example
 * automation: onMissing()
 */
export function onMissing(): AndCondition {
  return named(
    and(
      inLatestTimeWindow(),
      named(
        since(newlyTrue(missing()), or(newlyRequested(), newlyUpdated())),
        'missing_not_yet_handled',
        'the partition became missing, and was neither requested nor materialized since',
      ),
      missing(),
      not(upstreamMissing()),
      not(upstreamInProgress()),
      not(inProgress()),
    ),
    'on_missing',
    'the newest partition became missing, and what it reads exists and is not in progress',
  );
}

/**
 * Materialize when the asset's freshness policy becomes violated, once per violation, when
 * nothing it reads is in progress or failing.
 *
 * @example
 * asset({ key: 'forecast/latest', freshness: { maxLag: '1h' }, automation: onOverdue(), … })
 */
export function onOverdue(): AndCondition {
  return named(
    and(
      named(
        since(newlyTrue(overdue()), or(newlyRequested(), newlyUpdated())),
        'overdue_not_yet_handled',
        'the asset became overdue, and the partition was neither requested nor materialized since',
      ),
      overdue(),
      not(upstreamInProgress()),
      not(upstreamFailing()),
      not(inProgress()),
    ),
    'on_overdue',
    'its freshness policy became violated, and nothing it reads is in progress or failing',
  );
}

/**
 * `condition` without the operands of its top `and`/`or` equal to one of `parts`
 * (compared as data), keeping its name and description.
 *
 * @example
 * without(eager(), not(upstreamMissing())) // eager, even when something it reads is missing
 */
export function without<C extends AutomationCondition>(
  condition: C,
  ...parts: AutomationCondition[]
): C {
  if (condition.type !== 'and' && condition.type !== 'or') {
    throw new DefinitionError(
      'E_DEFINITION',
      `without() needs an and/or condition, got '${condition.name}'`,
    );
  }
  const drop = new Set(parts.map((part) => stableStringify(part)));
  const kept = condition.operands.filter((c) => !drop.has(stableStringify(c)));
  if (kept.length === condition.operands.length) {
    throw new DefinitionError(
      'E_DEFINITION',
      `without(): '${condition.name}' has no operand equal to ${parts.map((p) => `'${p.name}'`).join(', ')}`,
      { hint: `its operands are ${condition.operands.map((c) => `'${c.name}'`).join(', ')}` },
    );
  }
  if (kept.length === 0)
    throw new DefinitionError('E_DEFINITION', 'without() removed every operand');
  return { ...condition, operands: kept };
}

/**
 * One line for a tree: a named composition by its name, operators with their operands.
 *
 * @example
 * formatCondition(and(missing(), not(inProgress()))); // 'and(missing, not(in_progress))'
 */
export function formatCondition(condition: AutomationCondition): string {
  const operator = OPERATORS[condition.type];
  if (operator === undefined || !isDefaultName(condition)) return condition.name;
  return `${operator}(${childrenOf(condition).map(formatCondition).join(', ')})`;
}

const OPERATORS: Readonly<Record<string, string>> = {
  and: 'and',
  or: 'or',
  not: 'not',
  since: 'since',
  'newly-true': 'newly_true',
};

function isDefaultName(condition: AutomationCondition): boolean {
  const [first, second] = childrenOf(condition);
  switch (condition.type) {
    case 'not':
      return condition.name === `not_${first!.name}`;
    case 'newly-true':
      return condition.name === `newly_${first!.name}`;
    case 'since':
      return condition.name === `${first!.name}_since_${second!.name}`;
    default:
      return condition.name === condition.type;
  }
}
