// A quick self-timing check, not a benchmark: mapping 100,000 partitions must stay a matter
// of ranges and arithmetic. Bounds are generous so a slow CI machine does not flake.
import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  hourlyPartitions,
  PartitionSet,
  resolvePartitionSpace,
} from '../src/definitions/partitions/index.js';
import { lastNMapping, timeWindowMapping } from '../src/graph/partition-mapping/index.js';

const H = 3_600_000;
const context = (now: number) => ({ now, dynamicKeys: () => [] });

function timed<T>(work: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

describe('mapping 100,000 partitions', () => {
  it('through timeWindow and lastN(7) takes well under 50 ms', () => {
    const now = Date.parse('2013-12-31T23:00:00Z') + 100_000 * H; // 2014-01-01 in Berlin
    const hourly = hourlyPartitions({ start: '2014-01-01', timezone: 'Europe/Berlin' });
    const daily = dailyPartitions({ start: '2014-01-01', timezone: 'Europe/Berlin' });
    const days = dailyPartitions({ start: '1750-01-01' });
    // Resolving warms the per-day offset cache of the zone (one Intl call per day touched).
    const resolved = timed(() => ({
      hours: resolvePartitionSpace(hourly, context(now)),
      days: resolvePartitionSpace(daily, context(now)),
      longDays: resolvePartitionSpace(days, context(Date.parse('2025-01-01T00:00:00Z'))),
    }));
    const { hours, days: dayly, longDays } = resolved.result;
    expect(hours.size).toBe(100_000);
    expect(longDays.size).toBeGreaterThan(100_000);
    const allHours = PartitionSet.all(hours.size);
    const allDays = PartitionSet.all(dayly.size);
    const allLongDays = PartitionSet.all(longDays.size);
    const window = timeWindowMapping();
    const last7 = lastNMapping(7);
    const figures = {
      resolve: resolved.ms,
      'timeWindow days→hours up': timed(() => window.upstreamFor(allDays, dayly, hours)),
      'timeWindow hours→days down': timed(() => window.downstreamFor(allHours, hours, dayly)),
      'lastN(7) hours up': timed(() => last7.upstreamFor(allHours, hours, hours)),
      'lastN(7) hours down': timed(() => last7.downstreamFor(allHours, hours, hours)),
      'lastN(7) 100k days up': timed(() => last7.upstreamFor(allLongDays, longDays, longDays)),
      'lastN(24) day←hours up': timed(() => lastNMapping(24).upstreamFor(allDays, dayly, hours)),
    };
    const every2nd = PartitionSet.fromRanges(
      hours.size,
      Array.from({ length: hours.size / 2 }, (_, i) => [2 * i, 2 * i + 1] as [number, number]),
    );
    const fragmented = timed(() => window.downstreamFor(every2nd, hours, dayly));
    const warm = timed(() => window.downstreamFor(every2nd, hours, dayly));
    const report: Record<string, number> = {
      'timeWindow 50k ranges down (cold)': fragmented.ms,
      'timeWindow 50k ranges down (warm)': warm.ms,
    };
    for (const [name, figure] of Object.entries(figures)) {
      report[name] = typeof figure === 'number' ? figure : figure.ms;
    }
    console.log(
      Object.entries(report)
        .map(([k, v]) => `${k}: ${v.toFixed(2)} ms`)
        .join('\n'),
    );
    for (const figure of Object.values(figures)) {
      if (typeof figure !== 'number') {
        expect(figure.ms).toBeLessThan(50);
        const out = 'partitions' in figure.result ? figure.result.partitions : figure.result;
        expect(out.isEmpty()).toBe(false);
      }
    }
    const hoursOfDays = figures['timeWindow days→hours up'].result.partitions.count;
    expect(hoursOfDays).toBeGreaterThan(100_000 - 25); // complete days only
    expect(hoursOfDays).toBeLessThanOrEqual(100_000);
    expect(fragmented.result.count).toBe(dayly.size);
    expect(fragmented.ms).toBeLessThan(1000);
  });
});
