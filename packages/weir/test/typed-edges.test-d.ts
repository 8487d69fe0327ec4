import { describe, expectTypeOf, it } from 'vitest';
import { boundsCheck, notNullCheck } from '../src/checks/index.js';
import {
  asset,
  check,
  dailyPartitions,
  type FileArtefact,
  many,
  type PartitionInfo,
  resource,
  type SourceObservation,
  sourceAsset,
} from '../src/definitions/index.js';

interface Reading {
  station: string;
  stageM: number;
}

const csv = sourceAsset({ key: 'raw/csv', observe: () => 'v1' });
const readings = asset({
  key: 'gauges/readings',
  deps: [csv],
  materialize: async (): Promise<Reading[]> => [{ station: 'A', stageM: 1.2 }],
});
const count = asset({
  key: 'gauges/count',
  ins: { readings },
  materialize: (_ctx, { readings }) => readings.length,
});
const raster = asset({
  key: 'geo/raster',
  io: 'files',
  materialize: (ctx) => {
    expectTypeOf(ctx.outputPath).toEqualTypeOf<string>();
  },
});
const blob = asset({ key: 'geo/blob', io: 'bytes', materialize: () => new Uint8Array(4) });
const settings = resource({ key: 'settings', config: { floodStageM: 3.2 }, create: (c) => c });

describe('typed edges', () => {
  it('a downstream receives exactly the type its upstream returns', () => {
    asset({
      key: 'x/all',
      ins: { readings, count, raster, blob, csv },
      materialize: (_ctx, inputs) => {
        expectTypeOf(inputs.readings).toEqualTypeOf<Reading[]>();
        expectTypeOf(inputs.count).toEqualTypeOf<number>();
        expectTypeOf(inputs.raster).toEqualTypeOf<FileArtefact>();
        expectTypeOf(inputs.blob).toEqualTypeOf<Uint8Array>();
        expectTypeOf(inputs.csv).toEqualTypeOf<SourceObservation>();
        return null;
      },
    });
  });

  it('a downstream that expects another type does not compile', () => {
    asset({
      key: 'x/wrong',
      ins: { count },
      // @ts-expect-error count is a number, not a string
      materialize: (_ctx, inputs: { count: string }) => inputs.count.length,
    });
    asset({
      key: 'x/wrong2',
      ins: { readings },
      // @ts-expect-error a Reading has no `level` field
      materialize: (_ctx, { readings }) => readings.map((r) => r.level),
    });
  });

  it('inputs that are not declared are not there', () => {
    asset({
      key: 'x/missing',
      ins: { readings },
      // @ts-expect-error `count` is not an input of this asset
      materialize: (_ctx, { count }) => count,
    });
  });

  it('resources are typed through ctx.resources', () => {
    asset({
      key: 'x/res',
      resources: { settings },
      materialize: (ctx) => {
        expectTypeOf(ctx.resources.settings.floodStageM).toEqualTypeOf<number>();
        // @ts-expect-error no such resource
        return ctx.resources.other;
      },
    });
  });

  it('ctx.outputPath exists only for io: files', () => {
    asset({
      key: 'x/json',
      // @ts-expect-error outputPath is only given to io: 'files' assets
      materialize: (ctx) => ctx.outputPath,
    });
  });
});

describe('checks are typed by the asset value', () => {
  it('built-in table checks fit assets returning interface-typed rows; custom checks see the value type', () => {
    asset({
      key: 'x/checked',
      checks: [
        boundsCheck('stageM', { min: 0 }),
        notNullCheck('station'),
        check({ name: 'non_empty', evaluate: (_ctx, rows: Reading[]) => rows.length > 0 }),
      ],
      materialize: async (): Promise<Reading[]> => [],
    });
    // Checks written before a context-sensitive materialize(ctx) are accepted too.
    asset({
      key: 'x/checked_before_ctx',
      checks: [boundsCheck('stageM', { min: 0 })],
      materialize: async (ctx): Promise<Reading[]> => {
        ctx.log.info('reading');
        return [];
      },
    });
    asset({
      key: 'x/wrong_check',
      // @ts-expect-error a check of strings does not fit an asset of numbers
      checks: [check({ name: 'c', evaluate: (_ctx, value: string) => value.length > 0 })],
      materialize: () => 42,
    });
  });
});

