// What GDAL/OGR reads from a vector file (through its Python bindings), for the vector reader
// tests, and shapefiles made with ogr2ogr from GeoJSON.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GDAL_PYTHON, gdal } from './_gdal.js';

/** One feature as OGR reads it: its FID, attributes and GeoJSON geometry (or null). */
export interface OgrFeature {
  fid: number;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown } | null;
}

// Coordinates from GetPoints(), not ExportToJson(), which rounds them to 15 digits.
const DUMP = `
import json, sys
from osgeo import ogr
ogr.UseExceptions()
def rings(poly):
    return [[list(p[:2]) for p in poly.GetGeometryRef(i).GetPoints()] for i in range(poly.GetGeometryCount())]
def geometry(g):
    if g is None:
        return None
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t == ogr.wkbPolygon:
        return {'type': 'Polygon', 'coordinates': rings(g)}
    if t == ogr.wkbMultiPolygon:
        return {'type': 'MultiPolygon', 'coordinates': [rings(g.GetGeometryRef(i)) for i in range(g.GetGeometryCount())]}
    return {'type': g.GetGeometryName(), 'coordinates': None}
ds = ogr.Open(sys.argv[1])  # kept: the layer dies with its dataset
out = [{'fid': f.GetFID(), 'properties': f.items(), 'geometry': geometry(f.GetGeometryRef())} for f in ds.GetLayer()]
print(json.dumps(out))
`;

/** The features OGR reads from `path`. */
export function ogrFeatures(path: string): OgrFeature[] {
  return JSON.parse(
    execFileSync(GDAL_PYTHON, ['-c', DUMP, path], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as OgrFeature[];
}

/** A shapefile `dir/name.shp` made by ogr2ogr from GeoJSON features; its path. */
export function shapefileFrom(
  dir: string,
  name: string,
  features: readonly object[],
  args: readonly string[] = [],
): string {
  const src = join(dir, `${name}.geojson`);
  writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features }));
  const shp = join(dir, `${name}.shp`);
  gdal('ogr2ogr', ['-f', 'ESRI Shapefile', ...args, shp, src]);
  return shp;
}

/** A ring or ring set compared whatever its orientation: each ring starting anywhere, either way. */
export function sameRings(a: unknown, b: unknown): boolean {
  const norm = (ring: number[][]) => {
    const open = ring.slice(0, -1).map((p) => `${p[0]},${p[1]}`);
    const rotations = (r: string[]) => r.map((_, i) => [...r.slice(i), ...r.slice(0, i)].join(' '));
    return [...rotations(open), ...rotations([...open].reverse())].sort()[0];
  };
  const rings = (p: unknown) => (p as number[][][]).map(norm);
  return JSON.stringify(rings(a)) === JSON.stringify(rings(b));
}
