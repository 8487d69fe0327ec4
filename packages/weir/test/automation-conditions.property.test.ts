/**
 * The condition engine (set operations over every partition at once, memory as key ranges
 * in JSON) against a naive evaluation of the same tree, partition by partition, with
 * booleans and memory kept by partition key, over random trees, spaces and facts, through
 * several evaluations in which the space may grow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AssetFacts,
  type AutomationCondition,
  and,
  type ConditionResult,
  codeVersionChanged,
  cronTickPassed,
  dailyPartitions,
  decodeSet,
  evaluateCondition,
  failed,
  initialEvaluation,
  inLatestTimeWindow,
  inProgress,
  missing,
  multiPartitions,
  newlyRequested,
  newlyTrue,
  newlyUpdated,
  not,
  or,
  overdue,
  type PartitionSpace,
  type PartitionsDefinition,
  resolvePartitionSpace,
  since,
  staticPartitions,
  upstreamCheckFailing,
  upstreamFailing,
  upstreamInProgress,
  upstreamMissing,
  upstreamNewlyUpdated,
  upstreamRequested,
  upstreamsUpdatedSinceCron,
  upstreamUpdated,
} from '../src/index.js';
import { fakeFacts } from './support/automation-facts.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-01T00:00:00Z');
const PARENTS = ['p0', 'p1', 'p2'];
const CRONS = ['0 * * * *', '30 6 * * *'] as const;

/** The latest tick at or before `at` of the two UTC crons used here, by arithmetic. */
function latestTick(cron: string, at: number): number {
  if (cron === '0 * * * *') return Math.floor(at / HOUR) * HOUR;
  const today = Math.floor(at / DAY) * DAY + 6.5 * HOUR;
  return today <= at ? today : today - DAY;
}

// ---- random trees ----

const ignoreArb = fc.subarray(PARENTS, { maxLength: 2 });
const leafArb: fc.Arbitrary<AutomationCondition> = fc.oneof(
  fc.constantFrom(
    codeVersionChanged(),
    missing(),
    inProgress(),
    failed(),
    overdue(),
    newlyUpdated(),
    newlyRequested(),
    initialEvaluation(),
  ),
  fc.constantFrom(0, DAY, 3 * DAY).map((lookback) => inLatestTimeWindow(lookback)),
  fc.constantFrom(...CRONS).map((cron) => cronTickPassed(cron)),
  fc
    .tuple(fc.constantFrom(...CRONS), ignoreArb)
    .map(([cron, ignore]) => upstreamsUpdatedSinceCron(cron, 'UTC', { ignore })),
  fc
    .tuple(
      fc.constantFrom(
        upstreamUpdated,
        upstreamNewlyUpdated,
        upstreamInProgress,
        upstreamFailing,
        upstreamCheckFailing,
        upstreamMissing,
        upstreamRequested,
      ),
      ignoreArb,
    )
    .map(([make, ignore]) => make({ ignore })),
);

const treeArb: fc.Arbitrary<AutomationCondition> = fc.letrec<{ tree: AutomationCondition }>(
  (tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb,
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((list) => and(...list)),
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((list) => or(...list)),
      tie('tree').map((c) => not(c)),
      fc.tuple(tie('tree'), tie('tree')).map(([t, r]) => since(t, r)),
      tie('tree').map((c) => newlyTrue(c)),
    ),
  }),
).tree;

// ---- random worlds ----

/** A small deterministic PRNG, so one seed gives a whole sequence of facts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type SpaceKind = 'unpartitioned' | 'static' | 'daily' | 'multi';

function definitionOf(kind: SpaceKind, n: number): PartitionsDefinition | undefined {
  const days = dailyPartitions({ start: '2026-02-20' });
  const keys = staticPartitions(Array.from({ length: n }, (_, i) => `k${i}`));
  if (kind === 'unpartitioned') return undefined;
  if (kind === 'static') return keys;
  if (kind === 'daily') return days;
  return multiPartitions({ station: staticPartitions(['s0', 's1', 's2']), day: days });
}

interface Parent {
  key: string;
  space: PartitionSpace;
  /** By child key: the parent partition indices it reads. */
  reads: Map<string, number[]>;
  missing: boolean[];
  inProgress: boolean[];
  failed: boolean[];
  blocked: boolean[];
  requested: boolean[];
  changedId: number[];
  updatedAt: number[];
  moved: Map<string, boolean>;
  sinceAttempt: Map<string, boolean>;
}

interface Step {
  space: PartitionSpace;
  now: number;
  cursor: number;
  missing: boolean[];
  inProgress: boolean[];
  failed: boolean[];
  overdue: boolean[];
  codeChanged: boolean[];
  materializedId: number[];
  parents: Parent[];
}

