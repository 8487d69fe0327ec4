// The real rasters of the shared data (elev.tif, pysheds/dem.tif, N10W110.hgt) read as GDAL reads
// them: geotransform to the last bit, size, nodata, CRS, and every pixel.
import { describe, expect, it } from 'vitest';
import { type GeoRaster, readGeoTiffFile, readHgtFile, toGdalGeoTransform } from '../src/index.js';
import { geoData, geoDataTitle, noGeoData } from './_data.js';
import { gdalFacts, gdalReadTitle, noGdalForReading } from './_gdal.js';
import { bytesOf, gdalPixels } from './read-fixtures.js';

function expectLikeGdal(path: string, r: GeoRaster): void {
  const facts = gdalFacts(path);
  expect(toGdalGeoTransform(r.transform)).toEqual(facts.geoTransform);
  expect([r.width, r.height]).toEqual(facts.size);
  expect(r.nodata).toBe(Number(facts.nodata));
  expect(r.crs?.epsg).toBe(facts.epsg);
  expect(r.crs?.geographic).toBe(facts.geographic);
  expect(r.rasterType).toBe(facts.areaOrPoint === 'Point' ? 'point' : 'area');
  expect(bytesOf(r.values).equals(gdalPixels(path))).toBe(true);
}

function range(r: GeoRaster): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of r.values) {
    if (v === r.nodata) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [min, max];
}

describe.skipIf(noGeoData || noGdalForReading)(
  gdalReadTitle(geoDataTitle('real rasters read as GDAL reads them')),
  () => {
    it('elev.tif: 95 × 90 Int16, LZW strips, EPSG:4326', async () => {
      const path = geoData('elev.tif');
      const r = await readGeoTiffFile(path);
      expect(r.sampleType).toBe('int16');
      expect(toGdalGeoTransform(r.transform)).toEqual([
        5.741666666666666, 0.008333333333333337, 0, 50.19166666666666, 0, -0.008333333333333333,
      ]);
      expect(r.crs).toEqual({ epsg: 4326, geographic: true });
      expect(range(r)).toEqual([141, 547]);
      expectLikeGdal(path, r);
    });

    it('pysheds/dem.tif: 367 × 359 Int16, 16 × 16 tiles', async () => {
      const path = geoData('pysheds/dem.tif');
      const r = await readGeoTiffFile(path);
      expect([r.width, r.height, r.nodata]).toEqual([367, 359, -32768]);
      expectLikeGdal(path, r);
    });

    it('N10W110.hgt: PixelIsPoint, the transform GDAL reports', async () => {
      const path = geoData('N10W110.hgt');
      const r = await readHgtFile(path);
      expect(toGdalGeoTransform(r.transform)).toEqual([
        -110.00041666666667, 0.0008333333333333334, 0, 11.000416666666666, 0,
        -0.0008333333333333334,
      ]);
      expect(r.crs).toEqual({ epsg: 4326, geographic: true });
      expect(r.rasterType).toBe('point');
      expectLikeGdal(path, r);
    });
  },
);
