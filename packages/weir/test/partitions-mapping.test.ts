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
  partitionRange,
  resolvePartitionSpace,
  staticPartitions,
  weeklyPartitions,
} from '../src/definitions/partitions/index.js';
import { DefinitionError } from '../src/errors.js';
import {
  allPartitionsMapping,
  defaultMapping,
  dimensionMapping,
  identityMapping,
  lastNMapping,
  type PartitionMapping,
  staticMapping,
  timeWindowMapping,
} from '../src/graph/partition-mapping/index.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const space = (def: PartitionsDefinition | undefined, dynamic: Record<string, string[]> = {}) =>
  resolvePartitionSpace(def, { now: NOW, dynamicKeys: (name) => dynamic[name] ?? [] });
const berlin = { timezone: 'Europe/Berlin' };
const hourlyBerlin = space(hourlyPartitions({ start: '2024-01-01', ...berlin }));
const dailyBerlin = space(dailyPartitions({ start: '2024-01-01', ...berlin }));
const dailyUtc = space(dailyPartitions({ start: '2024-01-01' }));

function keysOf(set: PartitionSet, s: PartitionSpace): string[] {
  return [...set.indices()].map((i) => s.keyAt(i));
}
function up(
  m: PartitionMapping,
  down: PartitionSpace,
  upstream: PartitionSpace,
  from: string,
  to = from,
) {
  const result = m.upstreamFor(partitionRange(down, from, to), down, upstream);
  return { keys: keysOf(result.partitions, upstream), missing: result.missing };
}
function downKeys(
  m: PartitionMapping,
  upstream: PartitionSpace,
  down: PartitionSpace,
  from: string,
  to = from,
) {
  return keysOf(m.downstreamFor(partitionRange(upstream, from, to), upstream, down), down);
}

describe('timeWindowMapping', () => {
  const m = timeWindowMapping();

  it('reads the 24, 23 or 25 hours of a day', () => {
    expect(up(m, dailyBerlin, hourlyBerlin, '2024-03-30').keys).toHaveLength(24);
    const spring = up(m, dailyBerlin, hourlyBerlin, '2024-03-31').keys;
    expect(spring).toHaveLength(23);
    expect(spring[2]).toBe('2024-03-31T03:00');
    const autumn = up(m, dailyBerlin, hourlyBerlin, '2024-10-27').keys;
    expect(autumn).toHaveLength(25);
    expect(autumn.slice(1, 4)).toEqual([
      '2024-10-27T01:00',
      '2024-10-27T02:00',
      '2024-10-27T02:00+01:00',
    ]);
  });

  it('reads the day containing an hour, and maps hours back to their day', () => {
    expect(up(m, hourlyBerlin, dailyBerlin, '2024-10-27T02:00+01:00').keys).toEqual(['2024-10-27']);
    expect(downKeys(m, hourlyBerlin, dailyBerlin, '2024-03-31T23:00', '2024-04-01T00:00')).toEqual([
      '2024-03-31',
      '2024-04-01',
    ]);
  });

  it('follows a day that starts at 06:00', () => {
    const hydroDay = space(
      dailyPartitions({ start: '2024-01-01', offset: { hour: 6 }, ...berlin }),
    );
    const hours = up(m, hydroDay, hourlyBerlin, '2024-03-30').keys;
    expect([hours.length, hours[0], hours.at(-1)]).toEqual([
      23,
      '2024-03-30T06:00',
      '2024-03-31T05:00',
    ]);
    expect(up(m, hydroDay, dailyBerlin, '2024-03-30').keys).toEqual(['2024-03-30', '2024-03-31']);
    expect(up(m, dailyBerlin, hydroDay, '2024-03-30').keys).toEqual(['2024-03-29', '2024-03-30']);
  });

  it('maps weeks and months onto days across time zones', () => {
    const weeks = space(weeklyPartitions({ start: '2024-01-01', offset: { weekday: 1 } }));
    expect(up(m, weeks, dailyUtc, '2024-01-08').keys).toEqual([
      '2024-01-08',
      '2024-01-09',
      '2024-01-10',
      '2024-01-11',
      '2024-01-12',
      '2024-01-13',
      '2024-01-14',
    ]);
    const months = space(monthlyPartitions({ start: '2024-01-01' }));
    expect(up(m, months, dailyUtc, '2024-02-01').keys).toHaveLength(29);
    // a Berlin day overlaps two UTC days
    expect(up(m, dailyBerlin, dailyUtc, '2024-06-10').keys).toEqual(['2024-06-09', '2024-06-10']);
  });

  it('reports windows before the upstream start as missing', () => {
    const late = space(dailyPartitions({ start: '2024-01-03' }));
    expect(up(m, dailyUtc, late, '2024-01-01', '2024-01-04')).toEqual({
      keys: ['2024-01-03', '2024-01-04'],
      missing: ['2024-01-01', '2024-01-02'],
    });
  });

  it('refuses spaces that are not time windows', () => {
    const stations = space(staticPartitions(['A', 'B']));
    expect(m.validate(stations, dailyUtc)).toBe(
      'timeWindowMapping connects time-window partitions only, not static partitions (2: A, B) (upstream) to daily partitions from 2024-01-01 (UTC) (downstream)',
    );
    expect(() => m.upstreamFor(PartitionSet.all(dailyUtc.size), dailyUtc, stations)).toThrowError(
      DefinitionError,
    );
  });
});

