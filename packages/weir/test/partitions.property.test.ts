import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  dynamicPartitions,
  hourlyPartitions,
  monthlyPartitions,
  multiPartitions,
  PartitionSet,
  type PartitionSpace,
  type PartitionsDefinition,
  resolvePartitionSpace,
  staticPartitions,
  type TimeWindowPartitionsDefinition,
  weeklyPartitions,
} from '../src/definitions/partitions/index.js';
import {
  allPartitionsMapping,
  dimensionMapping,
  identityMapping,
  lastNMapping,
  type PartitionMapping,
  staticMapping,
  timeWindowMapping,
} from '../src/graph/partition-mapping/index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/Santiago',
];
const resolve = (def: PartitionsDefinition | undefined, dynamic: Record<string, string[]> = {}) =>
  resolvePartitionSpace(def, { now: NOW, dynamicKeys: (name) => dynamic[name] ?? [] });

describe('PartitionSet agrees with a Set<number>', () => {
  const sized = fc
    .integer({ min: 0, max: 200 })
    .chain((size) =>
      fc.tuple(
        fc.constant(size),
        fc.array(fc.tuple(fc.nat(size), fc.nat(size)), { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(size), fc.nat(size)), { maxLength: 8 }),
      ),
    );
  const build = (size: number, ranges: Array<[number, number]>) => {
    const set = PartitionSet.empty(size);
    const ref = new Set<number>();
    for (const [x, y] of ranges) {
      const [a, b] = x <= y ? [x, y] : [y, x];
      set.addRange(a, b);
      for (let i = a; i < b; i++) ref.add(i);
    }
    return { set, ref };
  };
  const sorted = (s: Iterable<number>) => [...s].sort((a, b) => a - b);

  it('for add, has, count, union, intersect, difference, equals, subset and complement', () => {
    fc.assert(
      fc.property(sized, ([size, r1, r2]) => {
        const a = build(size, r1);
        const b = build(size, r2);
        expect([...a.set.indices()]).toEqual(sorted(a.ref));
        expect(a.set.count).toBe(a.ref.size);
        expect(a.set.isEmpty()).toBe(a.ref.size === 0);
        for (let i = -1; i <= size; i++) expect(a.set.has(i)).toBe(a.ref.has(i));
        expect([...a.set.union(b.set).indices()]).toEqual(sorted(new Set([...a.ref, ...b.ref])));
        expect([...a.set.intersect(b.set).indices()]).toEqual(
          sorted([...a.ref].filter((i) => b.ref.has(i))),
        );
        expect([...a.set.difference(b.set).indices()]).toEqual(
          sorted([...a.ref].filter((i) => !b.ref.has(i))),
        );
        expect(a.set.complement().count).toBe(size - a.ref.size);
        expect(a.set.equals(b.set)).toBe(
          a.ref.size === b.ref.size && [...a.ref].every((i) => b.ref.has(i)),
        );
        expect(a.set.isSubsetOf(b.set)).toBe([...a.ref].every((i) => b.ref.has(i)));
        if (size > 0) {
          const one = a.set.clone().add(size - 1);
          expect(one.has(size - 1)).toBe(true);
          expect(one.count).toBe(a.ref.size + (a.ref.has(size - 1) ? 0 : 1));
          expect(a.set.count).toBe(a.ref.size); // clone left the original alone
        }
      }),
    );
  });

  it('ranges() are maximal and round-trip through fromRanges', () => {
    fc.assert(
      fc.property(sized, ([size, r1]) => {
        const { set } = build(size, r1);
        const ranges = set.ranges();
        for (let i = 1; i < ranges.length; i++)
          expect(ranges[i]![0]).toBeGreaterThan(ranges[i - 1]![1]);
        expect(PartitionSet.fromRanges(size, ranges).equals(set)).toBe(true);
      }),
    );
  });
});

