/**
 * @module hydrology/d8
 * D8 flow directions (O'Callaghan & Mark 1984): each data cell drains to the one of its eight
 * neighbours with the steepest descent.
 *
 * Conventions (explicit, since pysheds, ArcGIS and GRASS differ):
 * - Row 0 is the north edge, column 0 the west edge (`values[row * width + col]`).
 * - Encoding is ESRI's (also pysheds' default `dirmap`): E = 1, SE = 2, S = 4, SW = 8, W = 16,
 *   NW = 32, N = 64, NE = 128. GRASS `r.watershed` uses 1..8 counter-clockwise from NE instead.
 * - {@link NO_FLOW} (0): a data cell with no strictly lower data neighbour — a pit, a flat, or an
 *   outlet on the edge or beside nodata. Such cells are terminal: flow stops there. (pysheds marks
 *   flats −1 and pits −2; ArcGIS lets edge cells without a lower neighbour point off the raster.)
 * - {@link NODATA_DIRECTION} (255): the cell has no data; it is the output grid's `nodata`.
 * - Flow never leaves the grid nor enters a nodata cell: only data neighbours inside the grid are
 *   candidates.
 * - Slope is drop / distance; distances are `cellSize.x` (E, W), `cellSize.y` (N, S) and
 *   `hypot(x, y)` diagonally; without `cellSize`, 1, 1 and √2.
 * - Ties (equal slopes) go to the first neighbour in encoding order E, SE, S, SW, W, NW, N, NE.
 */
import { cellSizeOf, type Grid, storedNodata } from '../grid.js';

/** No downstream neighbour: a pit, a flat, or an outlet. */
export const NO_FLOW = 0;
/** The direction value of a nodata cell (and the `nodata` of a direction grid). */
export const NODATA_DIRECTION = 255;
/** ESRI direction codes, in tie-break order: E, SE, S, SW, W, NW, N, NE. */
export const D8_CODES: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128];
/** Row offset of each direction in {@link D8_CODES} order (rows grow southward). */
export const D8_DROW: readonly number[] = [0, 1, 1, 1, 0, -1, -1, -1];
/** Column offset of each direction in {@link D8_CODES} order (columns grow eastward). */
export const D8_DCOL: readonly number[] = [1, 1, 0, -1, -1, -1, 0, 1];

const CODE_INDEX = new Int8Array(256).fill(-1);
for (let k = 0; k < 8; k++) CODE_INDEX[D8_CODES[k]!] = k;

/** The index (0..7, in {@link D8_CODES} order) of a direction code, or −1 for any other value. */
export function directionIndex(code: number): number {
  return code >= 0 && code < 256 && Number.isInteger(code) ? CODE_INDEX[code]! : -1;
}

/** 1 where `grid` holds data (neither NaN nor its `nodata`), else 0. */
export function dataMask(grid: Grid): Uint8Array {
  const { values } = grid;
  const nodata = storedNodata(grid);
  const n = values.length;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    mask[i] = !Number.isNaN(v) && v !== nodata ? 1 : 0;
  }
  return mask;
}

export function checkShape(grid: Grid, what: string): void {
  const { width, height, values } = grid;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`${what}: width and height must be non-negative integers`);
  }
  if (values.length !== width * height) {
    throw new RangeError(
      `${what}: values.length ${values.length} ≠ width × height ${width * height}`,
    );
  }
}

/**
 * D8 flow directions of `dem` (see the module conventions). For directions on every cell but the
 * outlets, fill the DEM first with {@link fillDepressions} and `{ epsilon: true }`: plain filling
 * leaves flats, whose cells get {@link NO_FLOW}.
 */
export function flowDirection(dem: Grid): Grid<Uint8Array> {
  checkShape(dem, 'flowDirection');
  const { width, height, values, cellSize } = dem;
  const n = width * height;
  const data = dataMask(dem);
  const { x: dx, y: dy } = cellSizeOf(dem, 'flowDirection');
  const diag = Math.hypot(dx, dy);
  const inv = new Float64Array(8);
  const off = new Int32Array(8);
  for (let k = 0; k < 8; k++) {
    const r = D8_DROW[k]!;
    const c = D8_DCOL[k]!;
    inv[k] = 1 / (r !== 0 && c !== 0 ? diag : r !== 0 ? dy : dx);
    off[k] = r * width + c;
  }
  const out = new Uint8Array(n);
  for (let row = 0; row < height; row++) {
    const interior = row > 0 && row < height - 1;
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      if (data[i] === 0) {
        out[i] = NODATA_DIRECTION;
        continue;
      }
      const z = values[i]!;
      let best = 0;
      let bestK = -1;
      const inside = interior && col > 0 && col < width - 1;
      for (let k = 0; k < 8; k++) {
        if (!inside) {
          const r = row + D8_DROW[k]!;
          const c = col + D8_DCOL[k]!;
          if (r < 0 || r >= height || c < 0 || c >= width) continue;
        }
        const j = i + off[k]!;
        if (data[j] === 0) continue;
        const drop = z - values[j]!;
        // A drop of a few subnormal steps (ε-filled flats near 0) underflows once divided:
        // a strictly lower neighbour still gets a direction, the smallest slope there is.
        const slope = drop > 0 ? Math.max(drop * inv[k]!, Number.MIN_VALUE) : 0;
        if (slope > best) {
          best = slope;
          bestK = k;
        }
      }
      out[i] = bestK < 0 ? NO_FLOW : D8_CODES[bestK]!;
    }
  }
  return cellSize
    ? { width, height, values: out, nodata: NODATA_DIRECTION, cellSize }
    : { width, height, values: out, nodata: NODATA_DIRECTION };
}

/**
 * The downstream cell of every cell of a direction grid: its index, −1 for a terminal data cell
 * (direction 0, or a direction leaving the grid or entering a nodata cell), −2 for a nodata cell
 * (255, or the grid's `nodata`). Throws a `RangeError` on any other direction value.
 */
export function downstream(dirs: Grid<Uint8Array>): Int32Array {
  checkShape(dirs, 'downstream');
  const { width, height, values, nodata } = dirs;
  const n = width * height;
  const isNodata = (v: number) => v === NODATA_DIRECTION || v === nodata;
  const out = new Int32Array(n);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const v = values[i]!;
      if (isNodata(v)) {
        out[i] = -2;
        continue;
      }
      if (v === NO_FLOW) {
        out[i] = -1;
        continue;
      }
      const k = directionIndex(v);
      if (k < 0) throw new RangeError(`downstream: invalid D8 direction ${v} at cell ${i}`);
      const r = row + D8_DROW[k]!;
      const c = col + D8_DCOL[k]!;
      const j = r * width + c;
      out[i] = r < 0 || r >= height || c < 0 || c >= width || isNodata(values[j]!) ? -1 : j;
    }
  }
  return out;
}
