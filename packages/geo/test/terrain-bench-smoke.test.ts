// The geo-terrain benchmark on a tiny raster (not timed): it runs, ours in this process, and where
// gdaldem is here its outputs agree with ours cell for cell.
import { describe, expect, it } from 'vitest';
import { gdaldemAvailable, runTerrainBench } from '../../../bench/geo-terrain.js';

const withGdal = gdaldemAvailable();

describe('geo-terrain benchmark smoke test', () => {
  it(`derives slope and hillshade of a 64 × 64 synthetic terrain strip by strip${withGdal ? ', as gdaldem does' : ''}`, () => {
    const result = runTerrainBench({
      size: 64,
      repeats: 1,
      strip: 5,
      srtm: false,
      gdal: withGdal,
      isolate: false,
    });
    expect(result.rows.map((r) => [r.raster, r.product])).toEqual([
      ['synthetic 64²', 'slope'],
      ['synthetic 64²', 'hillshade'],
    ]);
    for (const r of result.rows) {
      expect(r.cells).toBe(64 * 64);
      expect(r.ours.seconds).toBeGreaterThan(0);
      expect(r.oursJobSeconds).toBeGreaterThan(0);
      if (withGdal) {
        expect(r.gdal!.seconds).toBeGreaterThan(0);
        if (r.product === 'slope') expect(r.unequal).toBe(0);
        expect(r.largest).toBeLessThanOrEqual(1);
      }
    }
  });
});
