// The COG writer on the real data (SRTM N10W110.hgt, pysheds' dem.tif, elev.tif), checked by
// GDAL: its validator, its checksums, its georeferencing bit for bit, and every pixel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCog } from '../src/cog/index.js';
import { geoData, noGeoData } from './_data.js';
import {
  gdalCogTitle,
  gdalFacts,
  gdalinfo,
  gdalPixels,
  gdalQuiet,
  noGdalForCog,
  validateCogFile,
} from './_gdal.js';
import { firstDifference, rasterFromGdal } from './cog-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-cog-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = [
  {
    file: 'N10W110.hgt',
    tileSize: 512,
    note: '1201² int16, PixelIsPoint, EPSG:4326, nodata -32768',
  },
  { file: 'pysheds/dem.tif', tileSize: 128, note: '367 × 359 int16, nodata -32768' },
  {
    file: 'elev.tif',
    tileSize: 16,
    note: '95 × 90 int16, LZW source; 16-pixel tiles force 3 overviews',
  },
] as const;

describe.skipIf(noGdalForCog || noGeoData)(
  gdalCogTitle('writeCog on the real data, checked by GDAL'),
  () => {
    for (const { file, tileSize, note } of CASES) {
      it(`${file} (${note})`, async () => {
        const source = geoData(file);
        const raster = rasterFromGdal(source, dir);
        const out = join(dir, `${file.replace('/', '-')}.cog.tif`);
        const written = await writeCog(raster, out, { tileSize });

        const validation = validateCogFile(out);
        expect(validation.output).toContain('is a valid cloud optimized GeoTIFF');
        expect(validation.valid).toBe(true);

        const ours = gdalinfo(out, { checksum: true }).bands[0]!;
        const theirs = gdalinfo(source, { checksum: true }).bands[0]!;
        expect(ours.checksum).toBe(theirs.checksum);
        expect(ours.block).toEqual([tileSize, tileSize]);

        const ref = join(dir, `${file.replace('/', '-')}.gdal.tif`);
        gdalQuiet('gdal_translate', [
          '-q',
          '-of',
          'COG',
          '-co',
          `BLOCKSIZE=${tileSize}`,
          source,
          ref,
        ]);
        const gdalOverviews = gdalinfo(ref).bands[0]!.overviews ?? [];
        expect((ours.overviews ?? []).map((o) => o.size)).toEqual(gdalOverviews.map((o) => o.size));
        expect(written.levels.slice(1).map((l) => [l.width, l.height])).toEqual(
          gdalOverviews.map((o) => o.size),
        );

        const factsOut = gdalFacts(out);
        const factsIn = gdalFacts(source);
        expect(factsOut.geoTransform).toEqual(factsIn.geoTransform);
        expect(factsOut.nodata).toBe(factsIn.nodata);
        expect(factsOut.epsg).toBe(factsIn.epsg);
        expect(factsOut.areaOrPoint ?? 'Area').toBe(factsIn.areaOrPoint ?? 'Area');
        expect(factsOut.type).toBe(factsIn.type);

        expect(firstDifference(gdalPixels(out, dir).values, raster.values)).toBe(-1);
      });
    }

    it('the SRTM tile keeps PixelIsPoint: GDAL reads the origin back bit for bit, and the tiepoint is the cell centre GDAL writes', async () => {
      const source = geoData('N10W110.hgt');
      const raster = rasterFromGdal(source, dir);
      expect(raster.rasterType).toBe('point');
      const out = join(dir, 'srtm-point.tif');
      await writeCog(raster, out);
      const ref = join(dir, 'srtm-point.gdal.tif');
      gdalQuiet('gdal_translate', ['-q', '-of', 'COG', source, ref]);
      expect(gdalFacts(out).geoTransform).toEqual(gdalFacts(ref).geoTransform);
      expect(gdalFacts(out).areaOrPoint).toBe('Point');
      // With GTIFF_POINT_GEO_IGNORE, GDAL reports the tiepoint as stored: the centre of the first
      // cell, (-110, 11) exactly, as in GDAL's own COG of the tile.
      const tie = (path: string) =>
        gdalQuiet('gdalinfo', ['--config', 'GTIFF_POINT_GEO_IGNORE', 'TRUE', path]).match(
          /Origin = \(([^)]*)\)/,
        )?.[1];
      expect(tie(out)).toBe('-110.000000000000000,11.000000000000000');
      expect(tie(out)).toBe(tie(ref));
    });
  },
);