function steps(seed: number, kind: SpaceKind, count: number): Step[] {
  const random = prng(seed);
  const bool = (p = 0.35) => random() < p;
  const int = (max: number) => Math.floor(random() * (max + 1));
  const definition = definitionOf(kind, 1 + int(40));
  const parentSizes = PARENTS.slice(0, 1 + int(2)).map(() => 1 + int(8));
  const out: Step[] = [];
  let now = START + int(48) * HOUR;
  let cursor = 10;
  for (let s = 0; s < count; s++) {
    const space = resolvePartitionSpace(definition, { now, dynamicKeys: () => [] });
    const n = space.size;
    const keys = Array.from({ length: n }, (_, i) => space.keyAt(i));
    const parents = parentSizes.map((m, p): Parent => {
      const pSpace = resolvePartitionSpace(
        staticPartitions(Array.from({ length: m }, (_, i) => `q${i}`)),
        {
          now,
          dynamicKeys: () => [],
        },
      );
      return {
        key: PARENTS[p]!,
        space: pSpace,
        reads: new Map(keys.map((k) => [k, Array.from({ length: int(2) }, () => int(m - 1))])),
        missing: Array.from({ length: m }, () => bool()),
        inProgress: Array.from({ length: m }, () => bool(0.2)),
        failed: Array.from({ length: m }, () => bool(0.2)),
        blocked: Array.from({ length: m }, () => bool(0.15)),
        requested: Array.from({ length: m }, () => bool(0.25)),
        changedId: Array.from({ length: m }, () => int(cursor + 5)),
        updatedAt: Array.from({ length: m }, () => (bool(0.2) ? 0 : now - int(30) * HOUR)),
        moved: new Map(keys.map((k) => [k, bool()])),
        sinceAttempt: new Map(keys.map((k) => [k, bool()])),
      };
    });
    out.push({
      space,
      now,
      cursor,
      missing: keys.map(() => bool()),
      inProgress: keys.map(() => bool(0.2)),
      failed: keys.map(() => bool(0.2)),
      overdue: keys.map(() => bool(0.2)),
      codeChanged: keys.map(() => bool(0.2)),
      materializedId: keys.map(() => int(cursor + 5)),
      parents,
    });
    now += int(2) === 0 ? int(36) * HOUR : int(90) * 60_000;
    cursor += int(6);
  }
  return out;
}

const indicesOf = (flags: readonly boolean[]) => flags.flatMap((f, i) => (f ? [i] : []));

function factsOf(step: Step): AssetFacts {
  const keys = Array.from({ length: step.space.size }, (_, i) => step.space.keyAt(i));
  return fakeFacts({
    key: 'child',
    space: step.space,
    now: step.now,
    cursor: step.cursor,
    missing: indicesOf(step.missing),
    inProgress: indicesOf(step.inProgress),
    failed: indicesOf(step.failed),
    overdue: indicesOf(step.overdue),
    codeChanged: indicesOf(step.codeChanged),
    materializedId: step.materializedId,
    parents: step.parents.map((p) => ({
      asset: fakeFacts({
        key: p.key,
        space: p.space,
        now: step.now,
        cursor: step.cursor,
        missing: indicesOf(p.missing),
        inProgress: indicesOf(p.inProgress),
        failed: indicesOf(p.failed),
        blocked: indicesOf(p.blocked),
        changedId: p.changedId,
        updatedAt: p.updatedAt,
      }),
      reads: keys.map((k) => p.reads.get(k)!),
      requested: indicesOf(p.requested),
      moved: indicesOf(keys.map((k) => p.moved.get(k)!)),
      sinceAttempt: indicesOf(keys.map((k) => p.sinceAttempt.get(k)!)),
    })),
  });
}

// ---- the naive evaluation: one partition at a time ----

interface Previous {
  evaluatedAt: number;
  cursor: number;
  requested: Set<string>;
  nodes: Map<string, Set<string>>;
}

class Naive {
  readonly values = new Map<string, Set<string>>();
  readonly remember = new Map<string, Set<string>>();

  constructor(
    private readonly step: Step,
    private readonly previous: Previous | undefined,
  ) {}

  private windowEnds(): number[] {
    const { space } = this.step;
    return Array.from({ length: space.size }, (_, i) => space.windowAt(i)?.end ?? Number.NaN);
  }

  run(root: AutomationCondition): Previous {
    const { space, now, cursor } = this.step;
    for (let i = 0; i < space.size; i++) this.value(root, '$', i);
    return {
      evaluatedAt: now,
      cursor,
      requested: this.values.get('$') ?? new Set(),
      nodes: this.remember,
    };
  }

  private record(map: Map<string, Set<string>>, path: string, i: number, value: boolean): void {
    if (!map.has(path)) map.set(path, new Set());
    if (value) map.get(path)!.add(this.step.space.keyAt(i));
  }

  value(node: AutomationCondition, path: string, i: number): boolean {
    const v = this.compute(node, path, i);
    this.record(this.values, path, i, v);
    return v;
  }

