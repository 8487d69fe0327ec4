/**
 * @module execution/_checks
 * Evaluating an asset's checks on a value, with the history each check compares against.
 */
import type { CheckDefinition, CheckHistoryEntry } from '../definitions/index.js';
import { toCheckResult } from '../definitions/index.js';
import type { CheckRecord, EventLog, StoredEvent } from '../storage/index.js';

/** Results kept per check. */
const HISTORY = 20;

/**
 * Each check's earlier results on `key`: on its partition, or on a partitioned asset every
 * partition's unless the check's `history` is `'partition'` (a day is compared with the days
 * before it, an agency only with itself), newest first, at most HISTORY per check, on
 * accepted data only: results about a materialization that a blocking check rejected (and no
 * later re-check cleared) are left out, so drift and volume are compared with data consumers
 * were allowed to read, not with a rejected version. Results on `exclude` (a data version
 * being re-checked) are left out too, so a re-evaluation is compared with the data before it.
 */
export async function checkHistory(
  eventLog: EventLog,
  key: string,
  scope: { partition: string; partitioned: boolean },
  checks: readonly CheckDefinition[],
  exclude?: string,
): Promise<Map<string, CheckHistoryEntry[]>> {
  const history = new Map<string, CheckHistoryEntry[]>(checks.map((c) => [c.name, []]));
  if (checks.length === 0) return history;
  const ownOnly = new Set(checks.filter((c) => c.history === 'partition').map((c) => c.name));
  const full = () => [...history.values()].every((entries) => entries.length >= HISTORY);
  // Newest first, so the first result seen of a (materialization, check) is its newest.
  const newest = new Map<string, StoredEvent<'check:evaluated'>>();
  let afterId: number | undefined;
  // Enough for every history when nothing was rejected; more pages, each twice as long, if not.
  for (let limit = 2 * HISTORY * checks.length; ; limit *= 2) {
    const page = await eventLog.events({
      assetKey: key,
      types: ['check:evaluated'],
      descending: true,
      limit,
      ...(afterId === undefined ? {} : { afterId }),
    });
    for (const event of page) {
      if (event.type !== 'check:evaluated') continue;
      const own = event.partition === scope.partition;
      if (!own && (!scope.partitioned || ownOnly.has(event.check.name))) continue;
      const id = `${event.partition}\0${event.materializationId}\0${event.check.name}`;
      if (!newest.has(id)) newest.set(id, event);
    }
    fill(history, newest, exclude);
    if (page.length < limit || full()) return history;
    afterId = page[page.length - 1]!.id;
  }
}

/** Fills `history` from the newest results per (materialization, check), accepted data only. */
function fill(
  history: Map<string, CheckHistoryEntry[]>,
  newest: ReadonlyMap<string, StoredEvent<'check:evaluated'>>,
  exclude: string | undefined,
): void {
  const rejected = new Set<string>();
  for (const event of newest.values()) {
    if (event.check.blocking && !event.check.passed) {
      rejected.add(`${event.partition}\0${event.materializationId}`);
    }
  }
  for (const entries of history.values()) entries.length = 0;
  const events = [...newest.values()].sort((a, b) => b.id - a.id);
  for (const event of events) {
    if (rejected.has(`${event.partition}\0${event.materializationId}`)) continue;
    if (exclude !== undefined && event.dataVersion === exclude) continue;
    const entries = history.get(event.check.name);
    if (entries === undefined || entries.length >= HISTORY) continue;
    entries.push({
      passed: event.check.passed,
      metadata: event.check.metadata,
      timestamp: event.timestamp,
      dataVersion: event.dataVersion,
    });
  }
}

/**
 * Evaluates `checks` on a value. A check that throws fails (with the error as its message):
 * a contract that cannot be evaluated is not a contract that holds.
 */
export async function evaluateChecks(
  checks: readonly CheckDefinition[],
  value: unknown,
  context: {
    assetKey: string;
    partition: string | undefined;
    history: Map<string, CheckHistoryEntry[]>;
  },
): Promise<CheckRecord[]> {
  const outcomes: CheckRecord[] = [];
  for (const definition of checks) {
    const base = {
      name: definition.name,
      severity: definition.severity,
      blocking: definition.blocking,
    };
    try {
      const returned = await definition.evaluate(
        {
          assetKey: context.assetKey,
          partition: context.partition,
          previousResults: context.history.get(definition.name) ?? [],
        },
        value,
      );
      const result = toCheckResult(returned, definition.name);
      const outcome: CheckRecord = {
        ...base,
        passed: result.passed,
        metadata: result.metadata ?? {},
      };
      if (result.message !== undefined) outcome.message = result.message;
      outcomes.push(outcome);
    } catch (error) {
      outcomes.push({
        ...base,
        passed: false,
        message: `the check threw: ${(error as Error)?.message ?? String(error)}`,
        metadata: {},
      });
    }
  }
  return outcomes;
}

/** The blocking checks that failed, and a one-line reason naming the first. */
export function blockingFailures(
  outcomes: readonly CheckRecord[],
): { names: string[]; reason: string } | undefined {
  const failed = outcomes.filter((o) => o.blocking && !o.passed);
  if (failed.length === 0) return undefined;
  const [first] = failed;
  return {
    names: failed.map((o) => o.name),
    reason: `blocking check ${first!.name} failed${first!.message ? `: ${first!.message}` : ''}${
      failed.length > 1
        ? ` (also failed: ${failed
            .slice(1)
            .map((o) => o.name)
            .join(', ')})`
        : ''
    }`,
  };
}
