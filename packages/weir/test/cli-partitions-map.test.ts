import { describe, expect, it } from 'vitest';
import {
  condenseRuns,
  keyedRun,
  type PartitionStatus,
  partitionBar,
  partitionRuns,
} from '../src/cli/_partition-map.js';
import { PartitionSet } from '../src/index.js';
import { partitionCounts } from '../src/versioning/index.js';

/** Status sets of a space of `size` from `[start, end, status]` runs. */
function sets(size: number, runs: Array<[number, number, PartitionStatus]>) {
  const out: Record<PartitionStatus, PartitionSet> = {
    fresh: PartitionSet.empty(size),
    stale: PartitionSet.empty(size),
    missing: PartitionSet.empty(size),
    failed: PartitionSet.empty(size),
  };
  for (const [a, b, status] of runs) out[status].addRange(a, b);
  return out;
}

describe('partition map', () => {
  it('merges the status sets into runs in partition order', () => {
    const s = sets(10, [
      [0, 4, 'fresh'],
      [4, 5, 'stale'],
      [5, 8, 'fresh'],
      [8, 10, 'missing'],
    ]);
    expect(partitionRuns(s)).toEqual([
      { start: 0, end: 4, status: 'fresh' },
      { start: 4, end: 5, status: 'stale' },
      { start: 5, end: 8, status: 'fresh' },
      { start: 8, end: 10, status: 'missing' },
    ]);
    expect(partitionCounts(s)).toEqual({ fresh: 7, stale: 1, missing: 2, failed: 0 });
  });

  it('gives one run for a space all of one status, and none for an empty space', () => {
    expect(partitionRuns(sets(100_000, [[0, 100_000, 'fresh']]))).toEqual([
      { start: 0, end: 100_000, status: 'fresh' },
    ]);
    expect(partitionRuns(sets(0, []))).toEqual([]);
  });

  it('names runs by their first and last keys', () => {
    const space = { keyAt: (i: number) => `2024-01-${String(i + 1).padStart(2, '0')}` };
    expect(keyedRun({ start: 0, end: 31, status: 'fresh' }, space)).toEqual({
      from: '2024-01-01',
      to: '2024-01-31',
      status: 'fresh',
      count: 31,
    });
  });

  it('condenses a fragmented map: the longest runs stay, the short ones between merge', () => {
    // 100 days fresh, then 10 days alternating failed/fresh, then 200 missing, then 5 stale.
    const runs = partitionRuns(
      sets(315, [
        [0, 100, 'fresh'],
        ...Array.from({ length: 10 }, (_, i): [number, number, PartitionStatus] => [
          100 + i,
          101 + i,
          i % 2 === 0 ? 'failed' : 'fresh',
        ]),
        [110, 310, 'missing'],
        [310, 315, 'stale'],
      ]),
    );
    expect(runs).toHaveLength(13);
    expect(condenseRuns(runs, 20)).toHaveLength(13); // they fit: every run, unmerged
    const lines = condenseRuns(runs, 5); // keeps the 2 longest runs
    expect(lines.map(({ start, end, status, runs }) => ({ start, end, status, runs }))).toEqual([
      { start: 0, end: 100, status: 'fresh', runs: 1 },
      { start: 100, end: 110, status: 'mixed', runs: 10 },
      { start: 110, end: 310, status: 'missing', runs: 1 },
      { start: 310, end: 315, status: 'stale', runs: 1 },
    ]);
    expect(lines[1]!.counts).toEqual({ fresh: 5, stale: 0, missing: 0, failed: 5 });
    // However fragmented, the lines cover the space within the limit.
    const fragmented = sets(10_000, []);
    for (let i = 0; i < 10_000; i += 2) fragmented.stale.add(i);
    fragmented.fresh = fragmented.stale.complement();
    const many = partitionRuns(fragmented);
    expect(many).toHaveLength(10_000);
    const condensed = condenseRuns(many, 20);
    expect(condensed.length).toBeLessThanOrEqual(20);
    expect(condensed.reduce((n, line) => n + line.end - line.start, 0)).toBe(10_000);
    expect(condensed.reduce((n, line) => n + line.counts.stale, 0)).toBe(5000);
  });

  it('draws a bar whose cells show the worst status of the partitions they stand for', () => {
    const size = 10_000;
    const runs = partitionRuns(
      sets(size, [
        [0, 5000, 'fresh'],
        [5000, 5001, 'failed'],
        [5001, 9000, 'fresh'],
        [9000, 10_000, 'missing'],
      ]),
    );
    const bar = partitionBar(runs, size, 60);
    expect(bar).toHaveLength(60);
    expect(bar.filter((c) => c === 'failed')).toHaveLength(1);
    expect(bar[30]).toBe('failed'); // partition 5000 of 10,000 is in cell 30
    expect(bar[0]).toBe('fresh');
    expect(bar[59]).toBe('missing');
    expect(bar[54]).toBe('missing'); // cell 54 starts at partition 9000
    expect(bar[53]).toBe('fresh');
    // A space smaller than the bar has a cell per partition.
    expect(partitionBar(partitionRuns(sets(3, [[0, 3, 'stale']])), 3)).toEqual([
      'stale',
      'stale',
      'stale',
    ]);
  });

  it('handles 100,000 partitions in alternating runs quickly', () => {
    const size = 100_000;
    const s = sets(size, []);
    for (let i = 0; i < size; i += 7) s.stale.addRange(i, Math.min(size, i + 3));
    s.fresh = s.stale.complement();
    const started = performance.now();
    const runs = partitionRuns(s);
    partitionBar(runs, size);
    expect(performance.now() - started).toBeLessThan(500);
    expect(runs.reduce((n, r) => n + (r.end - r.start), 0)).toBe(size);
    const broken = runs.findIndex(
      (run, i) => i > 0 && (run.start !== runs[i - 1]!.end || run.status === runs[i - 1]!.status),
    );
    expect(broken).toBe(-1);
  });
});
