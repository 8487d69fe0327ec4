/**
 * @module execution/_checks
 * Evaluating an asset's checks on a value, with the history each check compares against.
 */
import type { CheckDefinition, CheckHistoryEntry } from '../definitions/index.js';
import { toCheckResult } from '../definitions/index.js';
import type { CheckRecord, EventLog } from '../storage/index.js';

/**
 * Each check's earlier results on `key`/`partition` (every partition when undefined: a
 * partition is compared with its neighbours), newest first, at most 20 per check.
 * Results on `exclude` (a data version being re-checked) are left out, so a re-evaluation is
 * compared with the data before it, not with itself.
 */
export async function checkHistory(
  eventLog: EventLog,
  key: string,
  partition: string | undefined,
  checks: readonly CheckDefinition[],
  exclude?: string,
): Promise<Map<string, CheckHistoryEntry[]>> {
  const history = new Map<string, CheckHistoryEntry[]>(checks.map((c) => [c.name, []]));
  if (checks.length === 0) return history;
  const events = await eventLog.events({
    assetKey: key,
    types: ['check:evaluated'],
    descending: true,
    limit: 20 * checks.length * 2,
  });
  for (const event of events) {
    if (event.type !== 'check:evaluated') continue;
    if (partition !== undefined && event.partition !== partition) continue;
    if (exclude !== undefined && event.dataVersion === exclude) continue;
    const entries = history.get(event.check.name);
    if (entries === undefined || entries.length >= 20) continue;
    entries.push({
      passed: event.check.passed,
      metadata: event.check.metadata,
      timestamp: event.timestamp,
      dataVersion: event.dataVersion,
    });
  }
  return history;
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
    reason: `blocking check ${first!.name} failed${first!.message ? `: ${first!.message}` : ''}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}`,
  };
}
