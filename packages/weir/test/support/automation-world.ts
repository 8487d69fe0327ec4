/**
 * A small in-memory world for condition tests: assets over one partition space, each child
 * reading the same partition of each parent, with the state a daemon would keep (event ids
 * as the clock) and an evaluation pass in topological order, as the daemon will run it.
 */

import type { ConditionResult } from '../../src/automation/index.js';
import {
  type AssetFacts,
  type AutomationCondition,
  type DataChange,
  evaluateCondition,
  type ParentFacts,
  PartitionSet,
  type PartitionSpace,
} from '../../src/index.js';

interface Node {
  key: string;
  kind: 'asset' | 'source';
  parents: string[];
  condition: AutomationCondition | undefined;
  memory: unknown;
  materializedId: number[];
  usableId: number[];
  changedId: number[];
  updatedAt: number[];
  inputsAsOf: number[];
  failedId: number[];
  blocked: boolean[];
  inProgress: boolean[];
  run: string[];
  trigger: string[];
}

export class World {
  private readonly nodes = new Map<string, Node>();
  private readonly order: string[] = [];
  private lastId = 0;
  now = Date.parse('2026-11-20T10:00:00Z');
  /** Each pass: key → requested indices, and the results. */
  readonly results = new Map<string, ConditionResult>();

  constructor(readonly space: PartitionSpace) {}

  add(
    key: string,
    parents: string[],
    condition?: AutomationCondition,
    kind: 'asset' | 'source' = 'asset',
  ): this {
    const n = this.space.size;
    const zeros = () => Array.from({ length: n }, () => 0);
    this.nodes.set(key, {
      key,
      kind,
      parents,
      condition,
      memory: undefined,
      materializedId: zeros(),
      usableId: zeros(),
      changedId: zeros(),
      updatedAt: zeros(),
      inputsAsOf: zeros(),
      failedId: zeros(),
      blocked: Array.from({ length: n }, () => false),
      inProgress: Array.from({ length: n }, () => false),
      run: Array.from({ length: n }, () => ''),
      trigger: Array.from({ length: n }, () => ''),
    });
    this.order.push(key);
    return this;
  }

  private node(key: string): Node {
    return this.nodes.get(key)!;
  }

  /** A source observed with new data (by a sensor, say). */
  observe(key: string, partitions: number[], trigger?: string): number {
    const node = this.node(key);
    const id = ++this.lastId;
    for (const i of partitions) {
      node.materializedId[i] = id;
      node.usableId[i] = id;
      node.changedId[i] = id;
      node.updatedAt[i] = this.now;
      node.trigger[i] = trigger ?? '';
      node.run[i] = '';
    }
    return id;
  }

  /** Marks what a pass requested as in progress (the daemon launched a run). */
  launch(requested: Map<string, number[]>): void {
    for (const [key, indices] of requested)
      for (const i of indices) this.node(key).inProgress[i] = true;
  }

  /** A step of `runId` ends: materialized with new data (reading its parents now), or failed. */
  finish(
    key: string,
    partitions: number[],
    runId: string,
    outcome: 'ok' | 'same' | 'failed' | 'blocked' = 'ok',
    /** The newest input event it read; default the newest there is. */
    readUpTo = Number.POSITIVE_INFINITY,
  ): void {
    const node = this.node(key);
    const id = ++this.lastId;
    for (const i of partitions) {
      node.inProgress[i] = false;
      if (outcome === 'failed') {
        node.failedId[i] = id;
        continue;
      }
      node.materializedId[i] = id;
      node.blocked[i] = outcome === 'blocked';
      const newest = Math.max(0, ...node.parents.map((p) => this.node(p).changedId[i]!));
      node.inputsAsOf[i] = Math.min(newest, readUpTo);
      if (outcome === 'blocked') continue;
      node.usableId[i] = id;
      if (outcome === 'ok') node.changedId[i] = id;
      node.updatedAt[i] = this.now;
      node.run[i] = runId;
    }
  }

  /** One evaluation pass in topological order; returns what each asset requested. */
  evaluate(): Map<string, number[]> {
    const requested = new Map<string, PartitionSet>();
    const out = new Map<string, number[]>();
    for (const key of this.order) {
      const node = this.node(key);
      if (node.condition === undefined) continue;
      const evaluation = evaluateCondition(node.condition, this.facts(key, requested), node.memory);
      node.memory = JSON.parse(JSON.stringify(evaluation.memory));
      requested.set(key, evaluation.requested);
      this.results.set(key, evaluation.result);
      if (!evaluation.requested.isEmpty()) out.set(key, [...evaluation.requested.indices()]);
    }
    return out;
  }

  facts(key: string, requested: ReadonlyMap<string, PartitionSet> = new Map()): AssetFacts {
    const node = this.node(key);
    const n = this.space.size;
    const where = (test: (i: number) => boolean) => {
      const set = PartitionSet.empty(n);
      for (let i = 0; i < n; i++) if (test(i)) set.add(i);
      return set;
    };
    const parents: ParentFacts[] = node.parents.map((p) => ({
      asset: this.facts(p),
      requested: requested.get(p) ?? PartitionSet.empty(n),
      readersOf: (set) => set.clone(),
      readOf: (set) => set.clone(),
      moved: () =>
        where((i) => node.usableId[i]! > 0 && this.node(p).changedId[i]! > node.inputsAsOf[i]!),
      changedSinceAttempt: () =>
        where((i) => {
          const failedLast = node.failedId[i]! > node.materializedId[i]! ? node.failedId[i]! : 0;
          return this.node(p).changedId[i]! > Math.max(node.inputsAsOf[i]!, failedLast);
        }),
    }));
    return {
      key,
      kind: node.kind,
      space: this.space,
      now: this.now,
      cursor: this.lastId,
      missing: () => where((i) => node.usableId[i] === 0),
      inProgress: () => where((i) => node.inProgress[i]!),
      failed: () => where((i) => node.failedId[i]! > node.materializedId[i]! || node.blocked[i]!),
      blocked: () => where((i) => node.blocked[i]!),
      overdue: () => PartitionSet.empty(n),
      codeVersionChanged: () => PartitionSet.empty(n),
      materializedAfter: (id) => where((i) => node.materializedId[i]! > id),
      changedAfter: (id) => where((i) => node.changedId[i]! > id),
      updatedSince: (time) => where((i) => node.usableId[i]! > 0 && node.updatedAt[i]! >= time),
      changes: (set) => this.changes(node, set),
      parents,
    };
  }

  private changes(node: Node, set: PartitionSet): DataChange[] {
    const groups = new Map<number, number[]>();
    for (const i of set.indices()) {
      const id = node.changedId[i]!;
      if (id > 0) groups.set(id, [...(groups.get(id) ?? []), i]);
    }
    return [...groups].map(([eventId, indices]) => {
      const i = indices[0]!;
      return {
        partitions: PartitionSet.fromRanges(
          this.space.size,
          indices.map((x) => [x, x + 1]),
        ),
        eventId,
        at: node.updatedAt[i]!,
        kind: node.kind === 'source' ? ('observed' as const) : ('materialized' as const),
        ...(node.run[i] ? { runId: node.run[i] } : {}),
        ...(node.trigger[i] ? { trigger: node.trigger[i] } : {}),
      };
    });
  }
}
