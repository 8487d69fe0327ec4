/**
 * @module hydrology/catchment
 * Catchments from a pour point, pour-point snapping, and streams by accumulation threshold.
 * Masks are `Uint8Array`s of the grid's size, row-major, 1 inside and 0 outside.
 */
import { type Grid, storedNodata } from '../grid.js';
import { checkShape, D8_CODES, D8_DCOL, D8_DROW, NODATA_DIRECTION } from './d8.js';

/** A cell of a grid (row 0 is north, column 0 west). */
export interface GridCell {
  readonly row: number;
  readonly col: number;
}

function checkCell(grid: Grid, cell: GridCell, what: string): number {
  const { row, col } = cell;
  if (
    !Number.isInteger(row) ||
    !Number.isInteger(col) ||
    row < 0 ||
    col < 0 ||
    row >= grid.height ||
    col >= grid.width
  ) {
    throw new RangeError(`${what}: cell (${row}, ${col}) is outside the grid`);
  }
  return row * grid.width + col;
}

/**
 * The catchment of `pour`: every cell whose D8 path passes through it, the pour cell included.
 * Walks upstream from the pour point (iteratively; O(catchment size)). A nodata pour cell gives
 * an empty mask.
 */
export function catchment(dirs: Grid<Uint8Array>, pour: GridCell): Uint8Array {
  checkShape(dirs, 'catchment');
  const { width, height, values, nodata } = dirs;
  const start = checkCell(dirs, pour, 'catchment');
  const mask = new Uint8Array(width * height);
  const v0 = values[start]!;
  if (v0 === NODATA_DIRECTION || v0 === nodata) return mask;
  // Neighbour k of a cell drains into it when its direction is the opposite of k: (k + 4) mod 8.
  const stack: number[] = [start];
  mask[start] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const row = (i / width) | 0;
    const col = i - row * width;
    for (let k = 0; k < 8; k++) {
      const r = row + D8_DROW[k]!;
      const c = col + D8_DCOL[k]!;
      if (r < 0 || r >= height || c < 0 || c >= width) continue;
      const j = r * width + c;
      if (mask[j] === 0 && values[j] === D8_CODES[(k + 4) & 7]) {
        mask[j] = 1;
        stack.push(j);
      }
    }
  }
  return mask;
}

/**
 * The cell of highest accumulation within `radius` cells (Euclidean distance in cells, not map
 * units) of `point` — the usual correction of a gauge location that misses the modelled stream
 * by a cell or two. Ties go to the cell nearest `point`, then to the first in row-major order.
 * Nodata (NaN or `nodata`) cells are skipped; `point` itself is returned when all are nodata.
 */
export function snapPourPoint(acc: Grid, point: GridCell, radius: number): GridCell {
  checkShape(acc, 'snapPourPoint');
  checkCell(acc, point, 'snapPourPoint');
  if (!(radius >= 0)) throw new RangeError('snapPourPoint: radius must be ≥ 0');
  const { width, height, values } = acc;
  const nodata = storedNodata(acc);
  const reach = Math.floor(radius);
  let best: GridCell = point;
  let bestAcc = Number.NEGATIVE_INFINITY;
  let bestD2 = Number.POSITIVE_INFINITY;
  for (let r = Math.max(0, point.row - reach); r <= Math.min(height - 1, point.row + reach); r++) {
    for (let c = Math.max(0, point.col - reach); c <= Math.min(width - 1, point.col + reach); c++) {
      const d2 = (r - point.row) ** 2 + (c - point.col) ** 2;
      if (d2 > radius * radius) continue;
      const v = values[r * width + c]!;
      if (Number.isNaN(v) || v === nodata) continue;
      if (v > bestAcc || (v === bestAcc && d2 < bestD2)) {
        best = { row: r, col: c };
        bestAcc = v;
        bestD2 = d2;
      }
    }
  }
  return best;
}

/**
 * Stream cells: accumulation strictly greater than `threshold`, as in pysheds' `acc > threshold`
 * and ArcGIS' `Con(acc > threshold, 1)`. With a cell-count accumulation, a threshold of `t` keeps
 * cells draining at least `t + 1` cells. Nodata cells are never streams.
 */
export function streams(acc: Grid, threshold: number): Uint8Array {
  checkShape(acc, 'streams');
  const { values } = acc;
  const nodata = storedNodata(acc);
  if (Number.isNaN(threshold)) throw new RangeError('streams: threshold is NaN');
  const n = values.length;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    mask[i] = v > threshold && v !== nodata ? 1 : 0;
  }
  return mask;
}
