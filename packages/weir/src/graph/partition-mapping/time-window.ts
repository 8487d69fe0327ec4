/**
 * @module graph/partition-mapping/time-window
 * Time windows reading time windows: by overlap (any pair of cadences) and by the last N
 * upstream windows (rolling features). Work is per range of the set, with window boundaries
 * from calendar arithmetic, so a 100,000-partition range costs a few conversions.
 */
import {
  PartitionSet,
  type PartitionSpace,
  type TimeAxis,
  timeAxis,
} from '../../definitions/index.js';
import { DefinitionError } from '../../errors.js';
import { withSpec } from './_spec-tag.js';
import { addClamped, assertConnects, describeSpace, type PartitionMapping } from './mapping.js';
import { shifted, windowMax } from './newest-read.js';

function validateTimes(name: string, up: PartitionSpace, down: PartitionSpace): string | undefined {
  if (up.definition?.kind === 'time-window' && down.definition?.kind === 'time-window') {
    return undefined;
  }
  const multi = up.dimensions !== undefined || down.dimensions !== undefined;
  return `${name} connects time-window partitions only, not ${describeSpace(up)} (upstream) to ${describeSpace(down)} (downstream)${multi ? `; for one dimension of multi partitions use dimensionMapping(name, ${name}(…))` : ''}`;
}

function axes(mapping: PartitionMapping, up: PartitionSpace, down: PartitionSpace) {
  assertConnects(mapping, up, down);
  const u = up.definition;
  const d = down.definition;
  if (u?.kind !== 'time-window' || d?.kind !== 'time-window') throw new Error('unreachable');
  const upAxis = timeAxis(u);
  const downAxis = timeAxis(d);
  const shift =
    upAxis.family === downAxis.family ? upAxis.containing(downAxis.startOf(0)) : undefined;
  return { upAxis, downAxis, shift };
}

/** Windows of `to` overlapping windows `[a, b)` of `from`, as an index range. */
function overlapping(from: TimeAxis, to: TimeAxis, a: number, b: number): [number, number] {
  return [to.containing(from.startOf(a)), to.containing(from.startOf(b) - 1) + 1];
}

/**
 * Each downstream window reads the upstream windows it overlaps: a daily partition reads
 * its 24 hourly ones (23 or 25 on a DST change), an hourly partition the day containing it,
 * a weekly one its 7 days; cadences, zones and offsets may all differ.
 * @example
 * const mapping = timeWindowMapping();
 * mapping.upstreamFor(PartitionSet.fromRanges(daily.size, [[0, 1]]), daily, hourly).partitions.count; // 24
 */
export function timeWindowMapping(): PartitionMapping {
  const mapping: PartitionMapping = {
    description: 'the upstream time windows that overlap the downstream window',
    validate: (up, down) => validateTimes('timeWindowMapping', up, down),
    readsOne(up, down) {
      if (validateTimes('timeWindowMapping', up, down) !== undefined) return false;
      const { upAxis, downAxis, shift } = axes(mapping, up, down);
      if (shift !== undefined) return true;
      // Calendars repeat yearly: a year and a month of downstream windows, with every
      // daylight-saving shift, show whether each fits in one upstream window.
      const windows = Math.ceil((400 * 86_400_000) / downAxis.maxLength);
      for (let d = 0; d < windows; d++) {
        const [lo, hi] = overlapping(downAxis, upAxis, d, d + 1);
        if (hi - lo > 1) return false;
      }
      return true;
    },
    newestRead(values, up, down) {
      const { upAxis, downAxis, shift } = axes(mapping, up, down);
      if (shift !== undefined) return shifted(values, down.size, shift);
      return windowMax(
        values,
        down.size,
        (d) => upAxis.containing(downAxis.startOf(d)),
        (d) => upAxis.containing(downAxis.startOf(d + 1) - 1) + 1,
      );
    },
    upstreamFor(downstream, down, up) {
      const { upAxis, downAxis, shift } = axes(mapping, up, down);
      const partitions = PartitionSet.empty(up.size);
      const missing: string[] = [];
      for (const [a, b] of downstream.ranges()) {
        const [lo, hi] =
          shift === undefined ? overlapping(downAxis, upAxis, a, b) : [a + shift, b + shift];
        addClamped(partitions, lo, hi, up, missing);
      }
      return { partitions, missing };
    },
    downstreamFor(upstream, up, down) {
      const { upAxis, downAxis, shift } = axes(mapping, up, down);
      const partitions = PartitionSet.empty(down.size);
      for (const [a, b] of upstream.ranges()) {
        const [lo, hi] =
          shift === undefined ? overlapping(upAxis, downAxis, a, b) : [a - shift, b - shift];
        addClamped(partitions, lo, hi, down, []);
      }
      return partitions;
    },
  };
  return withSpec(mapping, { kind: 'time-window' });
}

