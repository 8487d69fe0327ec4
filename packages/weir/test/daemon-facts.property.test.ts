/**
 * Property: the daemon's `materializedAfter` and `changedAfter` agree with a naive reading of
 * the materialization events, partition by partition, for any cursor.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFacts } from '../src/daemon/facts.js';
import {
  asset,
  buildAssetGraph,
  defineProject,
  materialize,
  type PartitionSet,
  staticPartitions,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const KEYS = ['a', 'b', 'c'];

/** Rounds of re-materialization: each names partitions and the value each gets (0-1: often the same). */
const rounds = fc.array(
  fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 1 })), {
    minLength: 1,
    maxLength: 3,
  }),
  { minLength: 1, maxLength: 4 },
);

describe('daemon facts agree with the events', () => {
  it('materializedAfter and changedAfter, for every cursor', async () => {
    await fc.assert(
      fc.asyncProperty(rounds, async (plan) => {
        const instance = tempInstance();
        const values: Record<string, number> = {};
        const up = asset({
          key: 'up',
          partitions: staticPartitions(KEYS),
          materialize: (ctx) => values[ctx.partition.key] ?? 0,
        });
        const project = defineProject({ assets: [up] });
        for (const round of plan) {
          for (const [key, value] of round) values[key] = value;
          const keys = [...new Set(round.map(([key]) => key))];
          await materialize(project, { instance, partitions: { keys }, force: true });
        }
        const facts = (
          await readFacts({ graph: buildAssetGraph(project), instance, now: Date.now() })
        ).get('up')!;
        const events = await instance.eventLog.events({
          assetKey: 'up',
          types: ['asset:materialized'],
        });
        const newest = new Map<string, number>();
        const changed = new Map<string, number>();
        const version = new Map<string, string>();
        for (const event of events) {
          if (event.type !== 'asset:materialized') continue;
          newest.set(event.partition, event.id);
          const data = event.materialization.dataVersion;
          if (version.get(event.partition) !== data) changed.set(event.partition, event.id);
          version.set(event.partition, data);
        }
        const naive = (ids: Map<string, number>, cursor: number) =>
          KEYS.filter((key) => (ids.get(key) ?? 0) > cursor);
        const shown = (set: PartitionSet) => [...set.indices()].map((i) => facts.space.keyAt(i));
        for (const cursor of [0, ...events.map((e) => e.id)]) {
          expect(shown(facts.materializedAfter(cursor))).toEqual(naive(newest, cursor));
          expect(shown(facts.changedAfter(cursor))).toEqual(naive(changed, cursor));
        }
        expect(shown(facts.missing())).toEqual(KEYS.filter((key) => !newest.has(key)));
      }),
      { numRuns: 15 },
    );
  });
});