  private compute(node: AutomationCondition, path: string, i: number): boolean {
    const { step, previous } = this;
    const key = step.space.keyAt(i);
    const child = (c: AutomationCondition, n: number) => this.value(c, `${path}.${n}`, i);
    switch (node.type) {
      case 'and':
        return node.operands.map(child).every(Boolean);
      case 'or':
        return node.operands.map(child).some(Boolean);
      case 'not':
        return !child(node.operand, 0);
      case 'newly-true': {
        const now = child(node.operand, 0);
        this.record(this.remember, path, i, now);
        return now && !(previous?.nodes.get(path)?.has(key) ?? false);
      }
      case 'since': {
        const trigger = child(node.trigger, 0);
        const reset = child(node.reset, 1);
        const before = previous?.nodes.get(path)?.has(key) ?? false;
        const value = trigger || (before && !reset);
        this.record(this.remember, path, i, value);
        return value;
      }
      case 'missing':
        return step.missing[i]!;
      case 'in-progress':
        return step.inProgress[i]!;
      case 'failed':
        return step.failed[i]!;
      case 'overdue':
        return step.overdue[i]!;
      case 'code-version-changed':
        return step.codeChanged[i]!;
      case 'newly-updated':
        return previous !== undefined && step.materializedId[i]! > previous.cursor;
      case 'newly-requested':
        return previous?.requested.has(key) ?? false;
      case 'initial-evaluation':
        return previous === undefined;
      case 'in-latest-time-window': {
        const ends = this.windowEnds();
        if (Number.isNaN(ends[i]!)) return true;
        return ends[i]! >= Math.max(...ends) - node.lookbackMs;
      }
      case 'cron-tick-passed':
        return previous !== undefined && latestTick(node.cron, step.now) > previous.evaluatedAt;
      case 'upstreams-updated-since-cron': {
        const tick = latestTick(node.cron, step.now);
        return this.parents(node.ignore).every((p) =>
          p.reads
            .get(key)!
            .some((q) => (p.updatedAt[q]! > 0 && p.updatedAt[q]! >= tick) || p.requested[q]!),
        );
      }
      default:
        return this.parents(node.ignore).some((p) => this.upstream(node.type, p, key));
    }
  }

  private parents(ignore: readonly string[]): Parent[] {
    return this.step.parents.filter((p) => !ignore.includes(p.key));
  }

  private upstream(type: string, p: Parent, key: string): boolean {
    const reads = p.reads.get(key)!;
    const any = (test: (q: number) => boolean) => reads.some(test);
    const requested = any((q) => p.requested[q]!);
    switch (type) {
      case 'upstream-updated':
        return p.moved.get(key)! || requested;
      case 'upstream-newly-updated':
        if (requested) return true;
        if (this.previous === undefined) return p.moved.get(key)!;
        return p.sinceAttempt.get(key)! && any((q) => p.changedId[q]! > this.previous!.cursor);
      case 'upstream-in-progress':
        return any((q) => p.inProgress[q]!);
      case 'upstream-failing':
        return any((q) => p.failed[q]! && !p.requested[q]!);
      case 'upstream-check-failing':
        return any((q) => p.blocked[q]! && !p.requested[q]!);
      case 'upstream-missing':
        return any((q) => p.missing[q]! && !p.requested[q]!);
      case 'upstream-requested':
        return requested;
      default:
        throw new Error(`unknown leaf ${type}`);
    }
  }
}

/** Every node's true set, by path, as partition keys. */
function engineValues(
  result: ConditionResult,
  space: PartitionSpace,
  path = '$',
  out = new Map<string, Set<string>>(),
) {
  out.set(
    path,
    new Set([...decodeSet(result.partitions, space).indices()].map((i) => space.keyAt(i))),
  );
  result.children.forEach((c, n) => {
    engineValues(c, space, `${path}.${n}`, out);
  });
  return out;
}

const sorted = (map: Map<string, Set<string>>) =>
  Object.fromEntries([...map].map(([path, set]) => [path, [...set].sort()]).sort());

describe('the condition engine agrees with a naive per-partition evaluation', () => {
  it('on random trees, spaces and facts, over several evaluations, memory through JSON', () => {
    fc.assert(
      fc.property(
        treeArb,
        fc.integer(),
        fc.constantFrom<SpaceKind>('unpartitioned', 'static', 'daily', 'multi'),
        fc.integer({ min: 1, max: 5 }),
        (tree, seed, kind, count) => {
          let memory: unknown;
          let previous: Previous | undefined;
          for (const step of steps(seed, kind, count)) {
            const evaluation = evaluateCondition(tree, factsOf(step), memory);
            memory = JSON.parse(JSON.stringify(evaluation.memory));
            const naive = new Naive(step, previous);
            previous = naive.run(tree);
            const expected = step.space.size === 0 ? new Map() : naive.values;
            const actual =
              step.space.size === 0 ? new Map() : engineValues(evaluation.result, step.space);
            expect(sorted(actual)).toEqual(sorted(expected));
            expect(
              [...evaluation.requested.indices()].map((i) => step.space.keyAt(i)).sort(),
            ).toEqual([...(previous.requested ?? [])].sort());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
