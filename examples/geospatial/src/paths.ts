/**
 * Where the example's inputs are: `inputs/`, filled by `bin/setup.mjs` from the shared data
 * set. Relative to the project folder, which `weir` makes the working directory.
 */
import { staticPartitions } from 'weir';

export const INPUTS = 'inputs';

/** The elevation models, one partition each, with the file each is read from. */
export const DEM_FILES = {
  lux: `${INPUTS}/elev.tif`,
  pysheds: `${INPUTS}/pysheds/dem.tif`,
  n10w110: `${INPUTS}/N10W110.hgt`,
} as const;

export type DemKey = keyof typeof DEM_FILES;

/** One partition per elevation model: a changed DEM recomputes only its own partitions. */
export const dems = staticPartitions(Object.keys(DEM_FILES));

/**
 * What every published raster step shares: a COG per DEM, written by the step itself, memory-
 * heavy (the tag routes it to a high-memory pool on a cluster; the pool bounds it here).
 */
export const RASTER_STEP = {
  group: 'terrain',
  kinds: ['raster', 'cog'],
  tags: { resources: 'highmem' },
  pool: 'highmem',
  partitions: dems,
  io: 'files',
} as const;

/** The DEMs whose drainage is worth delineating (the SRTM tile is ocean around an atoll). */
export const hydroDems = staticPartitions(['lux', 'pysheds']);

/** The DEM the cantons of Luxembourg lie on: the zonal features of the cantons read only it. */
export const cantonDems = staticPartitions(['lux']);

/** The canton polygons: a shapefile and its sidecar files. */
export const CANTON_FILES = ['lux.shp', 'lux.shx', 'lux.dbf', 'lux.prj'].map(
  (f) => `${INPUTS}/${f}`,
);

export function demFileOf(key: string): string {
  const file = DEM_FILES[key as DemKey];
  if (file === undefined) throw new Error(`no DEM file for partition '${key}'`);
  return file;
}
