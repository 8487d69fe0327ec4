/**
 * @module vector/rings
 * A shapefile polygon's rings, which come as one flat list, grouped into polygons: clockwise rings
 * are exteriors, counter-clockwise ones holes (the shapefile specification), each hole going to
 * the smallest exterior that contains it. A hole that no exterior contains is kept as an exterior
 * of its own, so a file with every ring the wrong way round still reads (as GDAL reads it). The
 * output is oriented as RFC 7946 asks: exteriors counter-clockwise, holes clockwise.
 */
import type { PolygonalGeometry, Position } from '../zonal/rasterize.js';

type Ring = Position[];

/** The Polygon (one exterior) or MultiPolygon that the rings of one shape make. */
export function assemblePolygon(rings: readonly Ring[]): PolygonalGeometry {
  const exteriors: { ring: Ring; area: number; holes: Ring[] }[] = [];
  const holes: Ring[] = [];
  for (const ring of rings) {
    const area = signedArea(ring);
    if (area < 0) exteriors.push({ ring, area: -area, holes: [] });
    else holes.push(ring);
  }
  for (const hole of holes) {
    let best: (typeof exteriors)[number] | undefined;
    for (const e of exteriors) {
      if ((best === undefined || e.area < best.area) && containsRing(e.ring, hole)) best = e;
    }
    if (best) best.holes.push(hole);
    else exteriors.push({ ring: hole, area: Math.abs(signedArea(hole)), holes: [] });
  }
  const polygons = exteriors.map((e) => [
    orient(e.ring, true),
    ...e.holes.map((h) => orient(h, false)),
  ]);
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/** Twice the shoelace area: positive counter-clockwise (x east, y north). */
function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return a;
}

function orient(ring: Ring, counterClockwise: boolean): Ring {
  return signedArea(ring) > 0 === counterClockwise ? ring : [...ring].reverse();
}

/** Whether `inner` lies in `outer`: its first vertex not on `outer`'s boundary is inside. */
function containsRing(outer: Ring, inner: Ring): boolean {
  for (const p of inner) {
    const side = pointInRing(outer, p[0]!, p[1]!);
    if (side !== 0) return side > 0;
  }
  return false;
}

/** 1 inside, -1 outside, 0 on the boundary (even-odd, ring closed or not). */
function pointInRing(ring: Ring, x: number, y: number): number {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]! as [number, number];
    const [xj, yj] = ring[j]! as [number, number];
    const cross = (xj - xi) * (y - yi) - (x - xi) * (yj - yi);
    if (
      cross === 0 &&
      Math.min(xi, xj) <= x &&
      x <= Math.max(xi, xj) &&
      Math.min(yi, yj) <= y &&
      y <= Math.max(yi, yj)
    ) {
      return 0;
    }
    if (yi > y !== yj > y && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) inside = !inside;
  }
  return inside ? 1 : -1;
}
