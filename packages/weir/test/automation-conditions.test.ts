import { describe, expect, it } from 'vitest';
import {
  type AssetFacts,
  type AutomationCondition,
  and,
  type ConditionMemory,
  codeVersionChanged,
  cronTickPassed,
  dailyPartitions,
  decodeSet,
  evaluateCondition,
  failed,
  initialEvaluation,
  inLatestTimeWindow,
  inProgress,
  memoryWithRequested,
  missing,
  multiPartitions,
  named,
  newlyRequested,
  newlyTrue,
  newlyUpdated,
  not,
  or,
  overdue,
  type PartitionSpace,
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
import { type FakeAssetSpec, fakeFacts, identity, setOf } from './support/automation-facts.js';

const keys = staticPartitions(['a', 'b', 'c', 'd']);
const space = resolvePartitionSpace(keys, { now: 0, dynamicKeys: () => [] });
const NOON = Date.parse('2026-11-20T12:00:00Z');

function facts(spec: Partial<FakeAssetSpec> = {}): AssetFacts {
  return fakeFacts({ key: 'child', space, ...spec });
}

function parent(spec: Partial<FakeAssetSpec> = {}): AssetFacts {
  return fakeFacts({ key: 'parent', space, ...spec });
}

/** The partition keys a condition is true for. */
function trueKeys(condition: AutomationCondition, f: AssetFacts, memory?: unknown): string[] {
  const { requested } = evaluateCondition(condition, f, memory);
  return [...requested.indices()].map((i) => f.space.keyAt(i));
}

/** Runs evaluations in sequence, each with the previous memory after a JSON round trip. */
function sequence(condition: AutomationCondition, steps: AssetFacts[]): string[][] {
  let memory: unknown;
  return steps.map((f) => {
    const evaluation = evaluateCondition(condition, f, memory);
    memory = JSON.parse(JSON.stringify(evaluation.memory));
    return [...evaluation.requested.indices()].map((i) => f.space.keyAt(i));
  });
}

describe('own facts', () => {
  it('read the facts directly', () => {
    const f = facts({ missing: [0], inProgress: [1], failed: [2], overdue: [3], codeChanged: [1] });
    expect(trueKeys(missing(), f)).toEqual(['a']);
    expect(trueKeys(inProgress(), f)).toEqual(['b']);
    expect(trueKeys(failed(), f)).toEqual(['c']);
    expect(trueKeys(overdue(), f)).toEqual(['d']);
    expect(trueKeys(codeVersionChanged(), f)).toEqual(['b']);
  });

  it('newlyUpdated and newlyRequested look at the previous evaluation', () => {
    const first = facts({ cursor: 10, materializedId: [5, 0, 0, 0], missing: [1, 2, 3] });
    const second = facts({ cursor: 20, materializedId: [5, 12, 0, 0], missing: [2, 3] });
    expect(sequence(newlyUpdated(), [first, second])).toEqual([[], ['b']]);
    expect(
      sequence(and(missing(), or(newlyRequested(), initialEvaluation())), [first, second]),
    ).toEqual([
      ['b', 'c', 'd'],
      ['c', 'd'],
    ]);
    expect(sequence(initialEvaluation(), [first, second])).toEqual([['a', 'b', 'c', 'd'], []]);
  });

  it('inLatestTimeWindow takes the newest window, a lookback, and every key of another dimension', () => {
    const days = dailyPartitions({ start: '2026-11-01' });
    const daySpace = resolvePartitionSpace(days, { now: NOON, dynamicKeys: () => [] });
    const f = fakeFacts({ key: 'x', space: daySpace });
    expect(trueKeys(inLatestTimeWindow(), f)).toEqual(['2026-11-19']);
    expect(trueKeys(inLatestTimeWindow('2d'), f)).toEqual([
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
    ]);
    const grid = resolvePartitionSpace(multiPartitions({ station: keys, day: days }), {
      now: NOON,
      dynamicKeys: () => [],
    });
    expect(trueKeys(inLatestTimeWindow(), fakeFacts({ key: 'x', space: grid }))).toEqual([
      'a|2026-11-19',
      'b|2026-11-19',
      'c|2026-11-19',
      'd|2026-11-19',
    ]);
    expect(trueKeys(inLatestTimeWindow(), facts())).toEqual(['a', 'b', 'c', 'd']);
  });

  it('cronTickPassed is true once a tick passed since the previous evaluation', () => {
    const at = (iso: string) => facts({ now: Date.parse(iso) });
    const hourly = cronTickPassed('0 * * * *');
    const result = sequence(hourly, [
      at('2026-11-20T10:30Z'),
      at('2026-11-20T10:50Z'),
      at('2026-11-20T11:00Z'),
      at('2026-11-20T11:20Z'),
    ]);
    expect(result.map((keysTrue) => keysTrue.length)).toEqual([0, 0, 4, 0]);
  });
});

describe('upstream facts', () => {
  const up = parent({
    inProgress: [0],
    failed: [1, 2],
    blocked: [2],
    missing: [3],
    changedId: [0, 0, 50, 0],
    cursor: 60,
  });

  it('map each parent fact to the partitions that read it, and leave out what is requested now', () => {
    const f = facts({ parents: [{ asset: up, reads: identity(4), requested: [2], moved: [1] }] });
    expect(trueKeys(upstreamInProgress(), f)).toEqual(['a']);
    expect(trueKeys(upstreamFailing(), f)).toEqual(['b']); // c's parent is requested again
    expect(trueKeys(upstreamCheckFailing(), f)).toEqual([]);
    expect(trueKeys(upstreamMissing(), f)).toEqual(['d']);
    expect(trueKeys(upstreamRequested(), f)).toEqual(['c']);
    expect(trueKeys(upstreamUpdated(), f)).toEqual(['b', 'c']);
  });

  it('see every partition a child reads (many-to-one)', () => {
    const f = facts({ parents: [{ asset: up, reads: [[0, 1], [1, 2], [3], []] }] });
    expect(trueKeys(upstreamFailing(), f)).toEqual(['a', 'b']);
    expect(trueKeys(upstreamMissing(), f)).toEqual(['c']);
  });

  it('ignore the parents they are told to', () => {
    const f = facts({ parents: [{ asset: up, reads: identity(4) }] });
    expect(trueKeys(upstreamInProgress({ ignore: ['parent'] }), f)).toEqual([]);
  });

  it('upstreamNewlyUpdated: at first the unread changes, then changes since the previous evaluation', () => {
    const at = (cursor: number, changedId: number[], moved: number[], sinceAttempt: number[]) =>
      facts({
        cursor,
        parents: [{ asset: parent({ changedId }), reads: identity(4), moved, sinceAttempt }],
      });
    expect(
      sequence(upstreamNewlyUpdated(), [
        // first: what it has not read (a); d never ran, its parent has data: not at first
        at(10, [5, 5, 5, 5], [0], [0, 3]),
        // b changed and d's parent changed after d's last attempt; c changed, but c failed
        // after the change (it tried with that data already)
        at(20, [5, 15, 16, 18], [0, 1], [0, 1, 3]),
        at(30, [5, 15, 16, 18], [0, 1], [0, 1, 3]), // nothing new since 20
      ]),
    ).toEqual([['a'], ['b', 'd'], []]);
  });

  it('upstreamsUpdatedSinceCron waits for every parent (or its request this pass)', () => {
    const tick = Date.parse('2026-11-20T06:00Z');
    const p1 = fakeFacts({ key: 'p1', space, updatedAt: [tick + 1, tick - 1, tick, 0] });
    const p2 = fakeFacts({ key: 'p2', space, updatedAt: [tick + 5, tick + 5, 0, 0] });
    const f = facts({
      parents: [
        { asset: p1, reads: identity(4) },
        { asset: p2, reads: identity(4), requested: [2] },
      ],
    });
    const condition = upstreamsUpdatedSinceCron('0 6 * * *');
    expect(trueKeys(condition, f)).toEqual(['a', 'c']);
    expect(trueKeys(upstreamsUpdatedSinceCron('0 6 * * *', 'UTC', { ignore: ['p2'] }), f)).toEqual([
      'a',
      'c',
    ]);
    expect(trueKeys(upstreamsUpdatedSinceCron('0 6 * * *', 'UTC', { ignore: ['p1'] }), f)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(trueKeys(condition, facts())).toEqual(['a', 'b', 'c', 'd']); // no parents: nothing to wait for
  });
});

describe('operators', () => {
  const f = facts({ missing: [0, 1], inProgress: [1, 2] });

  it('and, or, not combine per partition', () => {
    expect(trueKeys(and(missing(), inProgress()), f)).toEqual(['b']);
    expect(trueKeys(or(missing(), inProgress()), f)).toEqual(['a', 'b', 'c']);
    expect(trueKeys(and(missing(), not(inProgress())), f)).toEqual(['a']);
  });

  it('since stays true from its trigger to its reset, across evaluations and a restart', () => {
    const trigger = (missingKeys: number[], requestedKeys: number[]) =>
      facts({ missing: missingKeys, overdue: requestedKeys });
    const condition = since(missing(), overdue());
    const steps = [
      trigger([0], []), // a triggered
      trigger([], []), // remembered
      trigger([1], [0]), // a reset, b triggered
      trigger([2], [2]), // c: trigger and reset together: true
      trigger([], []),
    ];
    expect(sequence(condition, steps)).toEqual([['a'], ['a'], ['b'], ['b', 'c'], ['b', 'c']]);

    // A restart: the memory of step 2, serialized, is all the new process has.
    const two = evaluateCondition(
      condition,
      steps[1]!,
      evaluateCondition(condition, steps[0]!).memory,
    );
    const revived = JSON.parse(JSON.stringify(two.memory)) as ConditionMemory;
    expect(trueKeys(condition, steps[4]!, revived)).toEqual(['a']);
  });

  it('memoryWithRequested forgets requests the daemon could not launch', () => {
    const condition = and(missing(), not(newlyRequested()));
    const first = evaluateCondition(condition, facts({ missing: [0, 1] }));
    expect([...first.requested.indices()]).toEqual([0, 1]);
    const launched = setOf(4, [0]); // b's lease was held elsewhere
    const kept = memoryWithRequested(first.memory, launched, space);
    expect(trueKeys(condition, facts({ missing: [0, 1] }), kept)).toEqual(['b']);
  });

  it('newlyTrue is true where its operand became true since the previous evaluation', () => {
    const steps = [facts({ missing: [0] }), facts({ missing: [0, 1] }), facts({ missing: [1] })];
    expect(sequence(newlyTrue(missing()), steps)).toEqual([['a'], ['b'], []]);
  });

  it('memory follows each node by path and signature: editing one part forgets only that part', () => {
    const first = since(missing(), overdue());
    const keep = and(first, not(failed()));
    const { memory } = evaluateCondition(keep, facts({ missing: [0] }));
    expect(Object.keys(memory.nodes)).toEqual(['$.0']);
    const edited = and(first, not(inProgress()));
    expect(trueKeys(edited, facts(), memory)).toEqual(['a']);
    const moved = and(not(inProgress()), first);
    expect(trueKeys(moved, facts(), memory)).toEqual([]);
    expect(trueKeys(keep, facts(), { version: 9 })).toEqual([]);
    const renamed = and(named(first, 'waiting', 'missing, until overdue'), not(failed()));
    expect(trueKeys(renamed, facts(), memory)).toEqual(['a']); // a name is not a meaning
  });

  it('named() renames without changing what it means', () => {
    const mine = named(and(missing(), not(inProgress())), 'fill_gaps', 'missing and idle');
    const { result } = evaluateCondition(mine, facts({ missing: [0, 1], inProgress: [1] }));
    expect(result.name).toBe('fill_gaps');
    expect(result.reason).toBe('true for 1 of 4 partitions (a): missing and idle');
  });
});

describe('facts are asked lazily, once each', () => {
  it('asks only what the tree uses, once per evaluation', () => {
    const f = fakeFacts({ key: 'x', space, missing: [0] });
    evaluateCondition(and(missing(), or(missing(), not(missing()))), f);
    expect([...f.calls]).toEqual([['missing', 1]]);
  });
});

describe('results', () => {
  it('decode to the sets evaluated, node by node', () => {
    const f = facts({ missing: [0, 1], inProgress: [1] });
    const { result } = evaluateCondition(and(missing(), not(inProgress())), f);
    const decoded = (r: typeof result) => [...decodeSet(r.partitions, space).indices()];
    expect(decoded(result)).toEqual([0]);
    expect(result.children.map(decoded)).toEqual([
      [0, 1],
      [0, 2, 3],
    ]);
    expect(result.children[1]!.children[0]!.reason).toBe(
      'true for 1 of 4 partitions (b): a queued or running run will materialize the partition',
    );
  });

  it('stay small for 100,000 partitions', () => {
    const big: PartitionSpace = resolvePartitionSpace(dailyPartitions({ start: '1750-01-01' }), {
      now: NOON,
      dynamicKeys: () => [],
    });
    expect(big.size).toBeGreaterThan(100_000);
    const missingKeys = Array.from({ length: 5000 }, (_, i) => big.size - 1 - i);
    const f = fakeFacts({ key: 'x', space: big, missing: missingKeys, inProgress: [big.size - 1] });
    const evaluation = evaluateCondition(
      and(since(newlyTrue(missing()), newlyRequested()), not(inProgress())),
      f,
    );
    expect(evaluation.requested.count).toBe(4999);
    expect(JSON.stringify(evaluation.result).length).toBeLessThan(4000);
    expect(JSON.stringify(evaluation.memory).length).toBeLessThan(400);
  });
});
