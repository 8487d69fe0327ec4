/**
 * @module hydrology/basins
 * Drainage basins: every data cell labelled by the outlet its D8 path ends at, in O(n) without
 * recursion. Together the basins partition the grid's data cells (each cell drains to exactly
 * one outlet), which makes them the natural catchments of a whole DEM.
 */
import type { Grid } from '../grid.js';
import type { GridCell } from './catchment.js';
import { downstream } from './d8.js';

/** One outlet (a terminal cell: a pit, a flat, the edge of the grid or of the data) and its basin. */
export interface Outlet extends GridCell {
  /** The label its basin's cells carry (1-based, in row-major order of the outlets). */
  readonly label: number;
  /** Cells in its basin, the outlet included. */
  readonly cells: number;
}

export interface DrainageBasins {
  /** Each cell's basin label (0 for nodata), row-major. */
  readonly labels: Int32Array;
  /** Every outlet, in label order. */
  readonly outlets: readonly Outlet[];
}

/** The drainage basin of every cell of a D8 direction grid (see the module). */
export function drainageBasins(dirs: Grid<Uint8Array>): DrainageBasins {
  const next = downstream(dirs);
  const { width } = dirs;
  const n = next.length;
  const labels = new Int32Array(n);
  const outlets: Array<{ row: number; col: number; label: number; cells: number }> = [];
  for (let i = 0; i < n; i++) {
    if (next[i] !== -1) continue;
    const row = (i / width) | 0;
    outlets.push({ row, col: i - row * width, label: outlets.length + 1, cells: 0 });
    labels[i] = outlets.length;
  }
  // Follow each unlabelled path down to a labelled cell, then label the path on the way back.
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 || next[i] === -2) continue;
    let j = i;
    while (labels[j] === 0) {
      path.push(j);
      j = next[j]!;
      if (path.length > n) throw new RangeError('drainageBasins: the directions form a cycle');
    }
    const label = labels[j]!;
    for (const k of path) labels[k] = label;
    path.length = 0;
  }
  for (let i = 0; i < n; i++) if (labels[i] !== 0) outlets[labels[i]! - 1]!.cells++;
  return { labels, outlets };
}
