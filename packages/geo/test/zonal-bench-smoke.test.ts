// The geo-zonal benchmark on a tiny raster (not timed): it runs, and where GDAL is here its
// baseline agrees with zonalStatistics zone by zone. Also the real pair of the shared data,
// elev.tif with lux.shp's cantons, read by our readers and compared with GDAL + numpy.
import { describe, expect, it } from 'vitest';
import { gdalAvailable, gdalZonal, runZonalBench } from '../../../bench/geo-zonal.js';
import { readGeoTiffFile, readShapefile, zonalStatistics } from '../src/index.js';
import { geoData, geoDataTitle, noGeoData } from './_data.js';

const withGdal = gdalAvailable();

describe('geo-zonal benchmark smoke test', () => {
  for (const polygons of ['random', 'lux'] as const) {
    it(`runs on 300 × 300 cells with ${polygons} polygons${withGdal ? ', agreeing with GDAL' : ''}`, async () => {
      const result = await runZonalBench({ size: 300, repeats: 1, polygons, gdal: withGdal });
      expect(result.rows.map((r) => r.rule)).toEqual(['centre-inside', 'all-touched']);
      for (const r of result.rows) {
        expect(r.weirSeconds).toBeGreaterThan(0);
        expect(r.cells).toBeGreaterThan(0);
        if (withGdal) {
          expect(r.sameCounts).toBe(result.zones);
          expect(r.maxMeanDiff).toBeLessThan(1e-9);
        }
      }
      expect(result.weirRssMB.peak).toBeGreaterThan(0);
    });
  }
});

describe.skipIf(noGeoData || !withGdal)(
  geoDataTitle(
    `elev.tif × lux.shp${withGdal ? '' : ' (skipped: GDAL Python bindings or numpy not installed)'}`,
  ),
  () => {
    it('zonal statistics of the 12 cantons equal GDAL + numpy, under both rules', async () => {
      const dem = await readGeoTiffFile(geoData('elev.tif'));
      const cantons = await readShapefile(geoData('lux.shp'));
      const zones = cantons.features.map((f, id) => ({ id, geometry: f.geometry }));
      for (const rule of ['centre-inside', 'all-touched'] as const) {
        const ours = zonalStatistics(dem, dem.transform, zones, { rule });
        const gdal = gdalZonal(geoData('elev.tif'), geoData('lux.shp'), rule, 1).stats;
        expect(ours.map((z) => [z.count, z.nodata])).toEqual(gdal.map((z) => [z.count, z.nodata]));
        ours.forEach((z, i) => {
          expect(z.mean).toBeCloseTo(gdal[i]!.mean!, 9);
        });
      }
    });
  },
);
