/**
 * @module hydrology/fill
 * Depression filling by Priority-Flood (Barnes, Lehman & Mulla 2014, "Priority-Flood: An optimal
 * depression-filling and watershed-labeling algorithm for digital elevation models", Computers &
 * Geosciences 62: Algorithm 2 with the plain queue for pits, and Algorithm 3 for the ε variant).
 *
 * Conventions:
 * - Outlets (the seeds of the flood) are the data cells on the grid edge and the data cells with a
 *   nodata neighbour (8-connected): water leaves the DEM there.
 * - Every other cell is raised to its spill elevation: the lowest, over 8-connected paths to an
 *   outlet, of the highest cell on the path. Cells are never lowered.
 * - With `epsilon: true`, a raised cell (or a cell not higher than the cell that floods it) gets
 *   the next float64 above that cell instead, so filled flats keep a strictly descending path to
 *   an outlet and every cell gets a D8 direction. The rise is tiny (one ulp per cell of path), but
 *   it is a rise: a very long flat at a high elevation can climb noticeably.
 * - Nodata cells (NaN or the grid's `nodata`) keep their value. The output is float64 with the
 *   input's `nodata` and `cellSize`.
 * - Ties in the priority queue go to the lower cell index, so the result is deterministic.
 */
import { type Grid, storedNodata } from '../grid.js';
import { checkShape, D8_DCOL, D8_DROW, dataMask } from './d8.js';

/** Options of {@link fillDepressions}. */
export interface FillOptions {
  /** Raise filled cells by one float64 step per cell so that flats drain (Barnes' Priority-Flood+ε). */
  readonly epsilon?: boolean;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The next float64 above `x` (Math.nextUp in Java); +Infinity and NaN stay as they are. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = x > 0 ? i64[0]! + 1n : i64[0]! - 1n;
  return f64[0]!;
}

/** Binary min-heap of cell indices keyed by elevation, ties by index; capacity fixed. */
class CellHeap {
  private readonly keys: Float64Array;
  private readonly cells: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.cells = new Int32Array(capacity);
  }
  topKey(): number {
    return this.keys[0]!;
  }
  push(key: number, cell: number): void {
    const { keys, cells } = this;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk < key || (pk === key && cells[p]! < cell)) break;
      keys[i] = pk;
      cells[i] = cells[p]!;
      i = p;
    }
    keys[i] = key;
    cells[i] = cell;
  }
  pop(): number {
    const { keys, cells } = this;
    const top = cells[0]!;
    const n = --this.size;
    if (n === 0) return top;
    const key = keys[n]!;
    const cell = cells[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (keys[r]! < keys[c]! || (keys[r] === keys[c] && cells[r]! < cells[c]!))) c = r;
      const ck = keys[c]!;
      if (key < ck || (key === ck && cell < cells[c]!)) break;
      keys[i] = ck;
      cells[i] = cells[c]!;
      i = c;
    }
    keys[i] = key;
    cells[i] = cell;
    return top;
  }
}

/**
 * The DEM with its depressions filled (see the module conventions). O(n log n) in the number of
 * cells, iterative; memory about 22 bytes per cell besides the output.
 */
export function fillDepressions(dem: Grid, options: FillOptions = {}): Grid<Float64Array> {
  checkShape(dem, 'fillDepressions');
  const { width, height, cellSize } = dem;
  // The value nodata cells hold (a Float32 grid's is rounded to float32): copied into Float64.
  const nodata = storedNodata(dem);
  const epsilon = options.epsilon === true;
  const n = width * height;
  const z = Float64Array.from(dem.values);
  const data = dataMask(dem);
  // closed: 0 = not yet reached, 1 = queued or done; nodata cells count as closed.
  const closed = new Uint8Array(n);
  for (let i = 0; i < n; i++) closed[i] = data[i] === 0 ? 1 : 0;
  const open = new CellHeap(n);
  const pit = new Int32Array(n); // FIFO; every cell enters at most once, so no wrap-around
  let pitHead = 0;
  let pitTail = 0;

  const isOutlet = (row: number, col: number): boolean => {
    if (row === 0 || col === 0 || row === height - 1 || col === width - 1) return true;
    for (let k = 0; k < 8; k++) {
      if (data[(row + D8_DROW[k]!) * width + col + D8_DCOL[k]!] === 0) return true;
    }
    return false;
  };
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      if (data[i] === 1 && isOutlet(row, col)) {
        closed[i] = 1;
        open.push(z[i]!, i);
      }
    }
  }

  while (open.size > 0 || pitHead < pitTail) {
    let c: number;
    if (pitHead < pitTail && !(epsilon && open.size > 0 && open.topKey() === z[pit[pitHead]!])) {
      c = pit[pitHead++]!;
    } else {
      c = open.pop();
    }
    const zc = z[c]!;
    const spill = epsilon ? nextUp(zc) : zc;
    const row = (c / width) | 0;
    const col = c - row * width;
    for (let k = 0; k < 8; k++) {
      const r = row + D8_DROW[k]!;
      const q = col + D8_DCOL[k]!;
      if (r < 0 || r >= height || q < 0 || q >= width) continue;
      const j = r * width + q;
      if (closed[j] === 1) continue;
      closed[j] = 1;
      if (z[j]! <= spill) {
        z[j] = spill;
        pit[pitTail++] = j;
      } else {
        open.push(z[j]!, j);
      }
    }
  }
  const out: { width: number; height: number; values: Float64Array; nodata?: number } = {
    width,
    height,
    values: z,
  };
  if (nodata !== undefined) out.nodata = nodata;
  return cellSize ? { ...out, cellSize } : out;
}
