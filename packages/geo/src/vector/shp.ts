/**
 * @module vector/shp
 * The geometry records of an ESRI `.shp` file: polygons (types 5, 15 PolygonZ, 25 PolygonM; only
 * x and y are kept) and null shapes; any other shape type is reported by name for the caller to
 * refuse or skip.
 */
import { GeoReadError } from '../read/error.js';
import type { PolygonalGeometry } from '../zonal/rasterize.js';
import { assemblePolygon } from './rings.js';

/** One record: its polygon, or why it has none. */
export type ShpRecord = { geometry: PolygonalGeometry } | { geometry: null; reason: string };

const SHAPE_NAMES: Record<number, string> = {
  0: 'null shape',
  1: 'Point',
  3: 'PolyLine',
  5: 'Polygon',
  8: 'MultiPoint',
  11: 'PointZ',
  13: 'PolyLineZ',
  15: 'PolygonZ',
  18: 'MultiPointZ',
  21: 'PointM',
  23: 'PolyLineM',
  25: 'PolygonM',
  28: 'MultiPointM',
  31: 'MultiPatch',
};
const POLYGONS = new Set([5, 15, 25]);

/** The records of the `.shp` in `bytes`, in file order. */
export function readShpRecords(bytes: Uint8Array, file: string): ShpRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 100 || view.getInt32(0, false) !== 9994) {
    throw new GeoReadError(file, 'not a shapefile (.shp): no file code 9994 in a 100-byte header');
  }
  const declared = view.getInt32(24, false) * 2;
  if (declared > bytes.byteLength) {
    throw new GeoReadError(
      file,
      `truncated: the header says ${declared} bytes but the file has ${bytes.byteLength}`,
    );
  }
  const records: ShpRecord[] = [];
  let at = 100;
  while (at + 8 <= declared) {
    const length = view.getInt32(at + 4, false) * 2;
    const start = at + 8;
    const end = start + length;
    if (length < 4 || end > declared) {
      throw new GeoReadError(
        file,
        `corrupt: record ${records.length + 1} at byte ${at} runs past the end of the file`,
      );
    }
    records.push(readRecord(view, start, end, file, records.length));
    at = end;
  }
  return records;
}

function readRecord(
  view: DataView,
  start: number,
  end: number,
  file: string,
  index: number,
): ShpRecord {
  const type = view.getInt32(start, true);
  if (type === 0) return { geometry: null, reason: 'null shape (no geometry)' };
  if (!POLYGONS.has(type)) {
    return {
      geometry: null,
      reason: `a ${SHAPE_NAMES[type] ?? `shape of type ${type}`}, not a polygon`,
    };
  }
  const parts = view.getInt32(start + 36, true);
  const points = view.getInt32(start + 40, true);
  const xy = start + 44 + 4 * parts;
  if (parts < 1 || points < parts || xy + 16 * points > end) {
    throw new GeoReadError(
      file,
      `corrupt: polygon record ${index + 1} declares ${parts} rings and ${points} points that do not fit in it`,
    );
  }
  const rings = [];
  for (let p = 0; p < parts; p++) {
    const first = view.getInt32(start + 44 + 4 * p, true);
    const last = p + 1 < parts ? view.getInt32(start + 48 + 4 * p, true) : points;
    if (first < 0 || last > points || last - first < 3) {
      throw new GeoReadError(file, `corrupt: ring ${p + 1} of polygon record ${index + 1}`);
    }
    const ring = [];
    for (let k = first; k < last; k++) {
      ring.push([view.getFloat64(xy + 16 * k, true), view.getFloat64(xy + 16 * k + 8, true)]);
    }
    rings.push(ring);
  }
  return { geometry: assemblePolygon(rings) };
}