describe('json assets hand downstream what a JSON round trip gives', () => {
  it('turns Dates into strings and drops what JSON drops', () => {
    const event = asset({
      key: 'x/event',
      materialize: () => ({
        at: new Date(),
        days: [new Date()],
        label: 'flood',
        note: undefined,
        format: () => 'x',
        nested: { when: new Date(), peak: 3.2 },
      }),
    });
    asset({
      key: 'x/reader',
      ins: { event },
      materialize: (_ctx, { event }) => {
        expectTypeOf(event.at).toEqualTypeOf<string>();
        expectTypeOf(event.days).toEqualTypeOf<string[]>();
        expectTypeOf(event.nested).toEqualTypeOf<{ when: string; peak: number }>();
        expectTypeOf(event).not.toHaveProperty('note');
        expectTypeOf(event).not.toHaveProperty('format');
        // @ts-expect-error a Date does not survive JSON: it arrives as a string
        event.at.getTime();
        return event.label;
      },
    });
  });

  it('refuses what JSON would store lossily (a Map or Set as {}, binary data, a Promise), at compile time', () => {
    asset({
      key: 'x/map',
      // @ts-expect-error a json asset cannot return a Map: JSON would store {}
      materialize: () => new Map([['a', 1]]),
    });
    asset({
      key: 'x/nested_set',
      // @ts-expect-error a Set deep inside the value is refused too
      materialize: async () => ({ rows: [{ stations: new Set(['A']) }] }),
    });
    asset({
      key: 'x/floats',
      // @ts-expect-error typed arrays are binary data: io 'bytes', or Array.from
      materialize: () => ({ series: new Float64Array(3) }),
    });
    // The same values are fine where they are not stored as JSON, or converted first.
    asset({ key: 'x/map_bytes', io: 'bytes', materialize: () => new Uint8Array(2) });
    const entries = asset({
      key: 'x/entries',
      materialize: () => Object.fromEntries(new Map([['a', 1]])),
    });
    asset({
      key: 'x/entries_reader',
      ins: { entries },
      materialize: (_ctx, { entries }) => {
        expectTypeOf(entries).toEqualTypeOf<{ [k: string]: number }>();
      },
    });
  });

  it('accepts recursive and open-ended value types', () => {
    interface TreeNode {
      name: string;
      children: TreeNode[];
    }
    type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
    const tree = asset({
      key: 'x/tree',
      materialize: (): TreeNode => ({ name: 'a', children: [] }),
    });
    asset({ key: 'x/json', materialize: (): Json => ({ a: [1, 'b', null] }) });
    asset({ key: 'x/unknown', materialize: (): unknown => 1 });
    asset({
      key: 'x/tree_reader',
      ins: { tree },
      materialize: (_ctx, { tree }) => {
        expectTypeOf(tree.children[0]!.children[0]!.name).toEqualTypeOf<string>();
      },
    });
  });

  it('partitioned assets: ctx.partition is given, many() inputs are maps, single-run returns per key', () => {
    const days = dailyPartitions({ start: '2024-01-01' });
    const daily = asset({
      key: 'daily',
      partitions: days,
      materialize: (ctx) => {
        expectTypeOf(ctx.partition).toEqualTypeOf<PartitionInfo>();
        return { day: ctx.partition.key, peak: 1.5 };
      },
    });
    asset({
      key: 'unpartitioned',
      materialize: (ctx) => {
        expectTypeOf(ctx.partition).toEqualTypeOf<PartitionInfo | undefined>();
      },
    });
    asset({
      key: 'report',
      ins: { days: many(daily), readings },
      materialize: (_ctx, { days, readings }) => {
        expectTypeOf(days).toEqualTypeOf<ReadonlyMap<string, { day: string; peak: number }>>();
        expectTypeOf(readings).toEqualTypeOf<Reading[]>();
      },
    });
    const ranged = asset({
      key: 'ranged',
      partitions: days,
      backfillPolicy: 'single-run',
      ins: { daily },
      materialize: (ctx, { daily }) => {
        expectTypeOf(ctx.partitions.keys).toEqualTypeOf<readonly string[]>();
        expectTypeOf(daily).toEqualTypeOf<ReadonlyMap<string, { day: string; peak: number }>>();
        return new Map([...daily].map(([key, value]) => [key, value.peak]));
      },
    });
    asset({
      key: 'after_ranged',
      ins: { ranged: many(ranged) },
      materialize: (_ctx, { ranged }) => {
        expectTypeOf(ranged).toEqualTypeOf<ReadonlyMap<string, number>>();
      },
    });
    asset({
      key: 'bad_range',
      partitions: days,
      // @ts-expect-error a single-run step returns a value per partition key, not one value
      backfillPolicy: 'single-run',
      materialize: () => 3,
    });
  });
});
