/**
 * Zonal features as a Parquet table: one row per zone, the statistics of elevation and slope
 * over its cells (centre inside, nodata left out), for a model to train on or an analyst to
 * open in QGIS, pandas or DuckDB.
 */
import {
  type GeoRaster,
  type PolygonalGeometry,
  readGeoTiffFile,
  type ZonalResult,
  zonalStatistics,
} from '@weir/geo';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';

export interface ZoneInput {
  id: string;
  name: string;
  geometry: PolygonalGeometry;
}

/** The Parquet bytes of the features of `zones` over a DEM and its slope (both COG paths). */
export async function zoneFeatures(
  zones: readonly ZoneInput[],
  demPath: string,
  slopePath: string,
): Promise<{ parquet: Uint8Array; rows: number }> {
  const [dem, slope] = await Promise.all([readGeoTiffFile(demPath), readGeoTiffFile(slopePath)]);
  const elevation = statsOver(dem, zones);
  const slopes = statsOver(slope, zones);
  const column = (stats: ZonalResult[], field: 'min' | 'max' | 'mean' | 'std' | 'sampleStd') =>
    Float64Array.from(stats, (s) => s[field]);
  const table = tableFromArrays({
    zone_id: zones.map((z) => z.id),
    name: zones.map((z) => z.name),
    cells: Int32Array.from(elevation, (s) => s.count),
    nodata_cells: Int32Array.from(elevation, (s) => s.nodata),
    elevation_min: column(elevation, 'min'),
    elevation_max: column(elevation, 'max'),
    elevation_mean: column(elevation, 'mean'),
    elevation_std: column(elevation, 'std'),
    elevation_sample_std: column(elevation, 'sampleStd'),
    slope_mean: column(slopes, 'mean'),
    slope_max: column(slopes, 'max'),
    slope_std: column(slopes, 'std'),
  });
  const parquet = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')));
  return { parquet, rows: zones.length };
}

function statsOver(raster: GeoRaster, zones: readonly ZoneInput[]): ZonalResult[] {
  return zonalStatistics(
    raster,
    raster.transform,
    zones.map((z) => ({ id: z.id, geometry: z.geometry })),
    { rule: 'centre-inside' },
  ) as ZonalResult[];
}
