/**
 * Test doubles for the condition engine's facts: plain arrays per partition, and parents
 * wired by an explicit "which parent partitions does each child partition read" relation.
 */
import {
  type AssetFacts,
  type DataChange,
  type ParentFacts,
  PartitionSet,
  type PartitionSpace,
} from '../../src/index.js';

export interface FakeAssetSpec {
  key: string;
  kind?: 'asset' | 'source';
  space: PartitionSpace;
  now?: number;
  cursor?: number;
  missing?: readonly number[];
  inProgress?: readonly number[];
  failed?: readonly number[];
  blocked?: readonly number[];
  overdue?: readonly number[];
  codeChanged?: readonly number[];
  /** By partition: the newest materialization's event id (0: none). */
  materializedId?: readonly number[];
  /** By partition: the event id that last changed its usable data (0: none). */
  changedId?: readonly number[];
  /** By partition: when its newest usable materialization was made (epoch ms; 0: never). */
  updatedAt?: readonly number[];
  changes?: (partitions: PartitionSet) => DataChange[];
  parents?: readonly FakeParentSpec[];
}

export interface FakeParentSpec {
  asset: AssetFacts;
  /** For each child partition, the parent partitions it reads. */
  reads: readonly (readonly number[])[];
  requested?: readonly number[];
  /** Child partitions whose input from this parent moved since they read it. */
  moved?: readonly number[];
  /** Child partitions whose newest attempt predates this parent's newest change they read; default `moved`. */
  sinceAttempt?: readonly number[];
}

export function setOf(size: number, indices: readonly number[] = []): PartitionSet {
  const set = PartitionSet.empty(size);
  for (const i of indices) set.add(i);
  return set;
}

/** Facts from plain arrays; counts how often each method is asked. */
export function fakeFacts(spec: FakeAssetSpec): AssetFacts & { calls: Map<string, number> } {
  const size = spec.space.size;
  const calls = new Map<string, number>();
  const counted =
    <A extends unknown[], R>(name: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return fn(...args);
    };
  const where = (values: readonly number[] | undefined, test: (v: number) => boolean) =>
    setOf(
      size,
      (values ?? []).flatMap((v, i) => (test(v) ? [i] : [])),
    );
  return {
    calls,
    key: spec.key,
    kind: spec.kind ?? 'asset',
    space: spec.space,
    now: spec.now ?? Date.parse('2026-11-20T12:00:00Z'),
    cursor: spec.cursor ?? 100,
    missing: counted('missing', () => setOf(size, spec.missing)),
    inProgress: counted('inProgress', () => setOf(size, spec.inProgress)),
    failed: counted('failed', () => setOf(size, spec.failed)),
    blocked: counted('blocked', () => setOf(size, spec.blocked)),
    overdue: counted('overdue', () => setOf(size, spec.overdue)),
    codeVersionChanged: counted('codeVersionChanged', () => setOf(size, spec.codeChanged)),
    materializedAfter: counted('materializedAfter', (id: number) =>
      where(spec.materializedId, (v) => v > id),
    ),
    changedAfter: counted('changedAfter', (id: number) => where(spec.changedId, (v) => v > id)),
    updatedSince: counted('updatedSince', (time: number) =>
      where(spec.updatedAt, (v) => v > 0 && v >= time),
    ),
    changes: counted('changes', (partitions: PartitionSet) => spec.changes?.(partitions) ?? []),
    parents: (spec.parents ?? []).map((p) => fakeParent(p, size)),
  };
}

function fakeParent(spec: FakeParentSpec, childSize: number): ParentFacts {
  const parentSize = spec.asset.space.size;
  return {
    asset: spec.asset,
    requested: setOf(parentSize, spec.requested),
    readersOf: (parentPartitions) =>
      setOf(
        childSize,
        spec.reads.flatMap((read, child) =>
          read.some((q) => parentPartitions.has(q)) ? [child] : [],
        ),
      ),
    readOf: (childPartitions) =>
      setOf(
        parentSize,
        [...childPartitions.indices()].flatMap((child) => [...(spec.reads[child] ?? [])]),
      ),
    moved: () => setOf(childSize, spec.moved),
    changedSinceAttempt: () => setOf(childSize, spec.sinceAttempt ?? spec.moved),
  };
}

/** Identity reads: child partition i reads parent partition i. */
export function identity(size: number): number[][] {
  return Array.from({ length: size }, (_, i) => [i]);
}

/** An unpartitioned child reading an unpartitioned parent. */
export const ONE: number[][] = [[0]];
