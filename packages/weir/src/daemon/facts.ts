/**
 * @module daemon/facts
 * The facts the daemon gives the condition engine (`AssetFacts`, `ParentFacts` in
 * automation/facts.ts), from an instance's recorded state. State comes from `readState`, the
 * read path `weir status` uses, so what the daemon calls missing, failed, blocked or moved is
 * what status calls so. Everything is read before the facts are returned: the engine asks
 * them synchronously, and they must not change during an evaluation.
 */
import type { AssetFacts, DataChange, ParentFacts } from '../automation/index.js';
import type { AutomationCondition } from '../definitions/index.js';
import { PartitionSet } from '../definitions/index.js';
import { InvariantError } from '../errors.js';
import { type Instance, readState } from '../execution/index.js';
import { type AssetGraph, readsLastGood } from '../graph/index.js';
import { changedSinceAttempt } from '../versioning/index.js';
import { type ChangeEvent, changeEventsOf, inProgressOf, newestEventId } from './_facts-events.js';
import { type Ledger, ledgerOf } from './_facts-ledger.js';

export interface FactsOptions {
  /** From `graphOf(project)` / `buildAssetGraph`. */
  graph: AssetGraph;
  instance: Instance;
  /** Epoch ms; the engine has no clock. */
  now: number;
  /** Partitions of each asset that a queued or running run will materialize (the daemon knows); leases held are added. */
  inProgress?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Only these assets (and what their facts need: everything upstream) — default every asset. */
  keys?: Iterable<string>;
  /**
   * What caused a data change, as a person reads it, for `DataChange.trigger`: the run's
   * trigger, or who recorded an observation (a sensor, and the file it saw).
   */
  triggerOf?: (change: { eventId: number; runId?: string }) => string | undefined;
  /**
   * What the pass requested so far, by asset key (each `evaluateCondition(…).requested`): read
   * by a child's `ParentFacts.requested` when the engine asks it, so the daemon fills it as it
   * evaluates upstream first.
   */
  requested?: ReadonlyMap<string, PartitionSet>;
}

/** The context every asset's facts share. */
interface Shared {
  readonly options: FactsOptions;
  readonly cursor: number;
}

/**
 * The facts of every asset (or of `keys` and everything upstream of them), read from the
 * instance at `now`. Sources are not observed: the daemon records observations itself.
 *
 * @example
 * const facts = await readFacts({ graph, instance, now: Date.now(), requested });
 * const { requested: asked } = evaluateCondition(eager(), facts.get('gauges/readings')!, memory);
 */
export async function readFacts(options: FactsOptions): Promise<ReadonlyMap<string, AssetFacts>> {
  const { graph, instance, now } = options;
  const { eventLog } = instance;
  // Read first: whatever is appended meanwhile is after the cursor, so asked about next time.
  const cursor = await newestEventId(eventLog);
  const snapshot = await readState(graph, {
    instance,
    ...(options.keys === undefined ? {} : { selection: [...options.keys] }),
    observe: false,
    now,
    details: true,
    checkArtefacts: false,
  });
  const timed = timedKeys(graph, snapshot.keys);
  const shared: Shared = { options, cursor };
  const facts = new Map<string, AssetFacts>();
  const ledgers = new Map<string, Ledger>();
  for (const key of graph.sortTopologically(snapshot.keys)) {
    const ledger = await ledgerOf(snapshot.states.get(key)!, eventLog, timed.has(key));
    ledgers.set(key, ledger);
    const inProgress = await inProgressOf(
      key,
      ledger.space,
      eventLog,
      options.inProgress?.get(key),
    );
    const events = await changeEventsOf(ledger, eventLog);
    const parents = graph
      .node(key)
      .parents.map((parent) =>
        parentFacts(graph, ledger, ledgers.get(parent)!, facts.get(parent)!, shared),
      );
    facts.set(key, assetFacts(ledger, inProgress, events, parents, shared));
  }
  return facts;
}

function assetFacts(
  ledger: Ledger,
  inProgress: PartitionSet,
  events: ReadonlyMap<number, ChangeEvent>,
  parents: readonly ParentFacts[],
  shared: Shared,
): AssetFacts {
  return {
    key: ledger.key,
    kind: ledger.kind,
    space: ledger.space,
    now: shared.options.now,
    cursor: shared.cursor,
    missing: () => ledger.view.usable.complement(),
    inProgress: () => inProgress,
    failed: () => ledger.failed,
    blocked: () => ledger.blocked,
    overdue: () => overdueOf(ledger),
    codeVersionChanged: () => ledger.codeChanged,
    materializedAfter: (eventId) => above(ledger.materializationId, eventId),
    changedAfter: (eventId) => above(ledger.changedAt, eventId),
    updatedSince: (time) => updatedSince(ledger, time),
    changes: (partitions) => changesOf(ledger, events, partitions, shared.options.triggerOf),
    parents,
  };
}

