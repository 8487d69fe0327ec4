/**
 * @module versioning/partition-staleness
 * Staleness of every partition of a partitioned asset at once, over typed arrays and
 * bitsets: a partition is stale when its code changed, or when an upstream partition it
 * reads changed data after it read its inputs (event ids as the clock), or when one it reads
 * is stale or failed. Pure: the caller gathers the stored rows and the parents' views.
 */
import { type PartitionMapping, PartitionSet, type PartitionSpace } from '../definitions/index.js';
import { newestRead } from '../graph/index.js';
import type { PartitionStates } from '../storage/index.js';

/** What a child needs to know about one parent, whether partitioned or not. */
export interface ParentView {
  space: PartitionSpace;
  /** By the parent's partition index: the event that last changed its data (0: never). */
  changedAt: Float64Array;
  /** Partitions with a version downstream may read. */
  usable: PartitionSet;
  /** Partitions that are stale, failed or missing (what reads them is not fresh either). */
  notFresh: PartitionSet;
}

/** The state of every partition of one asset, by partition index. */
export interface PartitionedState {
  space: PartitionSpace;
  /** Disjoint; together they cover the space. */
  fresh: PartitionSet;
  stale: PartitionSet;
  missing: PartitionSet;
  failed: PartitionSet;
  /** Newest materialization, usable one, last data change, inputs read at, newest failure (0: none). */
  materializationId: Float64Array;
  usableId: Float64Array;
  changedAt: Float64Array;
  inputsAsOf: Float64Array;
  failureId: Float64Array;
  /** The code version each partition was materialized with ('' when never). */
  codeVersionAt(index: number): string;
  /** Materialized with another code version than the current one. */
  codeChanged: PartitionSet;
  /** Newest materialization failed a blocking check. */
  blocked: PartitionSet;
  /** Parent key → partitions whose inputs from it changed after they read them. */
  dataMoved: Map<string, PartitionSet>;
  /** Parent key → partitions reading one of its stale, failed or missing partitions. */
  upstreamNotFresh: Map<string, PartitionSet>;
}

/** How many partitions are in each status. */
export function partitionCounts(
  sets: Pick<PartitionedState, 'fresh' | 'stale' | 'missing' | 'failed'>,
): Record<'fresh' | 'stale' | 'missing' | 'failed', number> {
  return {
    fresh: sets.fresh.count,
    stale: sets.stale.count,
    missing: sets.missing.count,
    failed: sets.failed.count,
  };
}

export interface PartitionedParent {
  key: string;
  view: ParentView;
  mapping: PartitionMapping;
}

/**
 * The stored state of a partitioned asset laid out by partition index of a space: what
 * `PartitionStates` holds per recorded partition, dense. Ids are event ids, 0 for none.
 */
export interface DensePartitionStates {
  materializationId: Float64Array;
  usableId: Float64Array;
  changedAt: Float64Array;
  inputsAsOf: Float64Array;
  failureId: Float64Array;
  /** Index into `codeVersions` of each partition's newest materialization. */
  codeIndex: Uint32Array;
  codeVersions: string[];
}

export function emptyDense(size: number): DensePartitionStates {
  return {
    materializationId: new Float64Array(size),
    usableId: new Float64Array(size),
    changedAt: new Float64Array(size),
    inputsAsOf: new Float64Array(size),
    failureId: new Float64Array(size),
    codeIndex: new Uint32Array(size),
    codeVersions: [],
  };
}

/**
 * Key → index tables of time windows, for many rows of a large space, where `indexOf` per
 * row would parse every key. Shared by the assets of one definition object (a project
 * usually declares `daily` once).
 */
const keyTables = new WeakMap<object, Map<string, number>>();

function indexer(space: PartitionSpace, rows: number): (key: string) => number {
  const definition = space.definition;
  // Keyed sets look keys up in a map already; time windows parse them.
  if (definition?.kind !== 'time-window' || rows < 64 || rows * 8 < space.size) {
    return (key) => space.indexOf(key);
  }
  let table = keyTables.get(definition);
  if (table === undefined) {
    table = new Map();
    keyTables.set(definition, table);
  }
  // A time window's key never changes: the table only grows as windows end.
  for (let i = table.size; i < space.size; i++) table.set(space.keyAt(i), i);
  const found = table;
  return (key) => {
    const i = found.get(key);
    return i === undefined || i >= space.size ? -1 : i;
  };
}

/**
 * Writes stored rows into `dense` (by `space`'s partition index); rows of keys the space
 * does not have (a removed dynamic key, a changed definition) are ignored.
 */
export function applyRows(
  dense: DensePartitionStates,
  space: PartitionSpace,
  rows: PartitionStates,
): DensePartitionStates {
  const indexOf = indexer(space, rows.partitions.length);
  const code = rows.codeVersions.map((version) => {
    const at = dense.codeVersions.indexOf(version);
    return at >= 0 ? at : dense.codeVersions.push(version) - 1;
  });
  for (let r = 0; r < rows.partitions.length; r++) {
    const i = indexOf(rows.partitions[r]!);
    if (i < 0 || i >= dense.materializationId.length) continue;
    dense.materializationId[i] = rows.materializationId[r]!;
    dense.usableId[i] = rows.usableId[r]!;
    dense.changedAt[i] = rows.dataChangedId[r]!;
    dense.inputsAsOf[i] = rows.inputsAsOf[r]!;
    dense.failureId[i] = rows.failureId[r]!;
    dense.codeIndex[i] = code[rows.codeVersion[r]!]!;
  }
  return dense;
}

