import { describe, expect, it } from 'vitest';
import { benchCog, report, TOOLS } from '../../../bench/geo-cog.js';
import { noGeoData } from './_data.js';
import { gdalCogTitle, noGdalForCog } from './_gdal.js';

describe.skipIf(noGdalForCog || noGeoData)(gdalCogTitle('geo-cog benchmark smoke test'), () => {
  it('writes the SRTM tile and a 300² mosaic with GDAL and with ours, and a 300 × 1200 one (not timed)', async () => {
    const { results, memory } = await benchCog({ size: 300, repeats: 1, tall: 4 });
    expect(results.map((r) => [r.input.name, r.input.width])).toEqual([
      ['SRTM N10W110', 1201],
      ['mosaic 300²', 300],
    ]);
    for (const result of results) {
      expect(result.validation).toBe('is a valid cloud optimized GeoTIFF');
      for (const tool of TOOLS) expect(result.runs[tool][0]!.bytes).toBeGreaterThan(1000);
    }
    expect(memory?.input.name).toBe('mosaic 300 × 1,200');
    expect(memory?.validation).toBe('is a valid cloud optimized GeoTIFF');
    const text = report(results, 1, memory);
    expect(text).toContain('mosaic 300² ours-1-thread');
    expect(text).toContain('streaming memory: ours on mosaic 300 × 1,200 (1 MB raster');
  }, 60_000);
});
