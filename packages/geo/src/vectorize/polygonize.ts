/**
 * @module vectorize/polygonize
 * The polygons of a raster mask: the cells equal to a value, traced along cell edges into
 * rings, as GDAL's `gdal_polygonize` does with its default 4-connectedness (cells that touch only
 * at a corner are separate polygons). Rings follow GeoJSON's rule (RFC 7946) for a north-up
 * transform: exteriors counter-clockwise, holes clockwise in map coordinates; vertices only
 * where the boundary turns. Rasterizing the result with the centre-inside rule gives back the
 * mask exactly (a property the tests check). Rings are closed: the first position is repeated last.
 */
import type { Grid } from '../grid.js';
import type { MultiPolygonGeometry, Position } from '../zonal/rasterize.js';
import { type GeoTransformLike, toGeoTransform } from '../zonal/transform.js';

/** Directions of travel along cell edges, in pixel space (row down): E, S, W, N. */
const DCOL = [1, 0, -1, 0] as const;
const DROW = [0, 1, 0, -1] as const;
const NONE = 255;

/**
 * The polygons of the cells of `mask` equal to `value` (default: every non-zero cell), in map
 * coordinates through `transform` (GDAL's six numbers or a `GeoTransform`).
 */
export function polygonize(
  mask: Grid | Uint8Array,
  transform: GeoTransformLike,
  options: { width?: number; value?: number } = {},
): MultiPolygonGeometry {
  const { width, height, inside } = cellsOf(mask, options);
  const t = toGeoTransform(transform);
  const rings = traceRings(width, height, inside);
  // Closed rings (the first position repeated at the end), as RFC 7946 requires.
  const toMap = (ring: number[]): Position[] => {
    const out: Position[] = [];
    for (let i = 0; i < ring.length; i += 2) {
      out.push([t.originX + ring[i]! * t.pixelWidth, t.originY + ring[i + 1]! * t.pixelHeight]);
    }
    out.push(out[0]!);
    return out;
  };
  // Exteriors are traced with a positive signed area in (col, row); the transform scales areas
  // by pixelWidth × pixelHeight, negative for a north-up raster: reverse them then, so that
  // exteriors are counter-clockwise in map coordinates.
  const flip = t.pixelWidth * t.pixelHeight < 0;
  const labels = components(width, height, inside);
  const componentOf = (col: number, row: number) => labels[row * width + col]!;
  const polygons = assignHoles(rings, componentOf).map((polygon) =>
    polygon.map((ring) => {
      const mapped = toMap(ring);
      return flip ? mapped.reverse() : mapped;
    }),
  );
  return { type: 'MultiPolygon', coordinates: polygons };
}

function cellsOf(
  mask: Grid | Uint8Array,
  options: { width?: number; value?: number },
): { width: number; height: number; inside: (i: number) => boolean } {
  const values = mask instanceof Uint8Array ? mask : mask.values;
  const width = mask instanceof Uint8Array ? options.width : mask.width;
  if (width === undefined || !Number.isInteger(width) || width <= 0) {
    throw new RangeError('polygonize: give the mask as a Grid, or its width as options.width');
  }
  if (values.length % width !== 0) {
    throw new RangeError(
      `polygonize: the mask has ${values.length} cells, not a multiple of its width ${width}`,
    );
  }
  const { value } = options;
  const inside =
    value === undefined ? (i: number) => values[i] !== 0 : (i: number) => values[i] === value;
  return { width, height: values.length / width, inside };
}

/**
 * Every boundary ring, as flat `[col, row, col, row, …]` vertex lists in pixel space, each
 * traced with the inside on its right (clockwise on screen for an exterior).
 */
function traceRings(width: number, height: number, inside: (i: number) => boolean): number[][] {
  const stride = width + 1;
  // Up to two edges leave a vertex (two when cells touch at a corner only): their directions.
  const first = new Uint8Array(stride * (height + 1)).fill(NONE);
  const second = new Uint8Array(stride * (height + 1)).fill(NONE);
  let edges = 0;
  const add = (col: number, row: number, dir: number) => {
    const v = row * stride + col;
    if (first[v] === NONE) first[v] = dir;
    else second[v] = dir;
    edges++;
  };
  const isIn = (col: number, row: number) =>
    col >= 0 && row >= 0 && col < width && row < height && inside(row * width + col);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      if (!isIn(col, row)) continue;
      if (!isIn(col, row - 1)) add(col, row, 0); // top edge, going east
      if (!isIn(col + 1, row)) add(col + 1, row, 1); // right edge, going south
      if (!isIn(col, row + 1)) add(col + 1, row + 1, 2); // bottom edge, going west
      if (!isIn(col - 1, row)) add(col, row + 1, 3); // left edge, going north
    }
  }
  const rings: number[][] = [];
  for (let start = 0; edges > 0 && start < first.length; start++) {
    while (first[start] !== NONE) {
      const ring: number[] = [];
      let v = start;
      const dir0 = take(first, second, v, NONE);
      let dir = dir0;
      let previous = NONE;
      do {
        edges--;
        const col = v % stride;
        const row = (v - col) / stride;
        if (dir !== previous) ring.push(col, row);
        previous = dir;
        v = (row + DROW[dir]!) * stride + col + DCOL[dir]!;
        // Back at the start the ring closes, unless the start is a corner where two cells
        // touch and the turn to take is the other edge leaving it.
        const closes = v === start && (first[v] === NONE || (dir + 1) % 4 === dir0);
        dir = closes ? NONE : take(first, second, v, dir);
      } while (dir !== NONE);
      rings.push(...splitAtTouches(ring, stride));
    }
  }
  return rings;
}

