import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  hourlyPartitions,
  monthlyPartitions,
  multiPartitions,
  PartitionSet,
  type PartitionSpace,
  type PartitionsDefinition,
  resolvePartitionSpace,
  staticPartitions,
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

const NOW = Date.parse('2024-04-20T00:00:00Z');
const resolve = (definition: PartitionsDefinition | undefined) =>
  resolvePartitionSpace(definition, { now: NOW, dynamicKeys: () => [] });

/** The newest value each downstream partition reads, one `upstreamFor` call per partition. */
function bruteForce(
  mapping: PartitionMapping,
  values: Float64Array,
  up: PartitionSpace,
  down: PartitionSpace,
): { newest: number[]; most: number } {
  const newest: number[] = [];
  let most = 0;
  for (let d = 0; d < down.size; d++) {
    const read = mapping.upstreamFor(PartitionSet.empty(down.size).add(d), down, up).partitions;
    most = Math.max(most, read.count);
    let max = 0;
    for (const u of read.indices()) max = Math.max(max, values[u]!);
    newest.push(max);
  }
  return { newest, most };
}

const zone = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata');
const start = fc.constantFrom('2024-02-20', '2024-03-01', '2024-03-29', '2024-03-31');
const timeWindows = fc.oneof(
  fc.record({ start, timezone: zone }).map((o) => hourlyPartitions(o)),
  fc
    .record({ start, timezone: zone, hour: fc.constantFrom(0, 6) })
    .map(({ hour, ...o }) => dailyPartitions({ ...o, offset: { hour } })),
  fc.record({ start, timezone: zone }).map((o) => weeklyPartitions(o)),
  fc
    .record({ start: fc.constantFrom('2023-06-01', '2024-01-15'), timezone: zone })
    .map((o) => monthlyPartitions(o)),
);
const ids = (size: number) =>
  fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: size, maxLength: size });

function agree(
  mapping: PartitionMapping,
  up: PartitionSpace,
  down: PartitionSpace,
  values: number[],
) {
  const typed = Float64Array.from(values);
  const { newest, most } = bruteForce(mapping, typed, up, down);
  expect([...mapping.newestRead!(typed, up, down)]).toEqual(newest);
  // readsOne may only claim one partition when none reads more.
  if (mapping.readsOne(up, down)) expect(most).toBeLessThanOrEqual(1);
}

describe('newestRead agrees with upstreamFor partition by partition', () => {
  it('time windows: overlap, last N and identity, across cadences, zones and DST', () => {
    fc.assert(
      fc.property(
        timeWindows,
        timeWindows,
        fc.integer({ min: 1, max: 9 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1000 })),
        (upDef, downDef, n, stream) => {
          const up = resolve(upDef);
          const down = resolve(downDef);
          if (up.size > 2000 || down.size > 2000) return;
          const values = Array.from({ length: up.size }, () => stream.next().value);
          agree(timeWindowMapping(), up, down, values);
          agree(lastNMapping(n), up, down, values);
          if (identityMapping().validate(up, down) === undefined)
            agree(identityMapping(), up, down, values);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('all, static tables, and one dimension of multi partitions, in both directions', () => {
    const states = staticPartitions(['CA', 'OR', 'WA', 'NY']);
    const days = dailyPartitions({ start: '2024-04-01' });
    const multi = multiPartitions({ date: days, state: states });
    fc.assert(
      fc.property(
        ids(4),
        ids(19),
        ids(19 * 4),
        fc.dictionary(
          fc.constantFrom('west', 'east', 'north'),
          fc.subarray(['CA', 'OR', 'WA', 'NY']),
        ),
        (perState, perDay, perCell, table) => {
          const stateSpace = resolve(states);
          const daySpace = resolve(days);
          const multiSpace = resolve(multi);
          const regions = resolve(staticPartitions(['west', 'east', 'north']));
          agree(allPartitionsMapping(), daySpace, resolve(undefined), perDay);
          agree(allPartitionsMapping(), resolve(undefined), daySpace, [perDay[0]!]);
          agree(staticMapping(table), stateSpace, regions, perState);
          agree(dimensionMapping('date'), daySpace, multiSpace, perDay);
          agree(dimensionMapping('date'), multiSpace, daySpace, perCell);
          agree(dimensionMapping('state'), multiSpace, stateSpace, perCell);
          agree(dimensionMapping('date', lastNMapping(3)), daySpace, multiSpace, perDay);
        },
      ),
      { numRuns: 40 },
    );
  });
});