function parentFacts(
  graph: AssetGraph,
  child: Ledger,
  parent: Ledger,
  asset: AssetFacts,
  shared: Shared,
): ParentFacts {
  const mapping = graph.mappingOf(child.key, parent.key, parent.space, child.space);
  return {
    asset,
    lastGood: readsLastGood(graph, child.key, parent.key),
    get requested() {
      return shared.options.requested?.get(parent.key) ?? PartitionSet.empty(parent.space.size);
    },
    readersOf: (partitions) => mapping.downstreamFor(partitions, parent.space, child.space),
    readOf: (partitions) => mapping.upstreamFor(partitions, child.space, parent.space).partitions,
    moved: () => movedBy(child, parent.key),
    changedSinceAttempt: () => changedSinceAttempt(parent.view, mapping, child.space, child),
  };
}

/** Staleness' `dataMoved` for one parent: per partition, or the unpartitioned asset's data cause. */
function movedBy(child: Ledger, parentKey: string): PartitionSet {
  const { partitions, causes } = child.state;
  if (partitions !== undefined) {
    return partitions.dataMoved.get(parentKey) ?? PartitionSet.empty(child.space.size);
  }
  const moved = causes.some((c) => c.category === 'data' && c.dependency === parentKey);
  return moved ? PartitionSet.all(1) : PartitionSet.empty(1);
}

/** Partitions whose id is greater than `eventId`. */
function above(ids: Float64Array, eventId: number): PartitionSet {
  const words = new Uint32Array(Math.ceil(ids.length / 32));
  for (let i = 0; i < ids.length; i++) if (ids[i]! > eventId) words[i >>> 5]! |= 1 << (i & 31);
  return PartitionSet.fromWords(ids.length, words);
}

function updatedSince(ledger: Ledger, time: number): PartitionSet {
  const { updatedAt, usableId } = ledger;
  if (updatedAt === undefined) {
    throw new InvariantError(
      `updatedSince was asked of ${ledger.key}, whose update times were not read: no condition in the graph waits on it since a cron tick`,
    );
  }
  const words = new Uint32Array(Math.ceil(usableId.length / 32));
  for (let i = 0; i < usableId.length; i++) {
    if (usableId[i]! > 0 && updatedAt[i]! >= time) words[i >>> 5]! |= 1 << (i & 31);
  }
  return PartitionSet.fromWords(usableId.length, words);
}

/**
 * When the freshness policy is violated: the partitions after the newest usable one, whose
 * absence makes it overdue (the newest, when that one exists and it is overdue all the same);
 * with a policy per partition, the partitions overdue by their own.
 */
function overdueOf(ledger: Ledger): PartitionSet {
  const { size } = ledger.space;
  if (ledger.state.freshness?.status !== 'overdue' || size === 0) return PartitionSet.empty(size);
  const judged = ledger.state.partitionFreshness;
  if (judged !== undefined) {
    // A policy per partition: the partitions overdue by their own policies.
    const overdue = PartitionSet.empty(size);
    for (const [partition, freshness] of judged) {
      const i = freshness.status === 'overdue' ? ledger.space.indexOf(partition) : -1;
      if (i >= 0) overdue.add(i);
    }
    return overdue;
  }
  let last = size - 1;
  while (last >= 0 && ledger.usableId[last] === 0) last -= 1;
  return PartitionSet.fromRanges(size, [[Math.min(last + 1, size - 1), size]]);
}

/** The events that last changed `partitions`' data, one per event, newest first. */
function changesOf(
  ledger: Ledger,
  events: ReadonlyMap<number, ChangeEvent>,
  partitions: PartitionSet,
  triggerOf: FactsOptions['triggerOf'],
): DataChange[] {
  const groups = new Map<number, PartitionSet>();
  for (const i of partitions.indices()) {
    const id = ledger.changedAt[i]!;
    if (!events.has(id)) continue;
    let group = groups.get(id);
    if (group === undefined) {
      group = PartitionSet.empty(ledger.space.size);
      groups.set(id, group);
    }
    group.add(i);
  }
  return [...groups]
    .sort(([a], [b]) => b - a)
    .map(([id, set]) => {
      const event = events.get(id)!;
      const trigger = triggerOf?.(
        event.runId === undefined ? { eventId: id } : { eventId: id, runId: event.runId },
      );
      return {
        partitions: set,
        eventId: id,
        at: event.timestamp,
        kind: event.type === 'asset:observed' ? 'observed' : 'materialized',
        ...(event.runId === undefined ? {} : { runId: event.runId }),
        ...(trigger === undefined ? {} : { trigger }),
      };
    });
}

/** Assets whose update times a condition may ask: parents of a condition that waits on a cron tick. */
function timedKeys(graph: AssetGraph, keys: ReadonlySet<string>): Set<string> {
  const timed = new Set<string>();
  for (const key of keys) {
    const node = graph.node(key);
    const definition = node.definition;
    const condition = 'automation' in definition ? definition.automation : undefined;
    if (condition === undefined || !uses(condition, 'upstreams-updated-since-cron')) continue;
    for (const parent of node.parents) timed.add(parent);
  }
  return timed;
}

function uses(condition: AutomationCondition, type: AutomationCondition['type']): boolean {
  if (condition.type === type) return true;
  switch (condition.type) {
    case 'and':
    case 'or':
      return condition.operands.some((operand) => uses(operand, type));
    case 'not':
    case 'newly-true':
      return uses(condition.operand, type);
    case 'since':
      return uses(condition.trigger, type) || uses(condition.reset, type);
    default:
      return false;
  }
}
