import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  dynamicPartitions,
  hourlyPartitions,
  monthlyPartitions,
  multiPartitions,
  type PartitionSpace,
  type PartitionsDefinition,
  partitionRange,
  resolvePartitionSpace,
  staticPartitions,
  weeklyPartitions,
} from '../src/definitions/partitions/index.js';
import { DefinitionError, EnvironmentError } from '../src/errors.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const H = 3_600_000;

function space(
  def: PartitionsDefinition | undefined,
  now = NOW,
  dynamic: Record<string, string[]> = {},
) {
  return resolvePartitionSpace(def, { now, dynamicKeys: (name) => dynamic[name] ?? [] });
}

function keys(s: PartitionSpace, from = 0, to = s.size): string[] {
  return Array.from({ length: to - from }, (_, i) => s.keyAt(from + i));
}

function hours(s: PartitionSpace, key: string): number {
  const w = s.windowAt(s.indexOf(key))!;
  return (w.end - w.start) / H;
}

describe('time-window definitions', () => {
  it('builds a daily definition with defaults and a description', () => {
    expect(dailyPartitions({ start: '2024-01-01' })).toEqual({
      kind: 'time-window',
      cadence: 'daily',
      start: '2024-01-01',
      end: undefined,
      timezone: 'UTC',
      offset: { minute: 0, hour: 0, weekday: 0, dayOfMonth: 1 },
      description: 'daily partitions from 2024-01-01 (UTC)',
    });
    expect(
      dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin', offset: { hour: 6 } })
        .description,
    ).toBe('daily partitions from 2024-01-01 (Europe/Berlin, days start at 06:00)');
    expect(
      weeklyPartitions({ start: '2024-01-01', end: '2024-06-01', offset: { weekday: 1 } })
        .description,
    ).toBe('weekly partitions from 2024-01-01 until 2024-06-01 (UTC, weeks start Monday 00:00)');
  });

  it('rejects invalid time zones, starts, ends and offsets with exact messages', () => {
    const cases: Array<[() => unknown, string]> = [
      [
        () => dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berln' }),
        "Unknown timezone 'Europe/Berln' for daily partitions: use an IANA name such as 'UTC' or 'Europe/Berlin'",
      ],
      [
        () => hourlyPartitions({ start: '2024-02-30' }),
        "Invalid start '2024-02-30' for hourly partitions: expected a local date 'YYYY-MM-DD' or date and time 'YYYY-MM-DDTHH:mm'",
      ],
      [
        () => dailyPartitions({ start: '2024-01-01T00:00Z' }),
        "Invalid start '2024-01-01T00:00Z' for daily partitions: expected a local date 'YYYY-MM-DD' or date and time 'YYYY-MM-DDTHH:mm'",
      ],
      [
        () => dailyPartitions({ start: '2024-01-01', end: 'soon' }),
        "Invalid end 'soon' for daily partitions: expected a local date 'YYYY-MM-DD' or date and time 'YYYY-MM-DDTHH:mm'",
      ],
      [
        () => monthlyPartitions({ start: '2024-02-01', end: '2024-01-01' }),
        "The end '2024-01-01' of monthly partitions is not after its start '2024-02-01'",
      ],
      [
        () => dailyPartitions({ start: '2024-01-01', offset: { hour: 24 } }),
        'Invalid offset hour 24 for daily partitions: expected an integer from 0 to 23',
      ],
      [
        () => monthlyPartitions({ start: '2024-01-01', offset: { dayOfMonth: 29 } }),
        'Invalid offset dayOfMonth 29 for monthly partitions: expected an integer from 1 to 28',
      ],
      [
        () => weeklyPartitions({ start: '2024-01-01', offset: { weekday: 7 } }),
        'Invalid offset weekday 7 for weekly partitions: expected an integer from 0 to 6',
      ],
      [
        () => hourlyPartitions({ start: '2024-01-01', offset: { minute: 1.5 } }),
        'Invalid offset minute 1.5 for hourly partitions: expected an integer from 0 to 59',
      ],
    ];
    for (const [make, message] of cases) {
      expect(make).toThrowError(DefinitionError);
      expect(make).toThrowError(message);
    }
  });
});

