/**
 * How an asset's freshness policy stands, as the event log records it.
 */
import { evaluateFreshness, type FreshnessPolicy } from '../definitions/index.js';
import type { FreshnessOutcome } from '../storage/index.js';

/** The policy's evaluation at `now` for data last updated at `lastUpdatedAt`. */
export function freshnessOf(
  policy: FreshnessPolicy | undefined,
  lastUpdatedAt: number | undefined,
  now: number,
): FreshnessOutcome | undefined {
  if (policy === undefined) return undefined;
  const evaluation = evaluateFreshness(policy, lastUpdatedAt, now);
  const outcome: FreshnessOutcome = {
    status: evaluation.status,
    overdueByMs: evaluation.overdueByMs,
    reason: evaluation.reason,
  };
  if (evaluation.deadline !== undefined) outcome.deadline = evaluation.deadline;
  if (lastUpdatedAt !== undefined) outcome.lastUpdatedAt = lastUpdatedAt;
  return outcome;
}
