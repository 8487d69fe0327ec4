import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  decodeSet,
  dynamicPartitions,
  encodeSet,
  multiPartitions,
  PartitionSet,
  resolvePartitionSpace,
  staticPartitions,
} from '../src/index.js';

const NOW = Date.parse('2026-11-21T00:00:00Z');
const days = dailyPartitions({ start: '2026-11-01' });

describe('key ranges', () => {
  it('round-trip any set over one and two dimensions', () => {
    const spaces = [
      resolvePartitionSpace(days, { now: NOW, dynamicKeys: () => [] }),
      resolvePartitionSpace(staticPartitions(['a', 'b', 'c', 'd', 'e']), {
        now: 0,
        dynamicKeys: () => [],
      }),
      resolvePartitionSpace(multiPartitions({ s: staticPartitions(['x', 'y', 'z']), day: days }), {
        now: NOW,
        dynamicKeys: () => [],
      }),
      resolvePartitionSpace(multiPartitions({ day: days, s: staticPartitions(['x', 'y']) }), {
        now: NOW,
        dynamicKeys: () => [],
      }),
    ];
    for (const space of spaces) {
      fc.assert(
        fc.property(
          fc.array(fc.boolean(), { minLength: space.size, maxLength: space.size }),
          (bits) => {
            const set = PartitionSet.empty(space.size);
            bits.forEach((bit, i) => {
              if (bit) set.add(i);
            });
            const json = JSON.parse(JSON.stringify(encodeSet(set, space)));
            expect(decodeSet(json, space).equals(set)).toBe(true);
          },
        ),
        { numRuns: 200 },
      );
    }
  });

  it('are ranges: a contiguous run is one entry, a grid column one box', () => {
    const space = resolvePartitionSpace(days, { now: NOW, dynamicKeys: () => [] });
    expect(
      encodeSet(
        PartitionSet.fromRanges(space.size, [
          [2, 9],
          [12, 13],
        ]),
        space,
      ),
    ).toEqual([['2026-11-03', '2026-11-09'], '2026-11-13']);
    const grid = resolvePartitionSpace(
      multiPartitions({ s: staticPartitions(['x', 'y', 'z']), day: days }),
      {
        now: NOW,
        dynamicKeys: () => [],
      },
    );
    const newest = PartitionSet.empty(grid.size);
    for (let row = 0; row < 3; row++) newest.add(row * 20 + 19);
    expect(encodeSet(newest, grid)).toEqual([['x|2026-11-20', 'z|2026-11-20']]);
    expect(encodeSet(PartitionSet.all(grid.size), grid)).toEqual([
      ['x|2026-11-01', 'z|2026-11-20'],
    ]);
  });

  it('keep their keys when the space grows or loses keys', () => {
    const files = dynamicPartitions('files');
    const before = resolvePartitionSpace(files, {
      now: 0,
      dynamicKeys: () => ['a', 'b', 'c', 'd'],
    });
    const ranges = encodeSet(PartitionSet.fromRanges(4, [[1, 4]]), before); // b…d
    // c removed, e added: b…d now names b and d.
    const after = resolvePartitionSpace(files, { now: 0, dynamicKeys: () => ['a', 'b', 'd', 'e'] });
    expect([...decodeSet(ranges, after).indices()].map((i) => after.keyAt(i))).toEqual(['b', 'd']);
    // An end of the range removed: the range is lost (documented).
    const gone = resolvePartitionSpace(files, { now: 0, dynamicKeys: () => ['a', 'c', 'd'] });
    expect(decodeSet(ranges, gone).count).toBe(0);

    const grid = (now: number, stations: string[]) =>
      resolvePartitionSpace(multiPartitions({ day: days, station: files }), {
        now,
        dynamicKeys: () => stations,
      });
    const small = grid(NOW, ['s1', 's2']);
    const set = PartitionSet.empty(small.size)
      .add(small.indexOf('2026-11-05|s2'))
      .add(small.indexOf('2026-11-20|s1'));
    const encoded = encodeSet(set, small);
    const large = grid(NOW + 2 * 86_400_000, ['s1', 's2', 's3']); // both dimensions grew
    expect([...decodeSet(encoded, large).indices()].map((i) => large.keyAt(i))).toEqual([
      '2026-11-05|s2',
      '2026-11-20|s1',
    ]);
  });

  it('ignore entries they did not write', () => {
    const space = resolvePartitionSpace(days, { now: NOW, dynamicKeys: () => [] });
    expect(
      decodeSet([3 as never, ['2026-11-02'] as never, 'nope', '2026-11-04'], space).count,
    ).toBe(1);
  });
});