describe('time-window spaces', () => {
  it('holds the windows that have completely ended by now', () => {
    const s = space(dailyPartitions({ start: '2024-12-29' }));
    expect(keys(s)).toEqual(['2024-12-29', '2024-12-30', '2024-12-31']);
    expect(s.indexOf('2025-01-01')).toBe(-1); // still running at noon
    expect(space(dailyPartitions({ start: '2025-02-01' })).size).toBe(0);
    const h = space(hourlyPartitions({ start: '2025-01-01' }));
    expect(h.size).toBe(12);
    expect(h.keyAt(11)).toBe('2025-01-01T11:00');
    expect(h.windowAt(11)).toEqual({ start: Date.parse('2025-01-01T11:00Z'), end: NOW });
  });

  it('ends at the definition end, which is exclusive', () => {
    const s = space(dailyPartitions({ start: '2024-01-01', end: '2024-02-01' }));
    expect(s.size).toBe(31);
    expect(s.keyAt(30)).toBe('2024-01-31');
    const m = space(monthlyPartitions({ start: '2024-01-01', end: '2024-03-15' }));
    expect(keys(m)).toEqual(['2024-01-01', '2024-02-01']);
  });

  it('starts at the first window starting at or after start', () => {
    expect(space(weeklyPartitions({ start: '2024-01-01' })).keyAt(0)).toBe('2024-01-07'); // a Sunday
    expect(space(weeklyPartitions({ start: '2024-01-01', offset: { weekday: 1 } })).keyAt(0)).toBe(
      '2024-01-01',
    );
    expect(space(monthlyPartitions({ start: '2024-01-02' })).keyAt(0)).toBe('2024-02-01');
    expect(
      space(dailyPartitions({ start: '2024-01-01T07:00', offset: { hour: 6 } })).keyAt(0),
    ).toBe('2024-01-02');
    expect(
      space(hourlyPartitions({ start: '2024-01-01T10:20', offset: { minute: 15 } })).keyAt(0),
    ).toBe('2024-01-01T11:15');
  });

  it('has monthly and weekly boundaries on the calendar', () => {
    const m = space(
      monthlyPartitions({ start: '2023-11-15', offset: { dayOfMonth: 15, hour: 3 } }),
    );
    expect(keys(m, 0, 4)).toEqual(['2023-11-15', '2023-12-15', '2024-01-15', '2024-02-15']);
    expect(m.windowAt(3)).toEqual({
      start: Date.parse('2024-02-15T03:00Z'),
      end: Date.parse('2024-03-15T03:00Z'),
    });
    const feb = space(monthlyPartitions({ start: '2024-01-01' }));
    expect(hours(feb, '2024-02-01')).toBe(29 * 24); // leap year
    const w = space(weeklyPartitions({ start: '2023-12-25', offset: { weekday: 1 } }));
    expect(keys(w, 0, 3)).toEqual(['2023-12-25', '2024-01-01', '2024-01-08']);
    expect(w.indexOf('2024-01-02')).toBe(-1); // not a week start
  });

  it('keeps DST days 23 and 25 hours long in Europe/Berlin', () => {
    const d = space(dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' }));
    expect(hours(d, '2024-03-30')).toBe(24);
    expect(hours(d, '2024-03-31')).toBe(23);
    expect(hours(d, '2024-10-27')).toBe(25);
    expect(d.windowAt(d.indexOf('2024-03-31'))!.start).toBe(Date.parse('2024-03-30T23:00Z'));
    expect(d.windowAt(d.indexOf('2024-07-01'))!.start).toBe(Date.parse('2024-06-30T22:00Z'));
    const offset = space(
      dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin', offset: { hour: 6 } }),
    );
    expect(offset.windowAt(offset.indexOf('2024-03-30'))).toEqual({
      start: Date.parse('2024-03-30T05:00Z'),
      end: Date.parse('2024-03-31T04:00Z'),
    });
    const monthly = space(monthlyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' }));
    expect(hours(monthly, '2024-03-01')).toBe(31 * 24 - 1);
    expect(hours(monthly, '2024-10-01')).toBe(31 * 24 + 1);
  });

  it('keys the hour repeated in autumn with its offset, and skips the hour lost in spring', () => {
    const h = space(hourlyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' }));
    const autumn = h.indexOf('2024-10-27T01:00');
    expect(keys(h, autumn, autumn + 4)).toEqual([
      '2024-10-27T01:00',
      '2024-10-27T02:00',
      '2024-10-27T02:00+01:00',
      '2024-10-27T03:00',
    ]);
    expect(h.windowAt(autumn + 2)!.start).toBe(Date.parse('2024-10-27T01:00Z'));
    const spring = h.indexOf('2024-03-31T01:00');
    expect(keys(h, spring, spring + 2)).toEqual(['2024-03-31T01:00', '2024-03-31T03:00']);
    expect(h.indexOf('2024-03-31T02:00')).toBe(-1);
    expect(h.indexOf('2024-10-27T02:00+02:00')).toBe(-1); // keys are canonical
  });

  it('works in zones west of UTC and off the hour', () => {
    const ny = space(dailyPartitions({ start: '2024-03-09', timezone: 'America/New_York' }));
    expect(hours(ny, '2024-03-10')).toBe(23);
    expect(ny.windowAt(0)!.start).toBe(Date.parse('2024-03-09T05:00Z'));
    const kolkata = space(hourlyPartitions({ start: '2024-06-01', timezone: 'Asia/Kolkata' }));
    expect(kolkata.keyAt(0)).toBe('2024-06-01T00:00');
    expect(kolkata.windowAt(0)!.start).toBe(Date.parse('2024-05-31T18:30Z'));
  });

  it('answers -1 for anything that is not a canonical key', () => {
    const d = space(dailyPartitions({ start: '2024-01-01' }));
    for (const bad of [
      '',
      '2024-1-01',
      '2024-01-01T00:00',
      '2023-12-31',
      '2025-01-01',
      'x',
      '2024-02-30',
    ]) {
      expect(d.indexOf(bad)).toBe(-1);
    }
    expect(() => d.keyAt(d.size)).toThrowError(
      `Partition index ${d.size} is outside [0, ${d.size}) of daily partitions from 2024-01-01 (UTC)`,
    );
  });
});

describe('static, dynamic and multi spaces', () => {
  it('validates static keys', () => {
    expect(staticPartitions(['CA', 'OR', 'WA']).description).toBe(
      'static partitions (3: CA, OR, WA)',
    );
    const cases: Array<[readonly string[], string]> = [
      [[], 'Static partitions need at least one key'],
      [['CA', 'CA'], "Static partitions list 'CA' twice"],
      [
        ['a|b'],
        "Invalid static partitions: partition key 'a|b' may hold only letters, digits, '_', '.', ':' and '-'",
      ],
      [
        ['a,b'],
        "Invalid static partitions: partition key 'a,b' may hold only letters, digits, '_', '.', ':' and '-'",
      ],
      [[''], 'Invalid static partitions: a partition key must not be empty'],
    ];
    for (const [list, message] of cases) expect(() => staticPartitions(list)).toThrowError(message);
  });

  it('indexes static and dynamic keys in order', () => {
    const s = space(staticPartitions(['CA', 'OR', 'WA']));
    expect([s.size, s.keyAt(2), s.indexOf('OR'), s.indexOf('NY'), s.windowAt(0)]).toEqual([
      3,
      'WA',
      1,
      -1,
      undefined,
    ]);
    const def = dynamicPartitions('stations');
    expect(space(def).size).toBe(0);
    const d = space(def, NOW, { stations: ['ATT-01', 'ATT-02', 'ATT-01'] });
    expect(keys(d)).toEqual(['ATT-01', 'ATT-02']);
    expect(d.indexOf('ATT-02')).toBe(1);
    expect(() => dynamicPartitions('bad name')).toThrowError(
      "Invalid dynamic partitions name 'bad name': use letters, digits, '_', '.' and '-'",
    );
  });

  it('keys multi partitions a|b in dimension order', () => {
    const def = multiPartitions({
      date: dailyPartitions({ start: '2024-12-30', timezone: 'Europe/Berlin' }),
      station: dynamicPartitions('stations'),
    });
    expect(def.description).toBe(
      "multi partitions date: daily partitions from 2024-12-30 (Europe/Berlin) × station: dynamic partitions 'stations'",
    );
    const s = space(def, NOW, { stations: ['A', 'B', 'C'] });
    expect(s.size).toBe(6);
    expect(keys(s)).toEqual([
      '2024-12-30|A',
      '2024-12-30|B',
      '2024-12-30|C',
      '2024-12-31|A',
      '2024-12-31|B',
      '2024-12-31|C',
    ]);
    expect(s.indexOf('2024-12-31|B')).toBe(4);
    expect(s.indexOf('2024-12-31')).toBe(-1);
    expect(s.indexOf('2024-12-31|B|C')).toBe(-1);
    expect(s.windowAt(4)).toEqual({
      start: Date.parse('2024-12-30T23:00Z'),
      end: Date.parse('2024-12-31T23:00Z'),
    });
    expect(s.dimensions?.map((d) => d.name)).toEqual(['date', 'station']);
  });

  it('rejects multi partitions without exactly two valid dimensions', () => {
    const day = dailyPartitions({ start: '2024-01-01' });
    expect(() => multiPartitions({ date: day })).toThrowError(
      'Multi partitions need exactly 2 dimensions, got 1 (date)',
    );
    const multi = multiPartitions({ a: day, b: staticPartitions(['x']) });
    expect(() => multiPartitions({ a: day, b: multi as never })).toThrowError(
      "Dimension 'b' of multi partitions must be time-window, static or dynamic partitions, not multi partitions",
    );
    expect(() => multiPartitions({ 'a-b': day, c: day })).toThrowError(
      "Invalid multi partitions dimension name 'a-b': use letters, digits and '_'",
    );
  });

  it('treats an unpartitioned asset as one partition keyed ""', () => {
    const s = space(undefined);
    expect([s.size, s.keyAt(0), s.indexOf(''), s.indexOf('x'), s.windowAt(0)]).toEqual([
      1,
      '',
      0,
      -1,
      undefined,
    ]);
  });
});

describe('partitionRange', () => {
  const daily = space(dailyPartitions({ start: '2024-01-01', end: '2024-04-01' }));

  it('selects inclusive ranges by key or by any time inside a window', () => {
    expect(partitionRange(daily, '2024-01-01', '2024-03-31').count).toBe(91);
    expect(partitionRange(daily, '2024-01-10T13:45', '2024-01-12T00:00Z').ranges()).toEqual([
      [9, 12],
    ]);
    const h = space(
      hourlyPartitions({ start: '2024-01-01', end: '2024-01-03', timezone: 'Europe/Berlin' }),
    );
    expect(partitionRange(h, '2024-01-01T10:30', '2024-01-01T12:00').ranges()).toEqual([[10, 13]]);
    const offset = space(
      dailyPartitions({ start: '2024-01-01', end: '2024-02-01', offset: { hour: 6 } }),
    );
    expect(partitionRange(offset, '2024-01-02T05:00', '2024-01-02').ranges()).toEqual([[0, 2]]);
  });

  it('explains bad keys and ends with the valid range', () => {
    const cases: Array<[PartitionSpace, string, string, string]> = [
      [
        daily,
        '2023-12-31',
        '2024-01-05',
        "'2023-12-31' (from) is before the first partition; valid partitions of daily partitions from 2024-01-01 until 2024-04-01 (UTC) are '2024-01-01' to '2024-03-31'",
      ],
      [
        daily,
        '2024-01-05',
        '2024-04-01',
        "'2024-04-01' (to) is after the last complete partition; valid partitions of daily partitions from 2024-01-01 until 2024-04-01 (UTC) are '2024-01-01' to '2024-03-31'",
      ],
      [
        daily,
        'yesterday',
        '2024-01-05',
        "'yesterday' (from) is neither a partition key nor a date 'YYYY-MM-DD' or date-time 'YYYY-MM-DDTHH:mm'; valid partitions of daily partitions from 2024-01-01 until 2024-04-01 (UTC) are '2024-01-01' to '2024-03-31'",
      ],
      [
        daily,
        '2024-02-01',
        '2024-01-05',
        "the range start '2024-02-01' comes after its end '2024-01-05' in daily partitions from 2024-01-01 until 2024-04-01 (UTC)",
      ],
      [
        space(staticPartitions(['north_basin', 'south_basin'])),
        'north_basin',
        'suoth_basin',
        "'suoth_basin' (to) is not a partition of static partitions (2: north_basin, south_basin): did you mean 'south_basin', 'north_basin'?",
      ],
      [
        space(dailyPartitions({ start: '2030-01-01' })),
        '2030-01-01',
        '2030-01-02',
        "'2030-01-01' (from) is not a partition; daily partitions from 2030-01-01 (UTC) has no complete partitions yet",
      ],
      [space(undefined), 'x', 'x', "'x' is not a partition: the asset is not partitioned"],
    ];
    for (const [s, from, to, message] of cases) {
      expect(() => partitionRange(s, from, to)).toThrowError(EnvironmentError);
      expect(() => partitionRange(s, from, to)).toThrowError(message);
    }
  });

  it('selects static ranges by position and multi ranges as boxes', () => {
    expect(
      partitionRange(space(staticPartitions(['a', 'b', 'c', 'd'])), 'b', 'c').ranges(),
    ).toEqual([[1, 3]]);
    const multi = space(
      multiPartitions({
        date: dailyPartitions({ start: '2024-12-28' }),
        station: staticPartitions(['A', 'B', 'C']),
      }),
    );
    expect(
      [...partitionRange(multi, '2024-12-29|B', '2024-12-30|C').indices()].map((i) =>
        multi.keyAt(i),
      ),
    ).toEqual(['2024-12-29|B', '2024-12-29|C', '2024-12-30|B', '2024-12-30|C']);
    expect(partitionRange(multi, '2024-12-30', '2024-12-31').ranges()).toEqual([[6, 12]]);
    expect(() => partitionRange(multi, '2024-12-30|A', '2024-12-31')).toThrowError(
      "Give both ends of a range of multi partitions date: daily partitions from 2024-12-28 (UTC) × station: static partitions (3: A, B, C) as 'a|b' keys, got '2024-12-30|A' and '2024-12-31'",
    );
    expect(partitionRange(space(undefined), '', '').count).toBe(1);
  });
});
