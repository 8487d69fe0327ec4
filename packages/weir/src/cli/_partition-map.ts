/**
 * @module cli/_partition-map
 * A partitioned asset's state as runs of consecutive partitions with the same status, and
 * as a bar of a few dozen cells: readable for 10 partitions and for 100,000. Pure; works
 * from the status bitsets' ranges, never partition by partition.
 */
import type { PartitionSet, PartitionSpace } from '../definitions/index.js';

export type PartitionStatus = 'fresh' | 'stale' | 'missing' | 'failed';

/** In the order counts are shown. */
export const PARTITION_STATUSES: readonly PartitionStatus[] = [
  'fresh',
  'stale',
  'missing',
  'failed',
];

/** How bad a status is, for a bar cell that stands for several partitions. */
const SEVERITY: Record<PartitionStatus, number> = { fresh: 0, missing: 1, stale: 2, failed: 3 };

/** Consecutive partitions `[start, end)` (indices of the space) with one status. */
export interface PartitionRun {
  start: number;
  end: number;
  status: PartitionStatus;
}

/**
 * The runs of the four disjoint status sets, in partition order: a merge of their ranges,
 * joining touching runs of one status. Indices in no set are left out.
 */
export function partitionRuns(
  sets: Readonly<Record<PartitionStatus, PartitionSet>>,
): PartitionRun[] {
  const lists = PARTITION_STATUSES.map((status) => ({
    status,
    ranges: sets[status].ranges(),
    at: 0,
  }));
  const runs: PartitionRun[] = [];
  for (;;) {
    let next: (typeof lists)[number] | undefined;
    for (const list of lists) {
      const range = list.ranges[list.at];
      if (range !== undefined && (next === undefined || range[0] < next.ranges[next.at]![0]))
        next = list;
    }
    if (next === undefined) return runs;
    const [start, end] = next.ranges[next.at++]!;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.status === next.status && last.end === start) last.end = end;
    else runs.push({ start, end, status: next.status });
  }
}

/**
 * `cells` cells (fewer for a smaller space), each the worst status of the partitions it
 * stands for; cell `c` holds indices `[floor(c·size/cells), floor((c+1)·size/cells))`.
 * Undefined marks a cell with no status (not possible when the sets cover the space).
 */
export function partitionBar(
  runs: readonly PartitionRun[],
  size: number,
  cells = 60,
): Array<PartitionStatus | undefined> {
  const n = Math.min(cells, size);
  const bar: Array<PartitionStatus | undefined> = new Array(n).fill(undefined);
  if (n === 0) return bar;
  const cellOf = (index: number) => Math.min(n - 1, Math.floor((index * n) / size));
  for (const run of runs) {
    const last = cellOf(run.end - 1);
    for (let c = cellOf(run.start); c <= last; c++) {
      const current = bar[c];
      if (current === undefined || SEVERITY[run.status] > SEVERITY[current]) bar[c] = run.status;
    }
  }
  return bar;
}

/** A run with the keys of its first and last partition, as shown and as `--json` gives it. */
export interface KeyedRun {
  from: string;
  to: string;
  status: PartitionStatus;
  count: number;
}

export function keyedRun(run: PartitionRun, space: Pick<PartitionSpace, 'keyAt'>): KeyedRun {
  return {
    from: space.keyAt(run.start),
    to: space.keyAt(run.end - 1),
    status: run.status,
    count: run.end - run.start,
  };
}

/** A line of a condensed map: one run, or several short runs merged. */
export interface MapLine {
  start: number;
  end: number;
  /** `mixed`: merged runs of several statuses, counted in `counts`. */
  status: PartitionStatus | 'mixed';
  counts: Record<PartitionStatus, number>;
  /** How many runs the line stands for. */
  runs: number;
}

/**
 * At most `max` lines that cover every partition: all runs when they fit; otherwise the
 * longest runs stay whole and the runs between two of them merge into one `mixed` line
 * (with its counts), so a fragmented map still shows where its long stretches are.
 */
export function condenseRuns(runs: readonly PartitionRun[], max: number): MapLine[] {
  const line = (group: readonly PartitionRun[]): MapLine => {
    const counts: Record<PartitionStatus, number> = { fresh: 0, stale: 0, missing: 0, failed: 0 };
    for (const run of group) counts[run.status] += run.end - run.start;
    const statuses = PARTITION_STATUSES.filter((status) => counts[status] > 0);
    return {
      start: group[0]!.start,
      end: group[group.length - 1]!.end,
      status: statuses.length === 1 ? statuses[0]! : 'mixed',
      counts,
      runs: group.length,
    };
  };
  if (runs.length <= max) return runs.map((run) => line([run]));
  // k kept runs leave at most k + 1 gaps between them: 2k + 1 lines.
  const k = Math.max(1, Math.floor((max - 1) / 2));
  const order = runs.map((_, i) => i);
  order.sort((a, b) => runs[b]!.end - runs[b]!.start - (runs[a]!.end - runs[a]!.start) || a - b);
  const kept = new Set(order.slice(0, k));
  const lines: MapLine[] = [];
  let gap: PartitionRun[] = [];
  for (const [i, run] of runs.entries()) {
    if (!kept.has(i)) {
      gap.push(run);
      continue;
    }
    if (gap.length > 0) lines.push(line(gap));
    gap = [];
    lines.push(line([run]));
  }
  if (gap.length > 0) lines.push(line(gap));
  return lines;
}
