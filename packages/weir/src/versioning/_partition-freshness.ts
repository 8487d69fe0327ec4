/**
 * Freshness per partition: a partitioned asset (or source) whose definition gives each
 * partition its own policy (`freshness: { partitions }`). Each partition with a policy is
 * judged against its own last update; the asset as a whole is the most overdue of them.
 * Pure: the caller passes when each partition was last updated.
 */
import {
  evaluateFreshness,
  type FreshnessWords,
  type PartitionFreshnessOf,
  type PartitionSpace,
  partitionPolicyOrError,
} from '../definitions/index.js';
import { DefinitionError, InvariantError } from '../errors.js';
import type { FreshnessOutcome } from '../storage/index.js';

/** The freshness of each partition that has a policy, and of the asset as a whole. */
export interface PartitionFreshnessResult {
  /** The asset: its most overdue partition's outcome, its reason naming it (undefined: no partition has a policy). */
  asset: FreshnessOutcome | undefined;
  /** By partition key, in partition order: each partition with a policy. */
  partitions: Map<string, FreshnessOutcome>;
}

const SOURCE_WORDS: FreshnessWords = { updated: 'changed', never: 'never observed' };

/**
 * Judges each partition of `space` that `policyOf` gives a policy, at `now`.
 * `updatedAt(i)` is when partition `i` was last updated (undefined: never).
 */
export function judgePartitions(
  key: string,
  kind: 'asset' | 'source',
  policyOf: PartitionFreshnessOf,
  space: PartitionSpace,
  updatedAt: (index: number) => number | undefined,
  now: number,
): PartitionFreshnessResult {
  const partitions = new Map<string, FreshnessOutcome>();
  const words = kind === 'source' ? SOURCE_WORDS : {};
  for (let i = 0; i < space.size; i++) {
    const partition = space.keyAt(i);
    const policy = partitionPolicyOrError(policyOf, partition);
    if (policy === undefined) continue;
    if (policy instanceof DefinitionError) {
      // One partition's broken policy makes its freshness unknown, and only its own: the
      // other partitions are judged and every run goes on. The reason names the asset, the
      // partition and the error (the message says both), so status shows what to fix.
      partitions.set(partition, {
        status: 'unknown',
        overdueByMs: 0,
        reason: `freshness cannot be judged: ${policy.message}`,
      });
      continue;
    }
    const last = updatedAt(i);
    const evaluation = evaluateFreshness(policy, last, now, words);
    const outcome: FreshnessOutcome = {
      status: evaluation.status,
      overdueByMs: evaluation.overdueByMs,
      reason: evaluation.reason,
    };
    if (evaluation.deadline !== undefined) outcome.deadline = evaluation.deadline;
    if (last !== undefined) outcome.lastUpdatedAt = last;
    partitions.set(partition, outcome);
  }
  return { asset: assetFreshness(key, partitions), partitions };
}

/** Overdue beats unknown beats fresh. */
const RANK: Readonly<Record<FreshnessOutcome['status'], number>> = {
  overdue: 2,
  unknown: 1,
  fresh: 0,
};

/**
 * Whether `a` is worse than `b`: a worse status; between overdue ones, never updated (no
 * deadline) first, then the more overdue; otherwise the earlier deadline (the next one due).
 */
function worse(a: FreshnessOutcome, b: FreshnessOutcome): boolean {
  if (RANK[a.status] !== RANK[b.status]) return RANK[a.status] > RANK[b.status];
  if (a.status === 'overdue') {
    if ((a.deadline === undefined) !== (b.deadline === undefined)) return a.deadline === undefined;
    return a.overdueByMs > b.overdueByMs;
  }
  return (a.deadline ?? Number.POSITIVE_INFINITY) < (b.deadline ?? Number.POSITIVE_INFINITY);
}

/** How many partitions are named in a reason before they are only counted. */
const NAMED = 3;

/**
 * The asset's freshness from its partitions': the worst partition's outcome (status,
 * deadline, last update), overdue by the most any partition is, with a reason naming it and
 * counting the overdue ones. Undefined when no partition has a policy.
 */
export function assetFreshness(
  key: string,
  partitions: ReadonlyMap<string, FreshnessOutcome>,
): FreshnessOutcome | undefined {
  let worst: [string, FreshnessOutcome] | undefined;
  const overdue: string[] = [];
  let overdueByMs = 0;
  let deadline: number | undefined;
  for (const entry of partitions) {
    const [partition, outcome] = entry;
    if (worst === undefined || worse(outcome, worst[1])) worst = entry;
    if (outcome.status === 'overdue') {
      overdue.push(partition);
      overdueByMs = Math.max(overdueByMs, outcome.overdueByMs);
    } else if (
      outcome.deadline !== undefined &&
      (deadline === undefined || outcome.deadline < deadline)
    ) {
      deadline = outcome.deadline;
    }
  }
  if (worst === undefined) return undefined;
  const [partition, outcome] = worst;
  const total = `${partitions.size} partition${partitions.size === 1 ? '' : 's'}`;
  let reason: string;
  if (outcome.status === 'overdue') {
    const named = overdue.slice(0, NAMED).join(', ');
    const more = overdue.length > NAMED ? `, +${overdue.length - NAMED} more` : '';
    reason = `${key}[${partition}] ${outcome.reason} (${overdue.length} of ${total} overdue: ${named}${more})`;
  } else if (outcome.status === 'unknown') {
    reason = `${key}[${partition}] ${outcome.reason} (none of ${total} overdue)`;
  } else {
    reason = `${key}[${partition}] is due first: ${outcome.reason} (${total}, all on time)`;
  }
  const result: FreshnessOutcome = {
    status: outcome.status,
    overdueByMs: outcome.status === 'overdue' ? overdueByMs : 0,
    reason,
  };
  // Overdue: when the worst partition became overdue; otherwise when the first one will.
  const due = outcome.status === 'overdue' ? outcome.deadline : deadline;
  if (due !== undefined) result.deadline = due;
  if (outcome.lastUpdatedAt !== undefined) result.lastUpdatedAt = outcome.lastUpdatedAt;
  return result;
}

/** When partition `i` was last updated, from `times` (`NaN`: never, or not read). */
export function updateTimesOf(
  key: string,
  times: Float64Array | undefined,
  size: number,
): (index: number) => number | undefined {
  if (times === undefined || times.length < size) {
    throw new InvariantError(
      `the update times of ${key}'s partitions were not read, yet it has a freshness policy per partition`,
    );
  }
  return (i) => {
    const at = times[i]!;
    return Number.isNaN(at) ? undefined : at;
  };
}
