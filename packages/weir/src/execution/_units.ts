/**
 * @module execution/_units
 * The steps of a plan as units of work: one per unpartitioned asset, one per partition of a
 * partitioned asset (or per range of partitions for `single-run` assets), each waiting for
 * exactly the upstream units it reads.
 */
import {
  type AssetDefinition,
  PartitionSet,
  type PartitionSpace,
  unitLabel,
} from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { type AssetState, viewOf } from '../versioning/index.js';
import type { Plan } from './planner.js';

export interface StepUnit {
  id: number;
  key: string;
  /** The partitions it materializes, as indices of `space`; undefined when unpartitioned. */
  partitions: PartitionSet | undefined;
  space: PartitionSpace | undefined;
  /** Partition keys in order; `['']` when unpartitioned. */
  keys: string[];
  /** `key`, `key[partition]` or `key[first…last]`, for summaries and progress. */
  label: string;
  /** Units it waits for, and units waiting for it. */
  parents: number[];
  children: number[];
}

export function buildUnits(
  graph: AssetGraph,
  plan: Pick<Plan, 'steps' | 'partitions'>,
  states: ReadonlyMap<string, AssetState>,
): StepUnit[] {
  const units: StepUnit[] = [];
  /** Per planned asset: the unit of each partition index (-1: not planned). */
  const unitAt = new Map<string, Int32Array>();
  const unitsOf = new Map<string, StepUnit[]>();
  for (const key of plan.steps) {
    const first = units.length;
    const state = states.get(key)?.partitions;
    const planned = plan.partitions.get(key)?.planned;
    if (state === undefined || planned === undefined) {
      unitAt.set(key, Int32Array.of(units.length));
      units.push(unit(units.length, key, undefined, undefined, ['']));
      unitsOf.set(key, units.slice(first));
      continue;
    }
    const { space } = state;
    const index = new Int32Array(space.size).fill(-1);
    unitAt.set(key, index);
    const definition = graph.node(key).definition as AssetDefinition;
    const groups =
      definition.backfillPolicy === 'single-run'
        ? planned.ranges()
        : [...planned.indices()].map((i): [number, number] => [i, i + 1]);
    for (const [a, b] of groups) {
      const keys: string[] = [];
      for (let i = a; i < b; i++) {
        keys.push(space.keyAt(i));
        index[i] = units.length;
      }
      units.push(
        unit(units.length, key, PartitionSet.fromRanges(space.size, [[a, b]]), space, keys),
      );
    }
    unitsOf.set(key, units.slice(first));
  }
  for (const key of plan.steps) {
    const node = graph.node(key);
    const mine = unitsOf.get(key)!;
    const downSpace = mine[0]?.space ?? viewOf(states.get(key)!).space;
    for (const parent of node.parents) {
      const parentUnits = unitAt.get(parent);
      if (parentUnits === undefined) continue;
      const view = viewOf(states.get(parent)!);
      const mapping = graph.mappingOf(key, parent, view.space, downSpace);
      if (mapping.readsOne(view.space, downSpace) && mapping.newestRead !== undefined) {
        // Each partition reads one upstream partition: find its unit by arithmetic.
        const ids = new Float64Array(view.space.size);
        for (let i = 0; i < ids.length; i++) ids[i] = parentUnits[i]! + 1;
        const read = mapping.newestRead(ids, view.space, downSpace);
        for (const u of mine) {
          const linked = new Set<number>();
          for (const i of u.partitions?.indices() ?? [0]) link(units, read[i]! - 1, u, linked);
        }
        continue;
      }
      for (const u of mine) {
        const set = u.partitions ?? PartitionSet.all(1);
        const reads = mapping.upstreamFor(set, downSpace, view.space).partitions;
        const linked = new Set<number>();
        for (const i of reads.indices()) link(units, parentUnits[i]!, u, linked);
      }
    }
  }
  return units;
}

function unit(
  id: number,
  key: string,
  partitions: PartitionSet | undefined,
  space: PartitionSpace | undefined,
  keys: string[],
): StepUnit {
  return {
    id,
    key,
    partitions,
    space,
    keys,
    label: unitLabel(key, keys),
    parents: [],
    children: [],
  };
}

function link(units: StepUnit[], parentId: number, child: StepUnit, linked: Set<number>): void {
  if (parentId < 0 || linked.has(parentId)) return;
  linked.add(parentId);
  const parent = units[parentId]!;
  child.parents.push(parentId);
  parent.children.push(child.id);
}
