// Our overviews against GDAL's COG driver with OVERVIEW_RESAMPLING=NEAREST / AVERAGE on the same
// source: equal pixel for pixel wherever GDAL computes in the source's type, and otherwise
// different only in the documented ways (GDAL 3.6 takes int32 and float64 overviews through
// float32, sums float32 in float32, and lets an integer mean round onto nodata).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCog } from '../src/cog/index.js';
import { gdalCogTitle, gdalPixels, gdalQuiet, noGdalForCog } from './_gdal.js';
import {
  firstDifference,
  geoRaster,
  synthetic,
  type TestArray,
  type TestType,
  TYPES,
  writeRawSource,
} from './cog-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-cog-overviews-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Our overview `level` and GDAL's, for one source and method. */
async function overviews(
  type: TestType,
  width: number,
  height: number,
  nodata: number | undefined,
  method: 'nearest' | 'average',
): Promise<Array<{ ours: TestArray; gdal: TestArray }>> {
  const name = `${type}-${width}x${height}-${String(nodata)}-${method}`;
  const values = synthetic(type, width, height, width * 7 + height, nodata);
  const source = writeRawSource(dir, name, type, { width, height, values, nodata });
  const ref = join(dir, `${name}-gdal.tif`);
  gdalQuiet('gdal_translate', [
    '-q',
    '-of',
    'COG',
    '-co',
    'BLOCKSIZE=16',
    '-co',
    `OVERVIEW_RESAMPLING=${method.toUpperCase()}`,
    source,
    ref,
  ]);
  const out = join(dir, `${name}.tif`);
  const written = await writeCog(geoRaster(values, width, height, { nodata }), out, {
    tileSize: 16,
    resampling: method,
  });
  return written.levels.slice(1).map((_, i) => ({
    ours: gdalPixels(out, dir, i).values,
    gdal: gdalPixels(ref, dir, i).values,
  }));
}

const SIZES = [
  [100, 64],
  [97, 45],
] as const;

describe.skipIf(noGdalForCog)(gdalCogTitle('overviews against GDAL 3.6'), () => {
  for (const [width, height] of SIZES) {
    for (const type of TYPES) {
      const float = type.startsWith('float');
      for (const nodata of [undefined, float ? Number.NaN : 7]) {
        const label = `${type} ${width} × ${height}, nodata ${String(nodata)}`;

        it(`nearest, ${label}`, async () => {
          for (const { ours, gdal } of await overviews(type, width, height, nodata, 'nearest')) {
            if (type === 'int32' || type === 'float64') {
              // GDAL 3.6 resamples these through float32: its pixels are ours rounded to float32,
              // and for int32 back with GDAL's float rounding (±0.5 added in float32, truncated).
              const toInt32 = (v: number) => {
                const f = Math.fround(v);
                return Math.max(
                  -2147483648,
                  Math.min(2147483647, Math.trunc(Math.fround(f > 0 ? f + 0.5 : f - 0.5))),
                );
              };
              for (let i = 0; i < ours.length; i++) {
                const expected = type === 'int32' ? toInt32(ours[i]!) : Math.fround(ours[i]!);
                if (Number.isNaN(expected)) expect(gdal[i]).toBeNaN();
                else expect(gdal[i]).toBe(expected);
              }
            } else {
              expect(firstDifference(ours, gdal)).toBe(-1);
            }
          }
        });

        it(`average, ${label}`, async () => {
          const levels = await overviews(type, width, height, nodata, 'average');
          const exact =
            type === 'uint8' ||
            type === 'uint16' ||
            (type === 'int16' && nodata === undefined) ||
            (type === 'float32' && nodata !== undefined);
          for (const [level, { ours, gdal }] of levels.entries()) {
            if (exact) {
              expect(firstDifference(ours, gdal)).toBe(-1);
            } else if (type === 'float32') {
              // GDAL's SSE2 path sums the four cells in float32; ours is the rounded exact mean. The
              // cells span ±1e6, so float32 sums are off by up to a few ulps of 2^20.
              for (let i = 0; i < ours.length; i++) {
                expect(Math.abs(ours[i]! - gdal[i]!)).toBeLessThanOrEqual(2 ** 20 * 2 ** -23 * 2);
              }
            } else if (type === 'int16') {
              // A mean that rounds to nodata stays data here (nodata + 1) but becomes nodata in GDAL,
              // which then leaves it out of the next level: compare the first level only.
              if (level > 0) continue;
              for (let i = 0; i < ours.length; i++) {
                if (ours[i] !== gdal[i]) expect([ours[i], gdal[i]]).toEqual([nodata! + 1, nodata]);
              }
            } else if (level === 0) {
              // int32 and float64: GDAL's float32 working type, within float32's precision.
              for (let i = 0; i < ours.length; i++) {
                // (The same mean-onto-nodata difference as int16 aside.)
                if (Number.isNaN(ours[i]!)) expect(gdal[i]).toBeNaN();
                else if (nodata === undefined || ours[i] !== nodata + 1 || gdal[i] !== nodata) {
                  expect(Math.abs(ours[i]! - gdal[i]!)).toBeLessThanOrEqual(2 ** 31 * 2 ** -23 + 1);
                }
              }
            }
          }
        });
      }
    }
  }
});
