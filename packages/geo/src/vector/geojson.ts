/**
 * @module vector/geojson
 * `readGeoJson`: the polygons of a GeoJSON FeatureCollection, Feature or bare geometry as a
 * `PolygonLayer`, coordinates checked (rings of at least 3 positions of finite numbers). The CRS
 * is WGS 84 longitude/latitude (EPSG:4326) as RFC 7946 has it, unless the file carries the old
 * `crs` member naming an EPSG code (`EPSG:2056`, `urn:ogc:def:crs:EPSG::2056`; `CRS84` is 4326).
 */
import { readFile } from 'node:fs/promises';
import type { Crs } from '../raster.js';
import { GeoReadError, messageOf } from '../read/error.js';
import type { PolygonalGeometry } from '../zonal/rasterize.js';
import type { PolygonFeature, PolygonLayer, ReadVectorOptions, SkippedFeature } from './types.js';

export interface ReadGeoJsonOptions extends ReadVectorOptions {
  /** What errors call the input (`readGeoJsonFile` gives the path); default `'GeoJSON'`. */
  readonly name?: string;
}

const WGS84: Crs = { epsg: 4326, geographic: true };

/** The polygon features of `input`, GeoJSON text or an already parsed object. */
export function readGeoJson(
  input: string | object,
  options: ReadGeoJsonOptions = {},
): PolygonLayer {
  const file = options.name ?? 'GeoJSON';
  let root: unknown = input;
  if (typeof input === 'string') {
    try {
      root = JSON.parse(input);
    } catch (error) {
      throw new GeoReadError(file, `not valid JSON (${messageOf(error)})`, { cause: error });
    }
  }
  if (!isObject(root)) throw new GeoReadError(file, 'not a GeoJSON object');
  const items = featuresOf(root, file);
  const features: PolygonFeature[] = [];
  const skipped: SkippedFeature[] = [];
  items.forEach((item, index) => {
    const id = typeof item.id === 'string' || typeof item.id === 'number' ? item.id : undefined;
    const where = `feature ${index}${id === undefined ? '' : ` (id ${JSON.stringify(id)})`}`;
    const g = item.geometry;
    if (!isObject(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      const reason = isObject(g) ? `a ${String(g.type)}, not a polygon` : 'no geometry (null)';
      if (options.nonPolygon !== 'skip') {
        throw new GeoReadError(
          file,
          `${where} is ${reason}; only Polygon and MultiPolygon are read (pass nonPolygon: 'skip' to leave such features out)`,
        );
      }
      skipped.push({ index, ...(id === undefined ? {} : { id }), reason });
      return;
    }
    const geometry = checkGeometry(g.type, g.coordinates, `${file}: ${where}`);
    const properties = isObject(item.properties) ? { ...item.properties } : {};
    features.push({ ...(id === undefined ? {} : { id }), properties, geometry });
  });
  return { features, crs: crsMember(root.crs, file), skipped };
}

/** `readGeoJson` of the file at `path` (errors name the path). */
export async function readGeoJsonFile(
  path: string,
  options: ReadVectorOptions = {},
): Promise<PolygonLayer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GeoReadError(path, `cannot be read (${messageOf(error)})`, { cause: error });
  }
  return readGeoJson(text, { ...options, name: path });
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function featuresOf(root: Json, file: string): Json[] {
  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) {
      throw new GeoReadError(file, 'a FeatureCollection without a features array');
    }
    return root.features.map((f, i) => {
      if (!isObject(f) || f.type !== 'Feature') {
        throw new GeoReadError(file, `features[${i}] is not a Feature`);
      }
      return f;
    });
  }
  if (root.type === 'Feature') return [root];
  if (typeof root.type === 'string' && 'coordinates' in root) return [{ geometry: root }];
  if (root.type === 'GeometryCollection') return [{ geometry: root }];
  throw new GeoReadError(
    file,
    `not GeoJSON: type ${JSON.stringify(root.type)} is not a FeatureCollection, Feature or geometry`,
  );
}

function checkGeometry(type: 'Polygon' | 'MultiPolygon', coords: unknown, where: string) {
  const polygon = (p: unknown, what: string): number[][][] => {
    if (!Array.isArray(p) || p.length === 0) throw new GeoReadError(where, `${what} has no rings`);
    return p.map((ring: unknown, r) => {
      if (!Array.isArray(ring) || ring.length < 3) {
        throw new GeoReadError(where, `${what} ring ${r} is not an array of at least 3 positions`);
      }
      return ring.map((pos: unknown, k) => {
        if (
          !Array.isArray(pos) ||
          pos.length < 2 ||
          !pos.every((n) => typeof n === 'number' && Number.isFinite(n))
        ) {
          throw new GeoReadError(
            where,
            `${what} ring ${r} position ${k} is not [x, y] finite numbers: ${JSON.stringify(pos)}`,
          );
        }
        return pos as number[];
      });
    });
  };
  if (type === 'Polygon') {
    return { type, coordinates: polygon(coords, 'Polygon') } satisfies PolygonalGeometry;
  }
  if (!Array.isArray(coords)) throw new GeoReadError(where, 'MultiPolygon has no polygons');
  return {
    type,
    coordinates: coords.map((p: unknown, i) => polygon(p, `MultiPolygon part ${i}`)),
  } satisfies PolygonalGeometry;
}

function crsMember(crs: unknown, file: string): Crs {
  if (crs === undefined || crs === null) return WGS84;
  const name = isObject(crs) && isObject(crs.properties) ? crs.properties.name : undefined;
  if (typeof name !== 'string') {
    throw new GeoReadError(file, `its crs member is not {type: "name", properties: {name}}`);
  }
  if (/(^|:)CRS84$/i.test(name)) return WGS84;
  const m = /^(?:urn:ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d+)$/i.exec(name);
  if (!m) throw new GeoReadError(file, `its crs ${JSON.stringify(name)} names no EPSG code`);
  const epsg = Number(m[1]);
  return epsg === 4326 ? WGS84 : { epsg };
}
