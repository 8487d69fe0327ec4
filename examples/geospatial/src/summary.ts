/** What a raster step records about its output: size, CRS, nodata share and value range. */
import { type GeoRaster, hasData } from '@weir/geo';

export type RasterSummary = {
  width: number;
  height: number;
  epsg: number | null;
  nodataFraction: number;
  min: number | null;
  max: number | null;
  mean: number | null;
};

export function rasterSummary(raster: GeoRaster): RasterSummary {
  const n = raster.values.length;
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!hasData(raster, i)) continue;
    const v = raster.values[i]!;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    width: raster.width,
    height: raster.height,
    epsg: raster.crs?.epsg ?? null,
    nodataFraction: n === 0 ? 0 : round((n - count) / n),
    min: count === 0 ? null : min,
    max: count === 0 ? null : max,
    mean: count === 0 ? null : round(sum / count),
  };
}
