/**
 * The scheduler's ready queue on its own: pure bookkeeping, tested without I/O.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type QueueUnit, ReadyQueue } from '../src/execution/ready-queue.js';

/** Units from edges `[parent, child]` over ids 0…n-1 (parents always lower: a DAG in order). */
function unitsOf(n: number, edges: ReadonlyArray<readonly [number, number]>): QueueUnit[] {
  const units = Array.from({ length: n }, (_, id) => ({
    id,
    parents: [] as number[],
    children: [] as number[],
  }));
  for (const [parent, child] of edges) {
    if (parent === child || units[child]!.parents.includes(parent)) continue;
    units[child]!.parents.push(parent);
    units[parent]!.children.push(child);
  }
  return units;
}

const ids = (units: readonly QueueUnit[]) => units.map((u) => u.id);

describe('ReadyQueue', () => {
  it('hands out roots first, then each unit once all its parents settled', () => {
    // 0 → 2, 1 → 2, 2 → 3
    const units = unitsOf(4, [
      [0, 2],
      [1, 2],
      [2, 3],
    ]);
    const queue = new ReadyQueue(units);
    expect(queue.take()?.id).toBe(0);
    expect(queue.take()?.id).toBe(1);
    expect(queue.take()).toBeUndefined();
    queue.settle(units[0]!);
    expect(queue.take()).toBeUndefined(); // 2 still waits for 1
    queue.settle(units[1]!);
    expect(queue.take()?.id).toBe(2);
    queue.settle(units[2]!);
    expect(queue.take()?.id).toBe(3);
    expect(queue.done).toBe(false);
    queue.settle(units[3]!);
    expect(queue.done).toBe(true);
  });

  it('settles each unit once', () => {
    const units = unitsOf(2, [[0, 1]]);
    const queue = new ReadyQueue(units);
    const root = queue.take()!;
    expect(queue.settle(root)).toBe(true);
    expect(queue.settle(root)).toBe(false);
  });

  it('skips what reads a failed unit, directly or through skipped units, and hands none of them out', () => {
    // 0 → 1 → 3, 0 → 2 → 4, 1 → 4, and 5 on its own
    const units = unitsOf(6, [
      [0, 1],
      [1, 3],
      [0, 2],
      [2, 4],
      [1, 4],
    ]);
    const queue = new ReadyQueue(units);
    const root = queue.take()!;
    expect(queue.take()?.id).toBe(5);
    queue.settle(root);
    expect(ids(queue.skipReaders(root))).toEqual([1, 2, 3, 4]);
    expect(queue.take()).toBeUndefined();
    // Settled already: a second failure path skips nothing twice.
    expect(queue.skipReaders(root)).toEqual([]);
    queue.settle(units[5]!);
    expect(queue.done).toBe(true);
  });

  it('follows only the direct readers `reads` accepts', () => {
    const units = unitsOf(4, [
      [0, 1],
      [0, 2],
      [2, 3],
    ]);
    const queue = new ReadyQueue(units);
    const root = queue.take()!;
    expect(ids(queue.skipReaders(root, (child) => child.id === 2))).toEqual([2, 3]);
    queue.settle(root);
    expect(queue.take()?.id).toBe(1);
  });

  it('hands a requeued unit out again after the units ready before it, unless it settled', () => {
    const units = unitsOf(3, []);
    const queue = new ReadyQueue(units);
    const first = queue.take()!;
    expect(queue.requeue(first)).toBe(true);
    expect(ids([queue.take()!, queue.take()!, queue.take()!])).toEqual([1, 2, 0]);
    queue.settle(first);
    expect(queue.requeue(first)).toBe(false);
    expect(queue.take()).toBeUndefined();
  });

  it('settles the rest when a run is cancelled', () => {
    const units = unitsOf(3, [
      [0, 1],
      [1, 2],
    ]);
    const queue = new ReadyQueue(units);
    queue.settle(queue.take()!);
    expect(ids(queue.settleAll())).toEqual([1, 2]);
    expect(queue.done).toBe(true);
    expect(queue.take()).toBeUndefined();
  });

  it('on any DAG and any outcomes: every unit settles exactly once, never before its parents, and a failure skips exactly its unsettled descendants', () => {
    const dag = fc.integer({ min: 1, max: 25 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(
          fc
            .tuple(fc.nat(n - 1), fc.nat(n - 1))
            .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
          { maxLength: 60 },
        ),
        fails: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        order: fc.array(fc.nat(), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(dag, ({ n, edges, fails, order }) => {
        const units = unitsOf(n, edges);
        const queue = new ReadyQueue(units);
        const settledAt = new Map<number, number>();
        const taken = new Set<number>();
        const skipped = new Set<number>();
        let clock = 0;
        const running: QueueUnit[] = [];
        for (let guard = 0; guard < 10 * n && !queue.done; guard++) {
          for (let unit = queue.take(); unit !== undefined; unit = queue.take()) {
            expect(taken.has(unit.id)).toBe(false);
            for (const parent of unit.parents) expect(settledAt.has(parent)).toBe(true);
            taken.add(unit.id);
            running.push(unit);
          }
          if (running.length === 0) break;
          // Finish one running unit, chosen by the random order.
          const unit = running.splice(order[guard % n]! % running.length, 1)[0]!;
          expect(queue.settle(unit)).toBe(true);
          settledAt.set(unit.id, clock++);
          if (fails[unit.id]) {
            for (const child of queue.skipReaders(unit)) {
              expect(taken.has(child.id)).toBe(false);
              skipped.add(child.id);
              settledAt.set(child.id, clock++);
            }
          }
        }
        expect(queue.done).toBe(true);
        expect(settledAt.size).toBe(n);
        // Every unit either ran or was skipped, never both.
        for (let id = 0; id < n; id++) expect(taken.has(id) !== skipped.has(id)).toBe(true);
        // A skipped unit has a parent that failed or was skipped.
        for (const id of skipped) {
          const parents = units[id]!.parents;
          expect(parents.some((p) => skipped.has(p) || (taken.has(p) && fails[p]))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
