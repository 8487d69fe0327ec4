/**
 * @module zonal/rasterize
 * Which cells of a grid a polygon covers, row by row.
 *
 * Geometry is GeoJSON-like `Polygon | MultiPolygon` coordinates in map units, mapped to continuous
 * pixel space by a `GeoTransform` (cell `(c, r)` is the square `[c, c+1] × [r, r+1]`, its centre
 * `(c + 0.5, r + 0.5)`).
 *
 * Fill rule: within one `Polygon`, even-odd over all its rings (the first ring the exterior, the
 * others holes); ring orientation is ignored and rings may be closed (last = first) or not. The
 * parts of a `MultiPolygon` are unioned (a cell covered by two parts is covered once, and two
 * overlapping parts do not cancel).
 *
 * Pixel rules:
 * - `'centre-inside'`: a cell counts when its centre is inside the polygon. Boundary rule
 *   (half-open; GDAL's rasterizer differs only for centres exactly on an edge): on the scanline `y = r + 0.5` an edge with
 *   endpoints `y0 < y1` crosses when `y0 ≤ y < y1` (horizontal edges never cross); sorted crossings
 *   `x0 ≤ x1 ≤ x2 ≤ …` give spans `[x0, x1), [x2, x3), …` and a cell is in when `x0 ≤ c + 0.5 < x1`.
 *   A centre on a left/top-in-pixel-space edge (smaller col / smaller row) is in, on a right/bottom
 *   edge out; so polygons that tile the plane (sharing edges and vertices exactly) count every
 *   centre exactly once.
 * - `'all-touched'`: a cell counts when the closed polygon (boundary included) meets the cell's
 *   open interior `(c, c+1) × (r, r+1)` — every centre-inside cell plus every cell any edge (of any
 *   ring, holes included) passes through, found by a supercover traversal of each edge. A cell that
 *   meets the polygon only along its own border or at a corner (a polygon aligned to pixel edges,
 *   an edge through a cell corner) is not counted. A cell touched by two polygons counts for each.
 */

import { type GeoTransformLike, mapToCol, mapToRow, toGeoTransform } from './transform.js';

/** A position `[x, y, ...]` in map units (extra ordinates are ignored). */
export type Position = readonly number[];
/** GeoJSON-like polygon: rings of positions, the first the exterior, the rest holes. */
export interface PolygonGeometry {
  readonly type: 'Polygon';
  readonly coordinates: readonly (readonly Position[])[];
}
/** GeoJSON-like multipolygon: polygons, unioned. */
export interface MultiPolygonGeometry {
  readonly type: 'MultiPolygon';
  readonly coordinates: readonly (readonly (readonly Position[])[])[];
}
export type PolygonalGeometry = PolygonGeometry | MultiPolygonGeometry;

/** How a cell is decided to be in a polygon (see the module). */
export type PixelRule = 'centre-inside' | 'all-touched';

/** One edge in pixel space, endpoints ordered by (y, x) so a shared edge computes identically. */
interface Edge {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** Index of the polygon (part) whose even-odd fill the edge belongs to. */
  readonly part: number;
}

/** A polygon prepared for rasterizing: its edges in pixel space and their extent. */
export interface PreparedPolygon {
  readonly edges: readonly Edge[];
  readonly parts: number;
  readonly minCol: number;
  readonly maxCol: number;
  readonly minRow: number;
  readonly maxRow: number;
}

/** The edges of `geometry` in pixel space (throws on a malformed geometry or coordinate). */
export function preparePolygon(
  geometry: PolygonalGeometry,
  transform: GeoTransformLike,
): PreparedPolygon {
  const t = toGeoTransform(transform);
  let polys: readonly (readonly (readonly Position[])[])[];
  if (geometry?.type === 'Polygon') polys = [geometry.coordinates];
  else if (geometry?.type === 'MultiPolygon') polys = geometry.coordinates;
  else {
    throw new TypeError(
      `expected a Polygon or MultiPolygon geometry, got ${String((geometry as { type?: unknown })?.type)}`,
    );
  }
  const edges: Edge[] = [];
  let minCol = Infinity;
  let maxCol = -Infinity;
  let minRow = Infinity;
  let maxRow = -Infinity;
  if (!Array.isArray(polys)) {
    throw new TypeError(`a ${geometry.type} needs its coordinates (an array of rings)`);
  }
  polys.forEach((rings, part) => {
    if (!Array.isArray(rings)) throw new TypeError(`polygon ${part}: rings must be an array`);
    for (const ring of rings) {
      if (!Array.isArray(ring)) throw new TypeError(`polygon ${part}: a ring must be an array`);
      const n = ring.length;
      const cols = new Float64Array(n);
      const rows = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const p = ring[i];
        const x = Array.isArray(p) ? p[0] : undefined;
        const y = Array.isArray(p) ? p[1] : undefined;
        if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x + y)) {
          throw new RangeError(`polygon ${part}: position ${i} is not a finite [x, y]`);
        }
        const c = mapToCol(t, x);
        const r = mapToRow(t, y);
        cols[i] = c;
        rows[i] = r;
        if (c < minCol) minCol = c;
        if (c > maxCol) maxCol = c;
        if (r < minRow) minRow = r;
        if (r > maxRow) maxRow = r;
      }
      for (let i = 0; i < n; i++) {
        const j = i + 1 === n ? 0 : i + 1;
        let xa = cols[i]!;
        let ya = rows[i]!;
        let xb = cols[j]!;
        let yb = rows[j]!;
        if (xa === xb && ya === yb) continue;
        if (ya > yb || (ya === yb && xa > xb)) {
          [xa, xb] = [xb, xa];
          [ya, yb] = [yb, ya];
        }
        edges.push({ x0: xa, y0: ya, x1: xb, y1: yb, part });
      }
    }
  });
  edges.sort((a, b) => a.y0 - b.y0);
  return { edges, parts: polys.length, minCol, maxCol, minRow, maxRow };
}