describe('lastNMapping', () => {
  it('reads the last n windows ending with its own end', () => {
    const m = lastNMapping(7);
    expect(up(m, dailyUtc, dailyUtc, '2024-01-10')).toEqual({
      keys: [
        '2024-01-04',
        '2024-01-05',
        '2024-01-06',
        '2024-01-07',
        '2024-01-08',
        '2024-01-09',
        '2024-01-10',
      ],
      missing: [],
    });
    expect(up(m, dailyUtc, dailyUtc, '2024-01-02')).toEqual({
      keys: ['2024-01-01', '2024-01-02'],
      missing: ['2023-12-27', '2023-12-28', '2023-12-29', '2023-12-30', '2023-12-31'],
    });
    expect(downKeys(m, dailyUtc, dailyUtc, '2024-01-10')).toEqual([
      '2024-01-10',
      '2024-01-11',
      '2024-01-12',
      '2024-01-13',
      '2024-01-14',
      '2024-01-15',
      '2024-01-16',
    ]);
    expect(downKeys(m, dailyUtc, dailyUtc, '2024-12-30')).toEqual(['2024-12-30', '2024-12-31']);
  });

  it('works across cadences: a day reads its last 3 hours, and the hours feed it back', () => {
    const m = lastNMapping(3);
    expect(up(m, dailyBerlin, hourlyBerlin, '2024-03-31', '2024-04-01').keys).toEqual([
      '2024-03-31T21:00',
      '2024-03-31T22:00',
      '2024-03-31T23:00',
      '2024-04-01T21:00',
      '2024-04-01T22:00',
      '2024-04-01T23:00',
    ]);
    expect(downKeys(m, hourlyBerlin, dailyBerlin, '2024-03-31T21:00', '2024-04-01T20:00')).toEqual([
      '2024-03-31',
    ]);
    expect(lastNMapping(2).description).toBe(
      'the last 2 upstream time windows ending with the downstream window',
    );
    expect(() => lastNMapping(0)).toThrowError(
      'lastNMapping needs a whole number of windows of at least 1, got 0',
    );
  });
});

describe('identity, all and static mappings', () => {
  it('identity shifts between time windows of the same family with different starts', () => {
    const later = space(dailyPartitions({ start: '2024-06-01' }));
    expect(up(identityMapping(), later, dailyUtc, '2024-06-05').keys).toEqual(['2024-06-05']);
    expect(up(identityMapping(), dailyUtc, later, '2024-05-31', '2024-06-01')).toEqual({
      keys: ['2024-06-01'],
      missing: ['2024-05-31'],
    });
    expect(identityMapping().validate(hourlyBerlin, dailyBerlin)).toBe(
      'identity mapping cannot connect hourly partitions from 2024-01-01 (Europe/Berlin) (upstream) to daily partitions from 2024-01-01 (Europe/Berlin) (downstream): their windows differ; use timeWindowMapping()',
    );
  });

  it('identity maps static and dynamic keys by key', () => {
    const states = space(staticPartitions(['CA', 'OR', 'WA']));
    const seen = space(dynamicPartitions('states'), { states: ['WA', 'NY'] });
    expect(up(identityMapping(), seen, states, 'WA', 'NY')).toEqual({
      keys: ['WA'],
      missing: ['NY'],
    });
    expect(downKeys(identityMapping(), states, seen, 'CA', 'WA')).toEqual(['WA']);
  });

  it('all partitions: an unpartitioned report reads every day, an unpartitioned table feeds every day', () => {
    const m = allPartitionsMapping();
    const report = space(undefined);
    expect(m.upstreamFor(PartitionSet.all(1), report, dailyUtc).partitions.count).toBe(
      dailyUtc.size,
    );
    expect(m.downstreamFor(PartitionSet.all(1), report, dailyUtc).count).toBe(dailyUtc.size);
    expect(m.upstreamFor(PartitionSet.empty(1), report, dailyUtc).partitions.isEmpty()).toBe(true);
  });

  it('static mapping reads the listed keys and reports unknown ones', () => {
    const states = space(staticPartitions(['CA', 'OR', 'WA', 'NY']));
    const regions = space(staticPartitions(['west', 'east']));
    const m = staticMapping({ west: ['CA', 'OR', 'WA'], east: 'NY' });
    expect(up(m, regions, states, 'west').keys).toEqual(['CA', 'OR', 'WA']);
    expect(downKeys(m, states, regions, 'WA', 'NY')).toEqual(['west', 'east']);
    expect(staticMapping({ west: 'CA', north: 'AK' }).validate(states, regions)).toBe(
      'staticMapping names downstream keys that are not partitions of static partitions (2: west, east): north',
    );
    expect(staticMapping({ west: ['CA', 'NV'] }).validate(states, regions)).toBe(
      'staticMapping names upstream keys that are not partitions of static partitions (4: CA, OR, WA, NY): NV',
    );
    const dynamicUp = space(dynamicPartitions('states'), { states: ['CA'] });
    expect(up(staticMapping({ west: ['CA', 'NV'] }), regions, dynamicUp, 'west')).toEqual({
      keys: ['CA'],
      missing: ['NV'],
    });
  });
});