const timeDefinition: fc.Arbitrary<TimeWindowPartitionsDefinition> = fc
  .record({
    cadence: fc.constantFrom('hourly', 'daily', 'weekly', 'monthly'),
    timezone: fc.constantFrom(...ZONES),
    startDay: fc.integer({
      min: Date.UTC(2018, 0, 1) / 86_400_000,
      max: Date.UTC(2025, 0, 1) / 86_400_000,
    }),
    minute: fc.constantFrom(0, 15, 30, 59),
    hour: fc.constantFrom(0, 1, 2, 3, 6, 23),
    weekday: fc.integer({ min: 0, max: 6 }),
    dayOfMonth: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ cadence, timezone, startDay, minute, hour, weekday, dayOfMonth }) => {
    const start = new Date(startDay * 86_400_000).toISOString().slice(0, 10);
    switch (cadence) {
      case 'hourly':
        return hourlyPartitions({ start, timezone, offset: { minute } });
      case 'daily':
        return dailyPartitions({ start, timezone, offset: { hour, minute } });
      case 'weekly':
        return weeklyPartitions({ start, timezone, offset: { weekday, hour, minute } });
      default:
        return monthlyPartitions({ start, timezone, offset: { dayOfMonth, hour, minute } });
    }
  });

describe('time-window spaces', () => {
  it('keyAt and indexOf are inverse, and windows tile time', () => {
    fc.assert(
      fc.property(
        timeDefinition,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (def, fractions) => {
          const space = resolve(def);
          for (const f of fractions) {
            const i = Math.min(space.size - 2, Math.floor(f * space.size));
            if (i < 0) continue;
            const key = space.keyAt(i);
            expect(space.indexOf(key)).toBe(i);
            const w = space.windowAt(i)!;
            expect(w.end).toBe(space.windowAt(i + 1)!.start);
            expect(w.end).toBeGreaterThan(w.start);
          }
          const last = space.windowAt(space.size - 1);
          if (last !== undefined) expect(last.end).toBeLessThanOrEqual(NOW);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every hour of a DST year in Berlin and Santiago round-trips', () => {
    for (const timezone of ['Europe/Berlin', 'America/Santiago', 'Australia/Lord_Howe']) {
      const space = resolve(hourlyPartitions({ start: '2024-01-01', end: '2025-01-01', timezone }));
      expect(space.size).toBe(366 * 24);
      for (let i = 0; i < space.size; i++) expect(space.indexOf(space.keyAt(i))).toBe(i);
    }
  });
});

interface Scenario {
  name: string;
  mapping: PartitionMapping;
  up: PartitionSpace;
  down: PartitionSpace;
}

const berlin = { timezone: 'Europe/Berlin' };
const hourlyDst = resolve(hourlyPartitions({ start: '2024-03-25', end: '2024-04-05', ...berlin }));
const hourlyAutumn = resolve(
  hourlyPartitions({ start: '2024-10-20', end: '2024-11-02', ...berlin }),
);
const dailyBerlin = resolve(dailyPartitions({ start: '2024-03-01', end: '2024-11-30', ...berlin }));
const hydroDay = resolve(
  dailyPartitions({ start: '2024-03-20', end: '2024-11-10', offset: { hour: 6 }, ...berlin }),
);
const dailyUtc = resolve(dailyPartitions({ start: '2024-01-01', end: '2024-12-31' }));
const dailyLater = resolve(dailyPartitions({ start: '2024-02-10', end: '2025-02-01' }));
const weekly = resolve(
  weeklyPartitions({ start: '2024-01-01', end: '2025-06-01', offset: { weekday: 1 } }),
);
const monthlyNy = resolve(
  monthlyPartitions({ start: '2023-06-01', end: '2025-06-01', timezone: 'America/New_York' }),
);
const states = resolve(staticPartitions(['CA', 'OR', 'WA', 'NY', 'MA']));
const seen = resolve(dynamicPartitions('states'), { states: ['WA', 'TX', 'CA', 'NV'] });
const dateStation = resolve(
  multiPartitions({
    date: dailyPartitions({ start: '2024-03-25', end: '2024-05-01', ...berlin }),
    station: staticPartitions(['A', 'B', 'C']),
  }),
);
const stations = resolve(staticPartitions(['A', 'B', 'C', 'D']));

const scenarios: Scenario[] = [
  {
    name: 'time window hourly→daily (DST)',
    mapping: timeWindowMapping(),
    up: hourlyDst,
    down: dailyBerlin,
  },
  {
    name: 'time window daily→hourly (DST)',
    mapping: timeWindowMapping(),
    up: dailyBerlin,
    down: hourlyAutumn,
  },
  {
    name: 'time window day at 06:00↔day',
    mapping: timeWindowMapping(),
    up: hydroDay,
    down: dailyBerlin,
  },
  { name: 'time window days→weeks', mapping: timeWindowMapping(), up: dailyUtc, down: weekly },
  {
    name: 'time window months(NY)→days',
    mapping: timeWindowMapping(),
    up: monthlyNy,
    down: dailyUtc,
  },
  { name: 'last 7 days (same windows)', mapping: lastNMapping(7), up: dailyUtc, down: dailyLater },
  { name: 'last 3 hours of a day', mapping: lastNMapping(3), up: hourlyAutumn, down: dailyBerlin },
  { name: 'last 30 hours of a day', mapping: lastNMapping(30), up: hourlyDst, down: hydroDay },
  { name: 'last 2 weeks of a day', mapping: lastNMapping(2), up: weekly, down: dailyUtc },
  { name: 'last 10 days of a week', mapping: lastNMapping(10), up: dailyBerlin, down: weekly },
  { name: 'last 2 days of an hour', mapping: lastNMapping(2), up: dailyBerlin, down: hourlyAutumn },
  { name: 'identity shifted days', mapping: identityMapping(), up: dailyLater, down: dailyUtc },
  { name: 'identity static→dynamic', mapping: identityMapping(), up: states, down: seen },
  {
    name: 'all into unpartitioned',
    mapping: allPartitionsMapping(),
    up: dailyUtc,
    down: resolve(undefined),
  },
  {
    name: 'all from unpartitioned',
    mapping: allPartitionsMapping(),
    up: resolve(undefined),
    down: weekly,
  },
  {
    name: 'static table',
    mapping: staticMapping({ CA: ['CA', 'NV'], OR: 'XX', WA: ['WA', 'TX'] }),
    up: seen,
    down: states,
  },
  {
    name: 'dimension multi→daily',
    mapping: dimensionMapping('date'),
    up: dateStation,
    down: dailyBerlin,
  },
  {
    name: 'dimension daily→multi',
    mapping: dimensionMapping('date'),
    up: dailyBerlin,
    down: dateStation,
  },
  {
    name: 'dimension hourly→multi',
    mapping: dimensionMapping('date'),
    up: hourlyDst,
    down: dateStation,
  },
  {
    name: 'dimension station→multi',
    mapping: dimensionMapping('station', identityMapping()),
    up: stations,
    down: dateStation,
  },
  {
    name: 'dimension multi→station',
    mapping: dimensionMapping('station', identityMapping()),
    up: dateStation,
    down: stations,
  },
  {
    name: 'dimension last 5 days→multi',
    mapping: dimensionMapping('date', lastNMapping(5)),
    up: dailyBerlin,
    down: dateStation,
  },
];

const subset = (size: number) =>
  fc
    .array(fc.tuple(fc.nat(Math.max(0, size - 1)), fc.integer({ min: 1, max: 40 })), {
      maxLength: 6,
    })
    .map((ranges) =>
      PartitionSet.fromRanges(
        size,
        ranges.map(([a, n]) => [Math.min(a, size), Math.min(a + n, size)] as [number, number]),
      ),
    );
const single = (size: number, i: number) => PartitionSet.fromRanges(size, [[i, i + 1]]);

describe.each(scenarios)('mapping: $name', ({ mapping, up, down }) => {
  it('connects the spaces', () => {
    expect(mapping.validate(up, down)).toBeUndefined();
  });

  it('mapping then inverse-mapping covers every partition that reads something', () => {
    fc.assert(
      fc.property(subset(down.size), (d) => {
        const back = mapping.downstreamFor(mapping.upstreamFor(d, down, up).partitions, up, down);
        for (const i of d.indices()) {
          if (!mapping.upstreamFor(single(down.size, i), down, up).partitions.isEmpty())
            expect(back.has(i)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('upstreamFor is monotone and the union of its single partitions', () => {
    fc.assert(
      fc.property(subset(down.size), subset(down.size), (d1, extra) => {
        const small = mapping.upstreamFor(d1, down, up).partitions;
        const large = mapping.upstreamFor(d1.union(extra), down, up).partitions;
        expect(small.isSubsetOf(large)).toBe(true);
        let union = PartitionSet.empty(up.size);
        for (const i of d1.indices())
          union = union.union(mapping.upstreamFor(single(down.size, i), down, up).partitions);
        expect(union.equals(small)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('downstreamFor(U) is exactly the partitions whose upstream meets U', () => {
    fc.assert(
      fc.property(subset(up.size), (u) => {
        const fed = mapping.downstreamFor(u, up, down);
        for (let i = 0; i < down.size; i++) {
          const reads = mapping.upstreamFor(single(down.size, i), down, up).partitions;
          expect(fed.has(i)).toBe(!reads.intersect(u).isEmpty());
        }
      }),
      { numRuns: 15 },
    );
  });
});
