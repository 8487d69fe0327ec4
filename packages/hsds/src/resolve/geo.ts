// Distances between coordinates, and the grid cells that block records by place.

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The cells of a point in four grids of `size` degrees, offset from each other by half a cell
 * in latitude, longitude or both: two points closer than `size / 2` in each coordinate share a
 * cell in at least one of them, wherever the grid lines fall.
 */
export function geoCells(lat: number, lon: number, size: number): string[] {
  const cells: string[] = [];
  for (const [dy, dx] of [
    [0, 0],
    [0.5, 0],
    [0, 0.5],
    [0.5, 0.5],
  ] as const) {
    cells.push(`${dy}${dx}:${Math.floor(lat / size + dy)}:${Math.floor(lon / size + dx)}`);
  }
  return cells;
}
