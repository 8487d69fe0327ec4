/**
 * @module cog/write-raster
 * `writeCog`: an in-memory `GeoRaster` → a Cloud Optimized GeoTIFF, through the streaming writer
 * (its rows are handed over as views, not copied).
 */
import type { GeoRaster } from '../raster.js';
import { sampleInfo, sampleTypeOf } from './sample.js';
import type { CogOptions, CogResult, SampleArray } from './types.js';
import { writeCogFromTiles } from './write.js';

/** Writes `raster` as a COG at `path`; see `CogOptions` for the choices and their defaults. */
export async function writeCog(
  raster: GeoRaster,
  path: string,
  options: CogOptions = {},
): Promise<CogResult> {
  const { values, width, height } = raster;
  const type = sampleTypeOf(values);
  if (values.length !== width * height) {
    throw new RangeError(
      `values has ${values.length} samples, but width × height is ${width} × ${height}`,
    );
  }
  return writeCogFromTiles(
    {
      width,
      height,
      type,
      nodata: raster.nodata,
      transform: raster.transform,
      crs: raster.crs,
      rasterType: raster.rasterType,
      readWindow: (col, row, w, h) => window(values, width, col, row, w, h),
    },
    path,
    options,
  );
}

function window(
  values: SampleArray,
  width: number,
  col: number,
  row: number,
  w: number,
  h: number,
): SampleArray {
  if (col === 0 && w === width) return values.subarray(row * width, (row + h) * width);
  const copy = sampleInfo(sampleTypeOf(values)).create(w * h);
  for (let r = 0; r < h; r++) {
    copy.set(values.subarray((row + r) * width + col, (row + r) * width + col + w), r * w);
  }
  return copy;
}
