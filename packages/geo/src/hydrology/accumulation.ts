/**
 * @module hydrology/accumulation
 * Flow accumulation over D8 directions: for each cell, the number of cells (or the sum of their
 * weights) that drain through it, the cell itself included — so a ridge cell has 1, and the
 * outlet of a basin has the basin's cell count.
 *
 * O(n) and iterative: cells are visited in topological order, found by counting each cell's
 * in-degree (Kahn's algorithm), with no recursion, so millions of cells are fine.
 */
import type { Grid } from '../grid.js';
import { checkShape, dataMask, downstream } from './d8.js';

/** Options of {@link flowAccumulation}. */
export interface AccumulationOptions {
  /**
   * A weight per cell (same size as the directions), e.g. rainfall or runoff; the result is the sum
   * of upstream weights instead of the count. Nodata weights count as 0.
   */
  readonly weights?: Grid;
}

/**
 * Upstream cell counts (or weight sums) of a D8 direction grid as {@link flowDirection} returns it
 * (ESRI codes; 0 terminal; 255 or the grid's `nodata` for nodata). A direction that leaves the
 * grid or enters a nodata cell makes its cell terminal. Nodata cells are NaN in the result.
 * Throws if the directions contain a cycle (impossible for {@link flowDirection}'s output).
 */
export function flowAccumulation(
  dirs: Grid<Uint8Array>,
  options: AccumulationOptions = {},
): Grid<Float64Array> {
  checkShape(dirs, 'flowAccumulation');
  const { width, height, cellSize } = dirs;
  const n = width * height;
  const down = downstream(dirs);
  const acc = new Float64Array(n);
  const { weights } = options;
  if (weights) {
    if (weights.width !== width || weights.height !== height) {
      throw new RangeError('flowAccumulation: weights must have the size of the directions');
    }
    const w = dataMask(weights);
    for (let i = 0; i < n; i++) acc[i] = w[i] === 1 ? weights.values[i]! : 0;
  } else {
    acc.fill(1);
  }
  const indegree = new Uint8Array(n);
  let dataCells = 0;
  for (let i = 0; i < n; i++) {
    const d = down[i]!;
    if (d === -2) {
      acc[i] = Number.NaN;
      continue;
    }
    dataCells++;
    if (d >= 0) indegree[d]!++;
  }
  // The queue of cells whose upstream is complete; each data cell enters once.
  const queue = new Int32Array(dataCells);
  let tail = 0;
  for (let i = 0; i < n; i++) if (down[i]! !== -2 && indegree[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const d = down[i]!;
    if (d < 0) continue;
    acc[d] = acc[d]! + acc[i]!;
    if (--indegree[d]! === 0) queue[tail++] = d;
  }
  if (tail !== dataCells) {
    throw new Error(`flowAccumulation: the directions contain a cycle (${dataCells - tail} cells)`);
  }
  return cellSize ? { width, height, values: acc, cellSize } : { width, height, values: acc };
}