export function resolvePartitioned(
  space: PartitionSpace,
  stored: DensePartitionStates | undefined,
  codeVersion: string,
  parents: readonly PartitionedParent[],
): PartitionedState {
  const size = space.size;
  const dense = stored ?? emptyDense(size);
  const { materializationId, usableId, changedAt, inputsAsOf, failureId, codeIndex, codeVersions } =
    dense;
  const current = codeVersions.indexOf(codeVersion);
  // Sets built a word at a time: this loop and the one per edge are the whole cost of
  // planning 100,000 partitions.
  const words = Math.ceil(size / 32);
  const materializedWords = new Uint32Array(words);
  const codeWords = new Uint32Array(words);
  const blockedWords = new Uint32Array(words);
  const failedWords = new Uint32Array(words);
  for (let i = 0; i < size; i++) {
    const m = materializationId[i]!;
    const bit = 1 << (i & 31);
    const w = i >>> 5;
    if (failureId[i]! > m) failedWords[w]! |= bit;
    if (m === 0) continue;
    materializedWords[w]! |= bit;
    if (codeIndex[i] !== current) codeWords[w]! |= bit;
    if (usableId[i] !== m) blockedWords[w]! |= bit;
  }
  const materialized = PartitionSet.fromWords(size, materializedWords);
  const codeChanged = PartitionSet.fromWords(size, codeWords);
  const blocked = PartitionSet.fromWords(size, blockedWords);
  const failedLast = PartitionSet.fromWords(size, failedWords);
  const dataMoved = new Map<string, PartitionSet>();
  const upstreamNotFresh = new Map<string, PartitionSet>();
  let stale = codeChanged.clone();
  for (const { key, view, mapping } of parents) {
    const newest = newestRead(mapping, view.changedAt, view.space, space);
    const movedWords = new Uint32Array(words);
    for (let i = 0; i < size; i++) {
      // Unmaterialized partitions have inputsAsOf 0 and are dropped by the intersection below.
      if (newest[i]! > inputsAsOf[i]!) movedWords[i >>> 5]! |= 1 << (i & 31);
    }
    const moved = PartitionSet.fromWords(size, movedWords).intersect(materialized);
    if (!moved.isEmpty()) {
      dataMoved.set(key, moved);
      stale = stale.union(moved);
    }
    if (!view.notFresh.isEmpty()) {
      const reading = mapping
        .downstreamFor(view.notFresh, view.space, space)
        .intersect(materialized);
      if (!reading.isEmpty()) {
        upstreamNotFresh.set(key, reading);
        stale = stale.union(reading);
      }
    }
  }
  const failed = failedLast.union(blocked);
  const missing = materialized.complement().difference(failed);
  stale = stale.intersect(materialized).difference(failed);
  const fresh = materialized.difference(stale).difference(failed);
  return {
    space,
    fresh,
    stale,
    missing,
    failed,
    materializationId,
    usableId,
    changedAt,
    inputsAsOf,
    failureId,
    codeVersionAt: (i) => (materializationId[i] === 0 ? '' : (codeVersions[codeIndex[i]!] ?? '')),
    codeChanged,
    blocked,
    dataMoved,
    upstreamNotFresh,
  };
}

const views = new WeakMap<PartitionedState, ParentView>();

/** A partitioned asset as its children see it (computed once per state). */
export function partitionedView(state: PartitionedState): ParentView {
  let view = views.get(state);
  if (view === undefined) {
    view = {
      space: state.space,
      changedAt: state.changedAt,
      usable: usableSet(state),
      notFresh: state.stale.union(state.failed).union(state.missing),
    };
    views.set(state, view);
  }
  return view;
}

function usableSet(state: PartitionedState): PartitionSet {
  const { size } = state.space;
  const words = new Uint32Array(Math.ceil(size / 32));
  for (let i = 0; i < size; i++) if (state.usableId[i]! > 0) words[i >>> 5]! |= 1 << (i & 31);
  return PartitionSet.fromWords(size, words);
}

/** When each partition of a child last attempted: the ids its newest materialization and failure carry. */
export type Attempts = Pick<DensePartitionStates, 'materializationId' | 'inputsAsOf' | 'failureId'>;

/**
 * The child partitions whose newest attempt came before the newest change of a parent's data
 * they read: the parent's `newestRead(changedAt)` is after the child's `inputsAsOf` and, when
 * its newest attempt failed, after that failure. So a partition that failed in the very run
 * that brought the data is left out, and one never attempted is in as soon as it reads data.
 */
export function changedSinceAttempt(
  parent: ParentView,
  mapping: PartitionMapping,
  space: PartitionSpace,
  attempts: Attempts,
): PartitionSet {
  const { materializationId, inputsAsOf, failureId } = attempts;
  const newest = newestRead(mapping, parent.changedAt, parent.space, space);
  const words = new Uint32Array(Math.ceil(space.size / 32));
  for (let i = 0; i < space.size; i++) {
    const failure = failureId[i]! > materializationId[i]! ? failureId[i]! : 0;
    if (newest[i]! > Math.max(inputsAsOf[i]!, failure)) words[i >>> 5]! |= 1 << (i & 31);
  }
  return PartitionSet.fromWords(space.size, words);
}
