// Property: any small raster of any sample type, nodata and options, written as a COG, is a valid
// COG that GDAL reads back pixel for pixel, with GDAL's overview sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCog } from '../src/cog/index.js';
import { pyramidSizes } from '../src/cog/pyramid.js';
import { gdalCogTitle, gdalinfo, gdalPixels, noGdalForCog, validateCogFile } from './_gdal.js';
import { createArray, firstDifference, geoRaster, TYPES } from './cog-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-cog-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const raster = fc
  .record({
    type: fc.constantFrom(...TYPES),
    width: fc.integer({ min: 1, max: 70 }),
    height: fc.integer({ min: 1, max: 70 }),
    tileSize: fc.constantFrom(16, 32),
    compression: fc.constantFrom('deflate' as const, 'lzw' as const, 'none' as const),
    predictor: fc.boolean(),
    resampling: fc.constantFrom('average' as const, 'nearest' as const),
    nodataKind: fc.constantFrom('none', 'value', 'nan'),
    seed: fc.integer(),
  })
  .chain((r) =>
    fc.record({
      spec: fc.constant(r),
      // Raw random bytes: every bit pattern, NaNs, infinities and subnormals included.
      bytes: fc.uint8Array({
        minLength: r.width * r.height * 8,
        maxLength: r.width * r.height * 8,
      }),
    }),
  );

let serial = 0;

describe.skipIf(noGdalForCog)(
  gdalCogTitle('any small raster → COG → GDAL reads the same pixels (property)'),
  () => {
    it('holds for random rasters of random types and options', async () => {
      await fc.assert(
        fc.asyncProperty(raster, async ({ spec, bytes }) => {
          const { type, width, height, tileSize, compression, predictor, resampling } = spec;
          const values = createArray(type, width * height);
          new Uint8Array(values.buffer).set(bytes.subarray(0, values.byteLength));
          const float = type.startsWith('float');
          const nodata =
            spec.nodataKind === 'nan' && float
              ? Number.NaN
              : spec.nodataKind === 'none'
                ? undefined
                : values[0];
          const out = join(dir, `p${serial++}.tif`);
          await writeCog(geoRaster(values, width, height, { nodata }), out, {
            tileSize,
            compression,
            predictor,
            resampling,
          });
          const validation = validateCogFile(out);
          expect(validation.output).toContain('is a valid cloud optimized GeoTIFF');
          const read = gdalPixels(out, dir);
          expect(firstDifference(read.values, values)).toBe(-1);
          const overviews = (gdalinfo(out).bands[0]!.overviews ?? []).map((o) => o.size);
          expect(overviews).toEqual(
            pyramidSizes(width, height, tileSize, true)
              .slice(1)
              .map((s) => [s.width, s.height]),
          );
          rmSync(out);
        }),
        { numRuns: 30 },
      );
    }, 120_000);
  },
);
