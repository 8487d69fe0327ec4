/**
 * Code locations' manifests: a location's assets described as JSON and built again in the
 * project give the same graph (edges, mappings, partitions, code versions); what cannot be
 * said as data is refused with the asset's name; merging finds duplicates and mismatches.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asset,
  dailyPartitions,
  defineProject,
  externalAsset,
  externalSource,
  many,
  multiPartitions,
  one,
  PartitionSet,
  type PartitionsDefinition,
  type ProjectDefinition,
  resolvePartitionSpace,
  schedule,
  sourceAsset,
  staticPartitions,
  type Upstream,
} from '../src/definitions/index.js';
import {
  allPartitionsMapping,
  dimensionMapping,
  identityMapping,
  lastNMapping,
  mappingFromSpec,
  mappingSpecOf,
  type PartitionMapping,
  staticMapping,
  timeWindowMapping,
} from '../src/graph/index.js';
import { describeLocation, mergeLocations } from '../src/locations/index.js';
import { codePartsOf, codeVersionOf } from '../src/versioning/index.js';

const NOW = Date.parse('2024-03-01T00:00:00Z');
const space = (definition: PartitionsDefinition) =>
  resolvePartitionSpace(definition, { now: NOW, dynamicKeys: () => [] });
const daily = dailyPartitions({ start: '2024-01-01' });
const stations = staticPartitions(['a', 'b', 'c']);
const regions = staticPartitions(['west', 'east']);
const perStationDay = multiPartitions({ date: daily, station: stations });

const setOf = (size: number, picks: number[]) =>
  PartitionSet.fromRanges(
    size,
    picks.map((p) => [p % size, (p % size) + 1] as const),
  );

/** JSON in, JSON out: what crosses the process boundary. */
const overTheWire = (project: ProjectDefinition) =>
  JSON.parse(JSON.stringify(describeLocation(project)));