/**
 * Each downstream window reads the last `n` upstream windows that end at or before its own
 * end: with daily partitions on both sides, `2024-01-07` reads `2024-01-01` … `2024-01-07`.
 * Windows before the upstream's first are reported missing.
 * @example
 * const rolling = lastNMapping(7); // a rolling 7-day feature
 */
export function lastNMapping(n: number): PartitionMapping {
  if (!Number.isInteger(n) || n < 1) {
    throw new DefinitionError(
      'E_DEFINITION',
      `lastNMapping needs a whole number of windows of at least 1, got ${n}`,
    );
  }
  const mapping: PartitionMapping = {
    description: `the last ${n} upstream time window${n === 1 ? '' : 's'} ending with the downstream window`,
    validate: (up, down) => validateTimes('lastNMapping', up, down),
    readsOne: () => n === 1,
    newestRead(values, up, down) {
      const { upAxis, downAxis, shift } = axes(mapping, up, down);
      const last = (d: number) =>
        shift !== undefined ? d + shift : upAxis.containing(downAxis.startOf(d + 1)) - 1;
      return windowMax(
        values,
        down.size,
        (d) => last(d) - n + 1,
        (d) => last(d) + 1,
      );
    },
    upstreamFor(downstream, down, up) {
      const { upAxis, downAxis, shift } = axes(mapping, up, down);
      const partitions = PartitionSet.empty(up.size);
      const missing: string[] = [];
      /** Index of the last upstream window ending by the end of downstream window `d`. */
      const last = (d: number) => upAxis.containing(downAxis.startOf(d + 1)) - 1;
      // Consecutive downstream windows' reads touch when n upstream windows span the longest
      // downstream one; hourly upstream windows are exactly an hour long.
      const contiguous = upAxis.cadence === 'hourly' && n * upAxis.maxLength >= downAxis.maxLength;
      for (const [a, b] of downstream.ranges()) {
        if (shift !== undefined) {
          addClamped(partitions, a + shift - n + 1, b + shift, up, missing);
        } else if (contiguous) {
          addClamped(partitions, last(a) - n + 1, last(b - 1) + 1, up, missing);
        } else {
          let lo = 0;
          let hi = Number.NEGATIVE_INFINITY;
          for (let d = a; d < b; d++) {
            const k = last(d);
            if (k - n + 1 > hi) {
              if (hi > lo) addClamped(partitions, lo, hi, up, missing);
              lo = k - n + 1;
            }
            hi = k + 1;
          }
          if (hi > lo) addClamped(partitions, lo, hi, up, missing);
        }
      }
      return { partitions, missing };
    },
    downstreamFor(upstream, up, down) {
      const { upAxis, downAxis, shift } = axes(mapping, up, down);
      const partitions = PartitionSet.empty(down.size);
      for (const [a, b] of upstream.ranges()) {
        if (shift !== undefined) {
          addClamped(partitions, a - shift, b - shift + n - 1, down, []);
          continue;
        }
        // Downstream d reads [last(d) - n + 1, last(d)]: those with a <= last(d) <= b + n - 2.
        const first = downAxis.containing(upAxis.startOf(a + 1) - 1);
        const end = downAxis.containing(upAxis.startOf(b + n) - 1);
        addClamped(partitions, first, end, down, []);
      }
      return partitions;
    },
  };
  return withSpec(mapping, { kind: 'last-n', n });
}