/**
 * A ring that passes twice through a corner (where cells touch only at that corner) split into
 * simple rings there: OGC validity forbids a ring touching itself, but allows a hole to touch
 * its exterior, or another hole, at a point. The loop cut out keeps its orientation, which says
 * whether it is a hole.
 */
function splitAtTouches(ring: number[], stride: number): number[][] {
  const out: number[][] = [];
  const stack: number[] = [];
  const at = new Map<number, number>();
  for (let i = 0; i < ring.length; i += 2) {
    const key = ring[i + 1]! * stride + ring[i]!;
    const seen = at.get(key);
    if (seen === undefined) {
      at.set(key, stack.length);
      stack.push(ring[i]!, ring[i + 1]!);
      continue;
    }
    const loop = stack.splice(seen);
    for (let k = 0; k < loop.length; k += 2) at.delete(loop[k + 1]! * stride + loop[k]!);
    out.push(loop);
    at.set(key, stack.length);
    stack.push(ring[i]!, ring[i + 1]!);
  }
  out.push(stack);
  return out;
}

/**
 * Takes the edge leaving `v` to follow after arriving along `arrived`: where two leave (cells
 * touching at a corner), the right turn, which keeps the inside tight (4-connectedness).
 */
function take(first: Uint8Array, second: Uint8Array, v: number, arrived: number): number {
  const a = first[v]!;
  const b = second[v]!;
  let dir = a;
  if (b !== NONE && arrived !== NONE && b === (arrived + 1) % 4) dir = b;
  if (dir === a) {
    first[v] = b;
    second[v] = NONE;
  } else {
    second[v] = NONE;
  }
  return dir;
}

/** Twice the signed area of a pixel-space ring (positive: clockwise on screen, an exterior). */
function signedArea(ring: readonly number[]): number {
  let sum = 0;
  const n = ring.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    sum += ring[i]! * ring[j + 1]! - ring[j]! * ring[i + 1]!;
  }
  return sum;
}

/**
 * Groups rings into polygons in O(n): every ring is traced with its cells on its right, so the
 * cell beside its first edge names the 4-connected component it bounds; a component has one
 * exterior (its largest positive ring) and its holes are its negative rings.
 */
function assignHoles(rings: number[][], componentOf: (col: number, row: number) => number) {
  const exteriors = new Map<number, { ring: number[]; area: number; holes: number[][] }>();
  const extra: number[][][] = [];
  const holes: Array<[number, number[]]> = [];
  for (const ring of rings) {
    const area = signedArea(ring);
    const component = componentOf(...insideCell(ring));
    if (area < 0) {
      holes.push([component, ring]);
      continue;
    }
    const known = exteriors.get(component);
    if (known === undefined || area > known.area) {
      if (known !== undefined) extra.push([known.ring]);
      exteriors.set(component, { ring, area, holes: known?.holes ?? [] });
    } else extra.push([ring]);
  }
  for (const [component, hole] of holes) exteriors.get(component)?.holes.push(hole);
  return [...[...exteriors.values()].map((e) => [e.ring, ...e.holes]), ...extra];
}

/** The cell on the right of a ring's first edge (row down): a cell of the region it bounds. */
function insideCell(ring: readonly number[]): [number, number] {
  const dx = Math.sign(ring[2]! - ring[0]!);
  const dy = Math.sign(ring[3]! - ring[1]!);
  // Half a cell along the edge, half a cell to its right, (−dy, dx): a cell centre.
  return [Math.floor(ring[0]! + dx * 0.5 - dy * 0.5), Math.floor(ring[1]! + dy * 0.5 + dx * 0.5)];
}

/** 4-connected component labels (from 1) of the cells `inside` selects; 0 elsewhere. */
function components(width: number, height: number, inside: (i: number) => boolean): Int32Array {
  const labels = new Int32Array(width * height);
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== 0 || !inside(start)) continue;
    labels[start] = ++next;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const col = i % width;
      const visit = (j: number) => {
        if (labels[j] === 0 && inside(j)) {
          labels[j] = next;
          stack.push(j);
        }
      };
      if (col > 0) visit(i - 1);
      if (col < width - 1) visit(i + 1);
      if (i >= width) visit(i - width);
      if (i + width < labels.length) visit(i + width);
    }
  }
  return labels;
}
