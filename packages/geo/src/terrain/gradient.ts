/**
 * @module terrain/gradient
 * The 3×3 window of each cell and its gradient, with gdaldem's edge and nodata rules. The window
 * is numbered as gdaldem numbers it, row 0 north:
 *
 * ```
 * z0 z1 z2
 * z3 z4 z5
 * z6 z7 z8
 * ```
 *
 * - Horn: `gx = (z0 + z3 + z3 + z6) − (z2 + z5 + z5 + z8)`, `gy = (z6 + z7 + z7 + z8) − (z0 + z1 + z1 + z2)`.
 * - Zevenbergen & Thorne: `gx = z3 − z5`, `gy = z7 − z1`.
 *
 * Both are "west minus east" and "south minus north", added left to right as gdaldem adds them
 * before any cell size, in float32 arithmetic (gdaldem's window is float32) or, for its standard
 * Horn hillshade (a vectorised path that loads the samples into doubles), in float64; each
 * derivative scales them itself.
 *
 * A cell has no value (`valid` 0) when its centre is no data, when it is on the border without
 * `computeEdges` (and every cell of a raster narrower or shorter than 2, even with it), or when a
 * neighbour is no data without `computeEdges`. With `computeEdges` the window beyond the border is
 * extrapolated (`2·edge − inside`, see `terrain/source`), except that on the first and last rows
 * gdaldem repeats the edge column instead of extrapolating it; then every neighbour that is no data
 * takes the centre's value.
 *
 * Interior cells whose nine cells all hold data take a fast path that shares Horn's column sums
 * between neighbouring cells; it gives the same results as the window, cell by cell.
 */

import type { TerrainAlgorithm } from './options.js';
import { extrapolate, type NodataRule } from './source.js';

const fr = Math.fround;

/** One input row as the kernels keep it. */
export interface Row {
  /**
   * The samples, as float32 (exact for every integer type gdaldem reads as integers): a view of
   * the caller's Float32Array while its chunk is being processed, else `own`.
   */
  values: Float32Array;
  /** The row's own storage. */
  readonly own: Float32Array;
  /** 1 where the sample is no data. */
  readonly mask: Uint8Array;
  /** Horn's `((v[j−1] + v[j]) + v[j]) + v[j+1]` in float32, for interior `j` (Horn only). */
  readonly hsum: Float64Array;
  /** Whether any sample of the row is no data; `mask` is all 0 when not. */
  holes: boolean;
}

/** A row with room for `width` samples. */
export function newRow(width: number): Row {
  const own = new Float32Array(width);
  return {
    values: own,
    own,
    mask: new Uint8Array(width),
    hsum: new Float64Array(width),
    holes: false,
  };
}

/** Fills `row`'s mask and Horn sums from its values. */
export function prepareRow(row: Row, setup: GradientSetup): void {
  const { rule, algorithm, float64 } = setup;
  const { values: v, hsum } = row;
  const n = v.length;
  const holes = rule.any(v);
  if (holes) rule.mark(v, row.mask);
  else if (row.holes) row.mask.fill(0);
  row.holes = holes;
  // Integer samples add up exactly in float32 too: the cheaper float64 loop gives the same sums.
  if (algorithm === 'horn' && (float64 || rule.path === 'integer')) {
    for (let j = 1; j < n - 1; j++) hsum[j] = v[j - 1]! + v[j]! + v[j]! + v[j + 1]!;
  } else if (algorithm === 'horn') {
    for (let j = 1; j < n - 1; j++) {
      const c = v[j]!;
      hsum[j] = fr(fr(fr(v[j - 1]! + c) + c) + v[j + 1]!);
    }
  }
}

/** One output row's gradients (see the module). */
export interface Gradients {
  readonly gx: Float64Array;
  readonly gy: Float64Array;
  readonly valid: Uint8Array;
}

/** Working memory for {@link rowGradients}, reused row after row. */
export interface GradientScratch extends Gradients {
  readonly colSum: Float64Array;
  readonly window: Float64Array;
}

export function newScratch(width: number): GradientScratch {
  return {
    gx: new Float64Array(width),
    gy: new Float64Array(width),
    valid: new Uint8Array(width),
    colSum: new Float64Array(width),
    window: new Float64Array(9),
  };
}

/** How to compute one row: the algorithm, the nodata rule, whether edges are computed. */
export interface GradientSetup {
  readonly algorithm: TerrainAlgorithm;
  readonly rule: NodataRule;
  readonly computeEdges: boolean;
  /** Sums in float64 rather than float32 (see the module). */
  readonly float64: boolean;
}

/**
 * The gradients of the row `centre`, between `above` and `below` (undefined beyond the raster's
 * first or last row), into `s`.
 */
