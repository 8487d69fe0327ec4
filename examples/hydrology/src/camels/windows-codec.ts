/**
 * Training windows stored compactly. Consecutive windows of a basin overlap in all but one
 * day, so a set's `x` repeats each day's features up to 270 times (63 MB for the four
 * basins). Stored: per basin, each day's feature row once, and per sample its basin, target
 * date and target; decoding rebuilds `x` exactly (the rows are copied, not recomputed).
 */
import { decodeBinary, encodeBinary } from '../binary.js';
import type { WindowedSampleSet } from '../data/windows.js';
import type { Samples } from '../samples.js';

const DAY_MS = 86_400_000;

interface DailyRows {
  /** Day number (days since 1970-01-01) of the first row. */
  readonly firstDay: number;
  /** `days × features` feature rows, one per day. */
  readonly rows: Float32Array;
}

interface CompactSamples extends Omit<Samples, 'x'> {}

interface CompactSet extends Omit<WindowedSampleSet, 'train' | 'validation' | 'test'> {
  readonly daily: readonly DailyRows[];
  readonly train: CompactSamples;
  readonly validation: CompactSamples;
  readonly test: CompactSamples;
}

const SPLITS = ['train', 'validation', 'test'] as const;

export function encodeWindows(set: WindowedSampleSet): Uint8Array {
  const daily = set.basins.map((_, b) => dailyRows(set, b));
  const compact = (s: Samples): CompactSamples => {
    const { x: _x, ...rest } = s;
    return rest;
  };
  return encodeBinary({
    ...set,
    daily,
    train: compact(set.train),
    validation: compact(set.validation),
    test: compact(set.test),
  } satisfies CompactSet);
}

export function decodeWindows(bytes: Uint8Array): WindowedSampleSet {
  const set = decodeBinary<CompactSet>(bytes);
  const expand = (s: CompactSamples): Samples => ({ ...s, x: windowsOf(s, set.daily) });
  const { daily: _daily, ...rest } = set;
  return {
    ...rest,
    train: expand(set.train),
    validation: expand(set.validation),
    test: expand(set.test),
  };
}

/** Basin `b`'s feature row of every day any of its windows reads. */
function dailyRows(set: WindowedSampleSet, b: number): DailyRows {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const split of SPLITS) {
    const s = set[split];
    for (let i = 0; i < s.count; i++) {
      if (s.basin[i] !== b) continue;
      const end = s.date[i]! / DAY_MS;
      first = Math.min(first, end - s.steps + 1);
      last = Math.max(last, end);
    }
  }
  if (first > last) return { firstDay: 0, rows: new Float32Array(0) };
  const f = set.train.features;
  const rows = new Float32Array((last - first + 1) * f);
  for (const split of SPLITS) {
    const s = set[split];
    const stride = s.steps * f;
    for (let i = 0; i < s.count; i++) {
      if (s.basin[i] !== b) continue;
      const start = s.date[i]! / DAY_MS - s.steps + 1 - first;
      rows.set(s.x.subarray(i * stride, (i + 1) * stride), start * f);
    }
  }
  return { firstDay: first, rows };
}

function windowsOf(s: CompactSamples, daily: readonly DailyRows[]): Float32Array {
  const f = s.features;
  const stride = s.steps * f;
  const x = new Float32Array(s.count * stride);
  for (let i = 0; i < s.count; i++) {
    const { firstDay, rows } = daily[s.basin[i]!]!;
    const start = s.date[i]! / DAY_MS - s.steps + 1 - firstDay;
    x.set(rows.subarray(start * f, start * f + stride), i * stride);
  }
  return x;
}
