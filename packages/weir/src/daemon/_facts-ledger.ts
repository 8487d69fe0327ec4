/**
 * @module daemon/_facts-ledger
 * One asset's state as the facts read it: ids per partition index (newest materialization or
 * observation, usable one, data change, inputs read at, newest failure), when each was last
 * updated, and the sets status derives (failed, blocked, code changed). Built from the state
 * `readState` resolved, so the daemon and `weir status` apply the same rules.
 */
import { PartitionSet, type PartitionSpace, UNPARTITIONED_SPACE } from '../definitions/index.js';
import type { AssetRecord, EventLog } from '../storage/index.js';
import { type AssetState, type ParentView, viewOf } from '../versioning/index.js';

/** What the facts of one asset are computed from, by partition index of its space. */
export interface Ledger {
  readonly key: string;
  readonly kind: 'asset' | 'source';
  readonly space: PartitionSpace;
  readonly state: AssetState;
  /** How its children see it (staleness' view). */
  readonly view: ParentView;
  /** The newest materialization, blocked or not (a source: the newest observation); 0 none. */
  readonly materializationId: Float64Array;
  /** The usable materialization (a source: the newest observation); 0 none. */
  readonly usableId: Float64Array;
  /** The event that last changed the usable data version; 0 none. */
  readonly changedAt: Float64Array;
  readonly inputsAsOf: Float64Array;
  readonly failureId: Float64Array;
  /** When the usable materialization (a source: the newest observation) was recorded; undefined when not read. */
  readonly updatedAt: Float64Array | undefined;
  readonly failed: PartitionSet;
  readonly blocked: PartitionSet;
  readonly codeChanged: PartitionSet;
}

/** The ledger of an asset from its resolved state (with its record: read with `details`). */
export async function ledgerOf(
  state: AssetState,
  eventLog: EventLog,
  withTimes: boolean,
): Promise<Ledger> {
  if (state.partitions === undefined) return unpartitionedLedger(state);
  return state.kind === 'source'
    ? partitionedSourceLedger(state, eventLog)
    : partitionedLedger(state, eventLog, withTimes);
}

function unpartitionedLedger(state: AssetState): Ledger {
  const record = state.record;
  const one = (value: number | undefined) => Float64Array.of(value ?? 0);
  const when = (flag: boolean) => (flag ? PartitionSet.all(1) : PartitionSet.empty(1));
  const view = viewOf(state);
  const has = (category: string) => state.causes.some((cause) => cause.category === category);
  if (state.kind === 'source') {
    const observed = record?.observation;
    return {
      ...base(state, UNPARTITIONED_SPACE, view),
      materializationId: one(observed?.id),
      usableId: one(observed?.id),
      inputsAsOf: one(0),
      failureId: one(0),
      updatedAt: one(observed?.timestamp),
      failed: when(state.status === 'failed'),
      blocked: PartitionSet.empty(1),
      codeChanged: PartitionSet.empty(1),
    };
  }
  return {
    ...base(state, UNPARTITIONED_SPACE, view),
    materializationId: one(record?.materialization?.id),
    usableId: one(record?.usable?.id),
    inputsAsOf: one(inputsAsOf(record)),
    failureId: one(record?.failure?.id),
    updatedAt: one(record?.usable?.timestamp),
    failed: when(state.status === 'failed'),
    blocked: when(has('check')),
    codeChanged: when(has('code')),
  };
}

function base(state: AssetState, space: PartitionSpace, view: ParentView) {
  return { key: state.key, kind: state.kind, space, state, view, changedAt: view.changedAt };
}

/** As `PartitionStates.inputsAsOf`: the newest input event the newest materialization read. */
function inputsAsOf(record: AssetRecord | undefined): number {
  const inputs = record?.materialization?.materialization.inputs ?? {};
  let newest = 0;
  for (const key in inputs) newest = Math.max(newest, inputs[key]!.eventId);
  return newest;
}

async function partitionedLedger(
  state: AssetState,
  eventLog: EventLog,
  withTimes: boolean,
): Promise<Ledger> {
  const p = state.partitions!;
  const updatedAt = withTimes
    ? await timesOf(state.key, p.space, p.usableId, eventLog, (r) => r.usable)
    : undefined;
  return {
    ...base(state, p.space, viewOf(state)),
    materializationId: p.materializationId,
    usableId: p.usableId,
    inputsAsOf: p.inputsAsOf,
    failureId: p.failureId,
    updatedAt,
    failed: p.failed,
    blocked: p.blocked,
    codeChanged: p.codeChanged,
  };
}

/**
 * A partitioned source: its rows hold only when the data changed, so the newest observation
 * of each partition (the same version or not) comes from its records.
 */
async function partitionedSourceLedger(state: AssetState, eventLog: EventLog): Promise<Ledger> {
  const p = state.partitions!;
  const size = p.space.size;
  const observationId = new Float64Array(size);
  const updatedAt = new Float64Array(size);
  for (const record of await recordsOf(state.key, p.space, p.changedAt, eventLog)) {
    const i = p.space.indexOf(record.partition);
    if (i < 0 || record.observation === undefined) continue;
    observationId[i] = record.observation.id;
    updatedAt[i] = record.observation.timestamp;
  }
  const empty = PartitionSet.empty(size);
  return {
    ...base(state, p.space, viewOf(state)),
    materializationId: observationId,
    usableId: observationId,
    inputsAsOf: new Float64Array(size),
    failureId: new Float64Array(size),
    updatedAt,
    failed: p.failed,
    blocked: empty,
    codeChanged: empty,
  };
}

/** When the event `pick` names was recorded, for each partition with a non-zero id. */
async function timesOf(
  key: string,
  space: PartitionSpace,
  ids: Float64Array,
  eventLog: EventLog,
  pick: (record: AssetRecord) => { timestamp: number } | undefined,
): Promise<Float64Array> {
  const times = new Float64Array(space.size);
  for (const record of await recordsOf(key, space, ids, eventLog)) {
    const i = space.indexOf(record.partition);
    const event = pick(record);
    if (i >= 0 && event !== undefined) times[i] = event.timestamp;
  }
  return times;
}

/** The records of the partitions whose id in `ids` is not 0. */
async function recordsOf(
  key: string,
  space: PartitionSpace,
  ids: Float64Array,
  eventLog: EventLog,
): Promise<AssetRecord[]> {
  const partitions: string[] = [];
  for (let i = 0; i < space.size; i++) if (ids[i]! > 0) partitions.push(space.keyAt(i));
  return partitions.length === 0 ? [] : eventLog.partitionRecords(key, partitions);
}