describe('dimensionMapping', () => {
  const dateStation = space(
    multiPartitions({
      date: dailyPartitions({ start: '2024-01-01' }),
      station: staticPartitions(['A', 'B', 'C']),
    }),
  );

  it('a date|station partition reads the day of its date', () => {
    expect(up(dimensionMapping('date'), dateStation, dailyUtc, '2024-01-02|B').keys).toEqual([
      '2024-01-02',
    ]);
    expect(downKeys(dimensionMapping('date'), dailyUtc, dateStation, '2024-01-02')).toEqual([
      '2024-01-02|A',
      '2024-01-02|B',
      '2024-01-02|C',
    ]);
  });

  it('a daily partition reads every station of its day; a station reads its station', () => {
    expect(up(dimensionMapping('date'), dailyUtc, dateStation, '2024-01-02').keys).toEqual([
      '2024-01-02|A',
      '2024-01-02|B',
      '2024-01-02|C',
    ]);
    const stations = space(staticPartitions(['A', 'B', 'C']));
    const wrapped = PartitionSet.fromRanges(dateStation.size, [[2, 4]]); // 2024-01-01|C, 2024-01-02|A
    const fromStations = dimensionMapping('station').upstreamFor(wrapped, dateStation, stations);
    expect(keysOf(fromStations.partitions, stations)).toEqual(['A', 'C']);
    expect(downKeys(dimensionMapping('station'), stations, dateStation, 'B').slice(0, 2)).toEqual([
      '2024-01-01|B',
      '2024-01-02|B',
    ]);
  });

  it('maps the dimension through an inner mapping, reporting missing keys in full', () => {
    const m = dimensionMapping('date', lastNMapping(2));
    expect(up(m, dailyUtc, dateStation, '2024-01-01')).toEqual({
      keys: ['2024-01-01|A', '2024-01-01|B', '2024-01-01|C'],
      missing: ['2023-12-31|A', '2023-12-31|B', '2023-12-31|C'],
    });
    expect(
      up(dimensionMapping('date'), dateStation, hourlyBerlin, '2024-01-01|A').keys,
    ).toHaveLength(24);
  });

  it('explains what it cannot connect', () => {
    expect(dimensionMapping('day').validate(dailyUtc, dateStation)).toBe(
      "dimensionMapping('day'): multi partitions date: daily partitions from 2024-01-01 (UTC) × station: static partitions (3: A, B, C) has no dimension 'day' (it has 'date' and 'station')",
    );
    expect(dimensionMapping('date').validate(dailyUtc, dailyUtc)).toBe(
      "dimensionMapping('date') connects multi partitions to single-dimension partitions, not daily partitions from 2024-01-01 (UTC) (upstream) to daily partitions from 2024-01-01 (UTC) (downstream)",
    );
    expect(dimensionMapping('station').validate(space(staticPartitions(['X'])), dateStation)).toBe(
      "dimensionMapping('station'): give the mapping between dimension 'station' (static partitions (3: A, B, C)) and static partitions (1: X), e.g. dimensionMapping('station', staticMapping({…}))",
    );
  });
});

describe('defaultMapping', () => {
  it('picks identity, all, time window or dimension, else asks for one', () => {
    const states = space(staticPartitions(['CA', 'OR']));
    const dateState = space(
      multiPartitions({
        date: dailyPartitions({ start: '2024-01-01' }),
        state: staticPartitions(['CA', 'OR']),
      }),
    );
    expect(defaultMapping(space(undefined), space(undefined)).description).toBe(
      identityMapping().description,
    );
    expect(defaultMapping(dailyUtc, dailyUtc).description).toBe(identityMapping().description);
    expect(defaultMapping(states, space(staticPartitions(['CA', 'OR']))).description).toBe(
      identityMapping().description,
    );
    expect(defaultMapping(dailyUtc, space(undefined)).description).toBe('every upstream partition');
    expect(defaultMapping(space(undefined), dailyUtc).description).toBe('every upstream partition');
    expect(defaultMapping(hourlyBerlin, dailyBerlin).description).toBe(
      timeWindowMapping().description,
    );
    expect(defaultMapping(states, dateState).description).toBe(
      "dimension 'state': the same key, or overlapping time windows",
    );
    expect(defaultMapping(dateState, hourlyBerlin).description).toBe(
      "dimension 'date': the same key, or overlapping time windows",
    );
    expect(() => defaultMapping(states, dailyUtc)).toThrowError(
      'No default partition mapping from static partitions (2: CA, OR) (upstream) to daily partitions from 2024-01-01 (UTC) (downstream): give one, such as staticMapping({…}), dimensionMapping(name) or allPartitionsMapping()',
    );
  });
});
