/**
 * Why one partition of a partitioned asset is in the state it is in: which upstream
 * partitions moved on since it read them (and in which run), its code version, its failure.
 */
import { PartitionSet } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import { shortVersion } from '../hash.js';
import type { EventLog, FreshnessOutcome, StoredEvent } from '../storage/index.js';
import {
  type AssetState,
  type AssetStatus,
  blockingCheckCause,
  type StaleCause,
  viewOf,
} from '../versioning/index.js';
import { unknownPartition } from './partitions.js';

export interface PartitionWhy {
  partition: string;
  status: AssetStatus;
  causes: StaleCause[];
  /**
   * The materialization consumers read for this partition, with its provenance (a
   * partitioned source: the observation that brought its current data version).
   */
  current: StoredEvent<'asset:materialized'> | StoredEvent<'asset:observed'> | undefined;
  /** How its own freshness policy stands (an asset with a policy per partition, and one for it). */
  freshness?: FreshnessOutcome;
}

/** How many changed upstream partitions a cause names before it only counts them. */
const NAMED = 5;

export async function explainPartition(
  graph: AssetGraph,
  eventLog: EventLog,
  state: AssetState,
  states: ReadonlyMap<string, AssetState>,
  partition: string,
): Promise<PartitionWhy> {
  const partitioned = state.partitions;
  if (partitioned === undefined) {
    throw new EnvironmentError('E_NOT_FOUND', `asset '${state.key}' is not partitioned`, {
      hint: `drop --partition: weir why ${state.key}`,
    });
  }
  const { space } = partitioned;
  const i = space.indexOf(partition);
  if (i < 0) throw unknownPartition(state.key, partition, space);
  const key = state.key;
  const status: AssetStatus = partitioned.failed.has(i)
    ? 'failed'
    : partitioned.missing.has(i)
      ? 'missing'
      : partitioned.stale.has(i)
        ? 'stale'
        : 'fresh';
  const causes: StaleCause[] = [];
  const failureId = partitioned.failureId[i]!;
  if (failureId > partitioned.materializationId[i]!) {
    const failure = (await eventLog.event(failureId)) as StoredEvent<'step:failed'> | undefined;
    const message = failure?.error.message ?? 'unknown error';
    causes.push({
      category: 'failed',
      key,
      eventId: failureId,
      runId: failure?.runId ?? '',
      error: message,
      reason: `last attempt failed in run ${failure?.runId ?? '?'}: ${message.split('\n', 1)[0]!.replace(/^asset '[^']*' failed: /, '')}`,
    });
  }
  if (partitioned.materializationId[i] === 0) {
    causes.push({
      category: 'missing',
      key,
      reason: `partition ${partition} was never materialized`,
    });
  } else {
    if (partitioned.blocked.has(i)) {
      const [record] = await eventLog.partitionRecords(key, [partition]);
      causes.push(
        blockingCheckCause(key, record) ?? {
          category: 'check',
          key,
          checks: [],
          eventId: partitioned.materializationId[i]!,
          reason:
            'its newest materialization failed a blocking check; consumers read the last one that passed',
        },
      );
    }
    if (partitioned.codeChanged.has(i)) {
      const from = partitioned.codeVersionAt(i);
      causes.push({
        category: 'code',
        key,
        from,
        to: state.codeVersion,
        reason: `code version changed (${shortVersion(from)} → ${shortVersion(state.codeVersion)})`,
      });
    }
    const node = graph.node(key);
    const single = PartitionSet.empty(space.size).add(i);
    for (const parent of node.parents) {
      const parentState = states.get(parent);
      if (parentState === undefined) continue;
      const view = viewOf(parentState);
      const mapping = graph.mappingOf(key, parent, view.space, space);
      const reads = mapping.upstreamFor(single, space, view.space).partitions;
      const asOf = partitioned.inputsAsOf[i]!;
      const changed = [...reads.indices()].filter((u) => view.changedAt[u]! > asOf);
      const label = (u: number) =>
        view.space.definition === undefined ? parent : `${parent}[${view.space.keyAt(u)}]`;
      if (changed.length > 0) {
        const newest = changed.reduce((a, b) => (view.changedAt[b]! > view.changedAt[a]! ? b : a));
        const event = await eventLog.event(view.changedAt[newest]!);
        const named = changed.slice(0, NAMED).map(label).join(', ');
        causes.push({
          category: 'data',
          key,
          dependency: parent,
          from: undefined,
          to: undefined,
          movedBy:
            event === undefined
              ? undefined
              : {
                  eventId: event.id,
                  type: event.type === 'asset:observed' ? 'observation' : 'materialization',
                  ...('runId' in event && event.runId !== undefined ? { runId: event.runId } : {}),
                  timestamp: event.timestamp,
                },
          reason: `input changed since it was read: ${named}${changed.length > NAMED ? ` and ${changed.length - NAMED} more` : ''}${event !== undefined && 'runId' in event && event.runId ? ` (newest in run ${event.runId})` : ''}`,
        });
        continue;
      }
      const notFresh = [...reads.intersect(view.notFresh).indices()];
      if (notFresh.length > 0) {
        causes.push({
          category: 'dependency',
          key,
          dependency: parent,
          dependencyStatus: 'stale',
          reason: `reads ${notFresh.slice(0, NAMED).map(label).join(', ')}${notFresh.length > NAMED ? ` and ${notFresh.length - NAMED} more` : ''}, stale or failed`,
        });
      }
    }
  }
  const usableId = partitioned.usableId[i]!;
  const current =
    usableId === 0
      ? undefined
      : ((await eventLog.event(usableId)) as
          | StoredEvent<'asset:materialized'>
          | StoredEvent<'asset:observed'>
          | undefined);
  const why: PartitionWhy = { partition, status, causes, current };
  const freshness = state.partitionFreshness?.get(partition);
  if (freshness !== undefined) why.freshness = freshness;
  return why;
}