/** The window of cells `[col0, col1) × [row0, row1)` a prepared polygon may cover in a grid. */
export interface CellWindow {
  readonly col0: number;
  readonly col1: number;
  readonly row0: number;
  readonly row1: number;
}

/** The cells of a `width × height` grid that `p` can touch (empty: `col0 >= col1` or rows alike). */
export function polygonWindow(p: PreparedPolygon, width: number, height: number): CellWindow {
  if (p.edges.length === 0) return { col0: 0, col1: 0, row0: 0, row1: 0 };
  return {
    col0: Math.max(0, Math.floor(p.minCol)),
    col1: Math.min(width, Math.ceil(p.maxCol)),
    row0: Math.max(0, Math.floor(p.minRow)),
    row1: Math.min(height, Math.ceil(p.maxRow)),
  };
}

/** x of edge `e` at `y` (y within its range), computed the same way for every polygon sharing it. */
function xAt(e: Edge, y: number): number {
  if (y === e.y0) return e.x0;
  if (y === e.y1) return e.x1;
  return e.x0 + ((y - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0);
}

/**
 * Calls `visit(row, mask)` for each row of `win`, top to bottom, with `mask[k] = 1` when cell
 * `(win.col0 + k, row)` is in the polygon under `rule`, else 0. `mask` is reused between rows.
 * Memory is one row of the window; time is the window's area plus the edges' work.
 */
export function scanPolygon(
  p: PreparedPolygon,
  win: CellWindow,
  rule: PixelRule,
  visit: (row: number, mask: Uint8Array) => void,
): void {
  const { col0, col1, row0, row1 } = win;
  if (col0 >= col1 || row0 >= row1) return;
  if (rule !== 'centre-inside' && rule !== 'all-touched') {
    throw new RangeError(`unknown pixel rule ${String(rule)} (centre-inside | all-touched)`);
  }
  const touched = rule === 'all-touched';
  const w = col1 - col0;
  const mask = new Uint8Array(w);
  const edges = p.edges;
  const crossings: number[][] = Array.from({ length: p.parts }, () => []);
  let active: Edge[] = [];
  let next = 0;
  for (let r = row0; r < row1; r++) {
    mask.fill(0);
    const top = r;
    const bottom = r + 1;
    // Edges whose closed y-range meets [r, r + 1].
    while (next < edges.length && edges[next]!.y0 <= bottom) active.push(edges[next++]!);
    if (active.length > 0) active = active.filter((e) => e.y1 >= top);
    // Centre scanline, half-open in y, even-odd per part.
    const yc = r + 0.5;
    for (const e of active) {
      if (e.y0 <= yc && yc < e.y1) crossings[e.part]!.push(xAt(e, yc));
    }
    for (const xs of crossings) {
      if (xs.length === 0) continue;
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        // Cells with xs[k] ≤ c + 0.5 < xs[k + 1].
        const a = Math.max(col0, Math.ceil(xs[k]! - 0.5));
        const b = Math.min(col1, Math.ceil(xs[k + 1]! - 0.5));
        if (a < b) mask.fill(1, a - col0, b - col0);
      }
      xs.length = 0;
    }
    if (touched) {
      for (const e of active) {
        let xa: number;
        let xb: number;
        if (e.y0 === e.y1) {
          // Horizontal: meets open cells of this row only strictly inside the row.
          if (!(top < e.y0 && e.y0 < bottom)) continue;
          xa = e.x0;
          xb = e.x1;
        } else {
          const ya = Math.max(e.y0, top);
          const yb = Math.min(e.y1, bottom);
          if (!(ya < yb)) continue;
          const u = xAt(e, ya);
          const v = xAt(e, yb);
          xa = Math.min(u, v);
          xb = Math.max(u, v);
        }
        let a: number;
        let b: number;
        if (xa === xb) {
          // Vertical within the row: an open cell only if strictly between column lines.
          if (Number.isInteger(xa)) continue;
          a = Math.floor(xa);
          b = a + 1;
        } else {
          // Open cells (c, c + 1) meeting [xa, xb]: floor(xa) ≤ c ≤ ceil(xb) − 1.
          a = Math.floor(xa);
          b = Math.ceil(xb);
        }
        if (a < col0) a = col0;
        if (b > col1) b = col1;
        if (a < b) mask.fill(1, a - col0, b - col0);
      }
    }
    visit(r, mask);
  }
}

/**
 * A `width × height` row-major mask (1 = in) of the cells of `geometry` under `rule`. Cells
 * outside the grid are clipped away.
 */
export function rasterizePolygon(
  geometry: PolygonalGeometry,
  transform: GeoTransformLike,
  width: number,
  height: number,
  rule: PixelRule = 'centre-inside',
): Uint8Array {
  checkSize(width, height);
  const out = new Uint8Array(width * height);
  const p = preparePolygon(geometry, transform);
  const win = polygonWindow(p, width, height);
  scanPolygon(p, win, rule, (row, mask) => out.set(mask, row * width + win.col0));
  return out;
}

export function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`grid size must be non-negative integers, got ${width} × ${height}`);
  }
}
