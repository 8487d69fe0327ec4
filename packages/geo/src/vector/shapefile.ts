/**
 * @module vector/shapefile
 * `readShapefile`: a polygon shapefile (`.shp` with its `.dbf` attributes and `.prj` CRS) as a
 * `PolygonLayer`. Its own small reader rather than the npm package `shapefile` (unmaintained since
 * 2017, streaming, and built on deprecated text-encoding): polygons only, which is what zonal
 * statistics takes.
 */
import { readFile } from 'node:fs/promises';
import { GeoReadError, messageOf } from '../read/error.js';
import { readDbf } from './dbf.js';
import { readShpRecords } from './shp.js';
import type { PolygonFeature, PolygonLayer, ReadVectorOptions, SkippedFeature } from './types.js';
import { crsFromWkt } from './wkt.js';

/** The files of one shapefile, as bytes (`.dbf`, `.prj`, `.cpg` optional). */
export interface ShapefileParts {
  readonly shp: Uint8Array;
  readonly dbf?: Uint8Array;
  /** The `.prj` WKT. */
  readonly prj?: string;
  /** The `.cpg` encoding name. */
  readonly cpg?: string;
}

/**
 * The shapefile at `path` (`lux.shp`, or `lux` without the extension); the `.dbf`, `.prj` and
 * `.cpg` beside it are read when present. Features keep the record order; `id` is the record's
 * 0-based index.
 */
export async function readShapefile(
  path: string,
  options: ReadVectorOptions = {},
): Promise<PolygonLayer> {
  const base = path.replace(/\.shp$/i, '');
  const shpPath = `${base}${path.endsWith('.SHP') ? '.SHP' : '.shp'}`;
  const [shp, dbf, prj, cpg] = await Promise.all([
    readFile(shpPath).catch((error: unknown) => {
      throw new GeoReadError(shpPath, `cannot be read (${messageOf(error)})`, { cause: error });
    }),
    optional(base, ['.dbf', '.DBF']),
    optional(base, ['.prj', '.PRJ']),
    optional(base, ['.cpg', '.CPG']),
  ]);
  return parseShapefile(
    {
      shp,
      ...(dbf ? { dbf } : {}),
      ...(prj ? { prj: new TextDecoder().decode(prj) } : {}),
      ...(cpg ? { cpg: new TextDecoder().decode(cpg) } : {}),
    },
    shpPath,
    options,
  );
}

/** `readShapefile` of files already in memory; `name` is what errors call the `.shp`. */
export function parseShapefile(
  parts: ShapefileParts,
  name: string,
  options: ReadVectorOptions = {},
): PolygonLayer {
  const shapes = readShpRecords(parts.shp, name);
  const dbfName = name.replace(/\.shp$/i, '.dbf');
  const table = parts.dbf ? readDbf(parts.dbf, dbfName, parts.cpg) : undefined;
  if (table && table.records.length !== shapes.length) {
    throw new GeoReadError(
      dbfName,
      `has ${table.records.length} records but the .shp has ${shapes.length} shapes`,
    );
  }
  const features: PolygonFeature[] = [];
  const skipped: SkippedFeature[] = [];
  shapes.forEach((shape, index) => {
    const properties = table ? table.records[index] : {};
    if (properties === null) return; // deleted in the .dbf: not a feature (as GDAL reads it)
    if (shape.geometry === null) {
      if (options.nonPolygon !== 'skip') {
        throw new GeoReadError(
          name,
          `record ${index} is ${shape.reason}; only polygons are read (pass nonPolygon: 'skip' to leave such records out)`,
        );
      }
      skipped.push({ index, id: index, reason: shape.reason });
      return;
    }
    features.push({ id: index, properties: properties ?? {}, geometry: shape.geometry });
  });
  return {
    features,
    ...(parts.prj?.trim() ? { crs: crsFromWkt(parts.prj) } : {}),
    skipped,
  };
}

async function optional(base: string, extensions: readonly string[]): Promise<Buffer | undefined> {
  for (const ext of extensions) {
    try {
      return await readFile(`${base}${ext}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new GeoReadError(`${base}${ext}`, `cannot be read (${messageOf(error)})`, {
          cause: error,
        });
      }
    }
  }
  return undefined;
}