export function rowGradients(
  setup: GradientSetup,
  above: Row | undefined,
  centre: Row,
  below: Row | undefined,
  s: GradientScratch,
): void {
  const width = centre.values.length;
  const { computeEdges } = setup;
  s.valid.fill(0);
  if (above === undefined || below === undefined) {
    if (computeEdges && width >= 2 && (above ?? below) !== undefined) {
      for (let j = 0; j < width; j++) slowCell(setup, above, centre, below, j, s);
    }
    return;
  }
  if (width >= 3) {
    const exact = setup.float64 || setup.rule.path === 'integer';
    if (setup.algorithm === 'horn') hornInterior(above, centre, below, s, exact);
    else ztInterior(above, centre, below, s, exact);
    if (above.holes || centre.holes || below.holes) {
      for (let j = 1; j < width - 1; j++) {
        if (
          above.mask[j - 1]! |
          above.mask[j]! |
          above.mask[j + 1]! |
          (centre.mask[j - 1]! | centre.mask[j]! | centre.mask[j + 1]!) |
          (below.mask[j - 1]! | below.mask[j]! | below.mask[j + 1]!)
        ) {
          s.valid[j] = 0;
          slowCell(setup, above, centre, below, j, s);
        }
      }
    }
  }
  if (computeEdges && width >= 2) {
    slowCell(setup, above, centre, below, 0, s);
    slowCell(setup, above, centre, below, width - 1, s);
  }
}

function hornInterior(
  above: Row,
  centre: Row,
  below: Row,
  s: GradientScratch,
  float64: boolean,
): void {
  const a = above.values;
  const c = centre.values;
  const b = below.values;
  const ha = above.hsum;
  const hb = below.hsum;
  const { colSum, gx, gy, valid } = s;
  const n = c.length;
  if (float64) {
    for (let k = 0; k < n; k++) colSum[k] = a[k]! + c[k]! + c[k]! + b[k]!;
    for (let j = 1; j < n - 1; j++) {
      gx[j] = colSum[j - 1]! - colSum[j + 1]!;
      gy[j] = hb[j]! - ha[j]!;
      valid[j] = 1;
    }
    return;
  }
  for (let k = 0; k < n; k++) {
    const m = c[k]!;
    colSum[k] = fr(fr(fr(a[k]! + m) + m) + b[k]!);
  }
  for (let j = 1; j < n - 1; j++) {
    gx[j] = fr(colSum[j - 1]! - colSum[j + 1]!);
    gy[j] = fr(hb[j]! - ha[j]!);
    valid[j] = 1;
  }
}

function ztInterior(
  above: Row,
  centre: Row,
  below: Row,
  s: GradientScratch,
  float64: boolean,
): void {
  const a = above.values;
  const c = centre.values;
  const b = below.values;
  const { gx, gy, valid } = s;
  const n = c.length;
  const round = float64 ? same : fr;
  for (let j = 1; j < n - 1; j++) {
    gx[j] = round(c[j - 1]! - c[j + 1]!);
    gy[j] = round(b[j]! - a[j]!);
    valid[j] = 1;
  }
}

const same = (x: number) => x;

/** Column `j` of the row through gdaldem's general window (border cells, cells beside no data). */
function slowCell(
  setup: GradientSetup,
  above: Row | undefined,
  centre: Row,
  below: Row | undefined,
  j: number,
  s: GradientScratch,
): void {
  const { rule, computeEdges } = setup;
  const w = s.window;
  const width = centre.values.length;
  const c = centre.values;
  if (above === undefined || below === undefined) {
    // First or last row: the edge column is repeated, the missing row extrapolated.
    const jl = j === 0 ? j : j - 1;
    const jr = j === width - 1 ? j : j + 1;
    const other = (above ?? below)!.values;
    const outer = above === undefined ? 0 : 6;
    const inner = above === undefined ? 6 : 0;
    w[outer] = extrapolate(rule, c[jl]!, other[jl]!);
    w[outer + 1] = extrapolate(rule, c[j]!, other[j]!);
    w[outer + 2] = extrapolate(rule, c[jr]!, other[jr]!);
    w[3] = c[jl]!;
    w[4] = c[j]!;
    w[5] = c[jr]!;
    w[inner] = other[jl]!;
    w[inner + 1] = other[j]!;
    w[inner + 2] = other[jr]!;
  } else if (j === 0 || j === width - 1) {
    if (!computeEdges) return;
    // First or last column: the missing column extrapolated.
    const e = j;
    const i = j === 0 ? 1 : j - 1;
    const outer = j === 0 ? 0 : 2;
    const inner = 2 - outer;
    let k = 0;
    for (const r of [above.values, c, below.values]) {
      w[k + outer] = extrapolate(rule, r[e]!, r[i]!);
      w[k + 1] = r[e]!;
      w[k + inner] = r[i]!;
      k += 3;
    }
  } else {
    let k = 0;
    for (const r of [above.values, c, below.values]) {
      w[k] = r[j - 1]!;
      w[k + 1] = r[j]!;
      w[k + 2] = r[j + 1]!;
      k += 3;
    }
  }
  const z4 = w[4]!;
  if (rule.test(z4)) return;
  for (let k = 0; k < 9; k++) {
    if (rule.test(w[k]!)) {
      if (!computeEdges) return;
      w[k] = z4;
    }
  }
  const r = setup.float64 ? same : fr;
  if (setup.algorithm === 'horn') {
    s.gx[j] = r(r(r(r(w[0]! + w[3]!) + w[3]!) + w[6]!) - r(r(r(w[2]! + w[5]!) + w[5]!) + w[8]!));
    s.gy[j] = r(r(r(r(w[6]! + w[7]!) + w[7]!) + w[8]!) - r(r(r(w[0]! + w[1]!) + w[1]!) + w[2]!));
  } else {
    s.gx[j] = r(w[3]! - w[5]!);
    s.gy[j] = r(w[7]! - w[1]!);
  }
  s.valid[j] = 1;
}