describe('mapping specs', () => {
  const cases: Array<{
    name: string;
    mapping: () => PartitionMapping;
    up: PartitionsDefinition;
    down: PartitionsDefinition;
  }> = [
    { name: 'identity', mapping: identityMapping, up: daily, down: daily },
    { name: 'all', mapping: allPartitionsMapping, up: stations, down: daily },
    { name: 'time window', mapping: timeWindowMapping, up: daily, down: daily },
    { name: 'last 3', mapping: () => lastNMapping(3), up: daily, down: daily },
    {
      name: 'static',
      mapping: () => staticMapping({ west: ['a', 'b'], east: 'c' }),
      up: stations,
      down: regions,
    },
    { name: 'dimension', mapping: () => dimensionMapping('date'), up: daily, down: perStationDay },
    {
      name: 'dimension over last 2',
      mapping: () => dimensionMapping('date', lastNMapping(2)),
      up: daily,
      down: perStationDay,
    },
  ];

  it('builds every built-in mapping again that reads what the original reads', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        ({ mapping, up, down }, picks) => {
          const original = mapping();
          const spec = mappingSpecOf(original);
          expect(spec).toBeDefined();
          const rebuilt = mappingFromSpec(JSON.parse(JSON.stringify(spec)));
          const u = space(up);
          const d = space(down);
          const downSet = setOf(d.size, picks);
          const upSet = setOf(u.size, picks);
          const a = original.upstreamFor(downSet, d, u);
          const b = rebuilt.upstreamFor(downSet, d, u);
          expect([...b.partitions.indices()]).toEqual([...a.partitions.indices()]);
          expect(b.missing).toEqual(a.missing);
          expect([...rebuilt.downstreamFor(upSet, u, d).indices()]).toEqual([
            ...original.downstreamFor(upSet, u, d).indices(),
          ]);
          expect(rebuilt.description).toBe(original.description);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('has no spec for a mapping of the user’s own, nor for a dimension over one', () => {
    const mine: PartitionMapping = { ...identityMapping() };
    expect(mappingSpecOf(mine)).toBeUndefined();
    expect(mappingSpecOf(dimensionMapping('date', mine))).toBeUndefined();
  });
});

describe('manifests', () => {
  const raw = asset({ key: 'prep/raw', partitions: daily, materialize: () => 1 });
  const rolling = asset({
    key: 'prep/rolling',
    partitions: daily,
    ins: { raw: many(raw, lastNMapping(3)) },
    tags: { pool: 'cpu' },
    owners: ['team:hydro'],
    retry: { maxAttempts: 3 },
    freshness: { maxLag: '1d' },
    materialize: (_ctx, { raw }) => [...raw.values()].length,
  });

  it('carries what the project plans with, and code versions with their parts', () => {
    const location = defineProject({ assets: [raw, rolling], pools: { cpu: 2 } });
    const merged = mergeLocations(defineProject({ assets: [], pools: { cpu: 1 } }), [
      { name: 'prep', folder: './prep', manifest: overTheWire(location) },
    ]);
    const rebuilt = merged.project.assets.find((a) => a.key === 'prep/rolling');
    if (rebuilt?.kind !== 'asset') throw new Error('not rebuilt');
    expect(codeVersionOf(rebuilt)).toBe(codeVersionOf(rolling));
    expect(codePartsOf(rebuilt)).toEqual(codePartsOf(rolling));
    expect(rebuilt.ins.raw?.key).toBe('prep/raw');
    expect(rebuilt.ins.raw).toBe(merged.project.assets.find((a) => a.key === 'prep/raw'));
    expect(rebuilt.inputModes.raw?.many).toBe(true);
    expect(rebuilt.partitions).toEqual(daily);
    expect(rebuilt.tags).toEqual({ pool: 'cpu' });
    expect(rebuilt.owners).toEqual(['team:hydro']);
    expect(rebuilt.retry.maxAttempts).toBe(3);
    expect(rebuilt.freshness).toEqual({ maxLag: '1d' });
    expect(merged.project.pools).toEqual({ cpu: 1 }); // the project's own limit wins
    expect(merged.locationOf.get('prep/rolling')).toBe('prep');
    expect(() => rebuilt.materialize({} as never, {})).toThrow(/runs in code location 'prep'/);
  });

  it('refuses a mapping of the user’s own and a freshness policy per partition, naming the asset', () => {
    const mine: PartitionMapping = { ...identityMapping() };
    const custom = asset({
      key: 'x/custom',
      partitions: daily,
      ins: { raw: one(raw, mine) },
      materialize: () => 1,
    });
    expect(() => describeLocation(defineProject({ assets: [raw, custom] }))).toThrow(
      /x\/custom input 'raw' reads through a partition mapping of your own/,
    );
    const perPartition = asset({
      key: 'x/per_partition',
      partitions: daily,
      freshness: { partitions: () => ({ maxLag: '1d' }) },
      materialize: () => 1,
    });
    expect(() => describeLocation(defineProject({ assets: [perPartition] }))).toThrow(
      /x\/per_partition has a freshness policy per partition/,
    );
  });

  it('refuses sources, sensors and schedules in a location: the project observes and runs them', () => {
    const feed = sourceAsset({ key: 'raw/feed', observe: () => ({ dataVersion: '1' }) });
    expect(() => describeLocation(defineProject({ assets: [feed] }))).toThrow(
      /source asset raw\/feed is defined in a code location/,
    );
    const nightly = schedule({ name: 'nightly', cron: '0 3 * * *', selection: 'prep/raw' });
    expect(() => describeLocation(defineProject({ assets: [raw], schedules: [nightly] }))).toThrow(
      /a code location defines schedule 'nightly'/,
    );
  });

  it('links a location to a source of the project, and refuses a source read as an asset', () => {
    const feed = sourceAsset({ key: 'raw/feed', observe: () => ({ dataVersion: '1' }) });
    const reader = (upstream: Upstream) =>
      asset({ key: 'prep/reader', ins: { feed: upstream }, materialize: () => 1 });
    const viaSource = externalSource('raw/feed');
    const merged = mergeLocations(defineProject({ assets: [feed] }), [
      {
        name: 'prep',
        folder: './prep',
        manifest: overTheWire(defineProject({ assets: [viaSource, reader(viaSource)] })),
      },
    ]);
    const linked = merged.project.assets.find((a) => a.key === 'prep/reader');
    expect(linked?.kind === 'asset' && linked.ins.feed).toBe(feed);
    const viaAsset = externalAsset('raw/feed');
    expect(() =>
      mergeLocations(defineProject({ assets: [feed] }), [
        {
          name: 'prep',
          folder: './prep',
          manifest: overTheWire(defineProject({ assets: [viaAsset, reader(viaAsset)] })),
        },
      ]),
    ).toThrow(
      /reads raw\/feed with externalAsset\(\), but the project defines it as a source asset/,
    );
  });

  it('refuses two locations that give one pool different sizes, unless the project sizes it', () => {
    const a = overTheWire(defineProject({ assets: [raw], pools: { gpu: 1 } }));
    const b = overTheWire(
      defineProject({
        assets: [asset({ key: 'b/x', materialize: () => 1 })],
        pools: { gpu: 2 },
      }),
    );
    const load = (pools: Record<string, number>) =>
      mergeLocations(defineProject({ assets: [], pools }), [
        { name: 'a', folder: './a', manifest: a },
        { name: 'b', folder: './b', manifest: b },
      ]);
    expect(() => load({})).toThrow(/pool 'gpu' has 1 slots in location 'a' and 2 in location 'b'/);
    expect(load({ gpu: 3 }).project.pools).toEqual({ gpu: 3 });
  });

  it('checks the project’s own external assets too, and stands in for a location that did not load', () => {
    const report = (upstream: Upstream) =>
      asset({ key: 'report', ins: { raw: upstream }, materialize: () => 1 });
    const wrong = externalAsset('prep/raw', { io: 'bytes', partitions: daily });
    const prep = overTheWire(defineProject({ assets: [raw] }));
    expect(() =>
      mergeLocations(defineProject({ assets: [wrong, report(wrong)] }), [
        { name: 'prep', folder: './prep', manifest: prep },
      ]),
    ).toThrow(
      /the project reads prep\/raw with io 'bytes', but location 'prep' stores it as 'json'/,
    );
    const right = externalAsset('prep/raw', { partitions: daily });
    const project = defineProject({ assets: [right, report(right)] });
    // Never loaded: a placeholder shaped as declared; loaded once: its last manifest, unavailable.
    const never = mergeLocations(project, [{ name: 'prep', folder: './prep', problem: 'broken' }]);
    const stand = never.project.assets.find((a) => a.key === 'prep/raw');
    expect(stand?.partitions).toEqual(daily);
    const last = mergeLocations(project, [
      { name: 'prep', folder: './prep', problem: 'broken', last: prep },
    ]);
    const kept = last.project.assets.find((a) => a.key === 'prep/raw');
    if (kept?.kind !== 'asset') throw new Error('not kept');
    expect(codeVersionOf(kept)).toBe(codeVersionOf(raw));
    expect(last.unavailableOf.get('prep/raw')).toBe('prep');
    expect(last.locationOf.has('prep/raw')).toBe(false);
    expect(() => kept.materialize({} as never, {})).toThrow(
      /prep\/raw cannot be materialized: its code location 'prep' did not load \(broken\)/,
    );
  });

  it('refuses metadata JSON cannot hold, naming the asset', () => {
    const big = asset({ key: 'x/big', metadata: { n: 1n } as never, materialize: () => 1 });
    expect(() => describeLocation(defineProject({ assets: [big] }))).toThrow(
      /x\/big's metadata cannot be handed to the project as JSON/,
    );
  });

  it('finds an asset defined in two places, and an external asset nobody defines', () => {
    const location = overTheWire(defineProject({ assets: [raw] }));
    expect(() =>
      mergeLocations(defineProject({ assets: [raw] }), [
        { name: 'prep', folder: './prep', manifest: location },
      ]),
    ).toThrow(/prep\/raw is defined by the project and by location 'prep'/);
    const reader = asset({
      key: 'ml/reader',
      ins: { raw: externalAsset<number>('prep/nowhere') },
      materialize: (_ctx, { raw }) => raw,
    });
    const ml = overTheWire(
      defineProject({ assets: [externalAsset<number>('prep/nowhere'), reader] }),
    );
    expect(() =>
      mergeLocations(defineProject({ assets: [] }), [{ name: 'ml', folder: './ml', manifest: ml }]),
    ).toThrow(/ml\/reader \(location 'ml'\) reads prep\/nowhere, which no location defines/);
  });
});
