/**
 * @module automation/key-ranges
 * Partition sets as JSON that survives a change of the space: ranges of partition keys, not
 * indices or lists. A one-dimensional space stores `key` or `[first, last]` (inclusive, in the
 * space's order); a two-dimensional one stores boxes `['a|x', 'b|y']` (rows a…b × columns
 * x…y), so appending keys to either dimension, which renumbers every index, keeps the set.
 * A range whose end key no longer exists (a removed dynamic key) is dropped when decoded.
 */
import { PartitionSet, type PartitionSpace } from '../definitions/index.js';

/** One key, or an inclusive range (a box in a two-dimensional space). */
export type KeyRange = string | readonly [string, string];
export type KeyRanges = readonly KeyRange[];

/**
 * The ranges of `set`, a set over `space`.
 *
 * @example
 * encodeSet(PartitionSet.fromRanges(space.size, [[0, 3]]), space); // [['2026-01-01', '2026-01-03']]
 */
export function encodeSet(set: PartitionSet, space: PartitionSpace): KeyRange[] {
  if (set.isEmpty()) return [];
  const dims = space.dimensions;
  if (dims === undefined) {
    return set
      .ranges()
      .map(([start, end]) =>
        end - start === 1 ? space.keyAt(start) : [space.keyAt(start), space.keyAt(end - 1)],
      );
  }
  return boxes(set, dims[1].space.size).map(({ r0, r1, c0, c1 }) => {
    const inner = dims[1].space.size;
    const first = space.keyAt(r0 * inner + c0);
    return r0 === r1 && c0 === c1 ? first : [first, space.keyAt(r1 * inner + c1)];
  });
}

interface Box {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/** Rows' runs as boxes: consecutive rows holding the same single run of columns merge. */
function boxes(set: PartitionSet, inner: number): Box[] {
  const pieces: Array<{ row: number; c0: number; c1: number }> = [];
  for (const [start, end] of set.ranges()) {
    for (let row = Math.floor(start / inner); row * inner < end; row++) {
      const from = Math.max(start, row * inner) - row * inner;
      const to = Math.min(end, (row + 1) * inner) - row * inner;
      pieces.push({ row, c0: from, c1: to - 1 });
    }
  }
  const out: Box[] = [];
  let open: Box | undefined;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const alone = pieces[i - 1]?.row !== piece.row && pieces[i + 1]?.row !== piece.row;
    if (
      alone &&
      open !== undefined &&
      open.r1 === piece.row - 1 &&
      open.c0 === piece.c0 &&
      open.c1 === piece.c1
    ) {
      open.r1 = piece.row;
      continue;
    }
    open = { r0: piece.row, r1: piece.row, c0: piece.c0, c1: piece.c1 };
    out.push(open);
    if (!alone) open = undefined;
  }
  return out;
}

/**
 * The set `ranges` names in `space` (which may have grown or lost keys since they were
 * encoded). Keys not in the space are left out.
 */
export function decodeSet(ranges: KeyRanges, space: PartitionSpace): PartitionSet {
  const set = PartitionSet.empty(space.size);
  const dims = space.dimensions;
  for (const range of ranges) {
    if (typeof range === 'string') {
      const i = space.indexOf(range);
      if (i >= 0) set.add(i);
      continue;
    }
    if (!isPair(range)) continue; // not written by encodeSet: ignore it
    if (dims === undefined) {
      const [i, j] = [space.indexOf(range[0]), space.indexOf(range[1])];
      if (i >= 0 && j >= i) set.addRange(i, j + 1);
      continue;
    }
    const [a, x] = splitKey(range[0]);
    const [b, y] = splitKey(range[1]);
    const [r0, r1] = [dims[0].space.indexOf(a), dims[0].space.indexOf(b)];
    const [c0, c1] = [dims[1].space.indexOf(x), dims[1].space.indexOf(y)];
    if (r0 < 0 || r1 < r0 || c0 < 0 || c1 < c0) continue;
    const inner = dims[1].space.size;
    for (let row = r0; row <= r1; row++) set.addRange(row * inner + c0, row * inner + c1 + 1);
  }
  return set;
}

function isPair(value: unknown): value is readonly [string, string] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string'
  );
}

function splitKey(key: string): [string, string] {
  const bar = key.indexOf('|');
  return bar < 0 ? [key, ''] : [key.slice(0, bar), key.slice(bar + 1)];
}

/** `ranges` as a person reads them: `a…b, c`, the first `max` ranges and how many more. */
export function describeRanges(ranges: KeyRanges, max = 3): string {
  const shown = ranges.slice(0, max).map((r) => (typeof r === 'string' ? r : `${r[0]}…${r[1]}`));
  const more = ranges.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
