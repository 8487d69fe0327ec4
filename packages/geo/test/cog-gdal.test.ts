// Synthetic rasters of every sample type, size, nodata, compression and predictor, written by
// writeCog and checked by GDAL: its COG validator, its checksums against the source read by GDAL
// from the raw samples, its overview sizes against its own COG driver's, the georeferencing and nodata
// bit for bit, and every pixel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CogOptions, writeCog } from '../src/cog/index.js';
import {
  gdalCogTitle,
  gdalFacts,
  gdalinfo,
  gdalPixels,
  gdalQuiet,
  noGdalForCog,
  validateCogFile,
} from './_gdal.js';
import {
  firstDifference,
  geoRaster,
  synthetic,
  type TestType,
  TYPES,
  writeRawSource,
} from './cog-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-cog-gdal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;

interface Case {
  type: TestType;
  width: number;
  height: number;
  nodata?: number;
  options?: CogOptions;
}

/** Writes the case and checks everything GDAL can tell about it. */
async function check({ type, width, height, nodata, options = {} }: Case): Promise<string> {
  const name = `c${serial++}-${type}`;
  const values = synthetic(type, width, height, serial * 31 + width, nodata);
  const out = join(dir, `${name}.tif`);
  const transform = {
    originX: 483_520.5,
    originY: 5_210_004.25,
    pixelWidth: 12.5,
    pixelHeight: -7.25,
  };
  const written = await writeCog(
    geoRaster(values, width, height, { nodata, transform }),
    out,
    options,
  );

  const validation = validateCogFile(out);
  expect(validation.output).toContain('is a valid cloud optimized GeoTIFF');

  const source = writeRawSource(dir, `${name}-src`, type, { width, height, values, nodata });
  const ours = gdalinfo(out, { checksum: true }).bands[0]!;
  expect(ours.checksum).toBe(gdalinfo(source, { checksum: true }).bands[0]!.checksum);
  const tileSize = options.tileSize ?? 512;
  expect(ours.block).toEqual([tileSize, tileSize]);

  const ref = join(dir, `${name}-gdal.tif`);
  gdalQuiet('gdal_translate', ['-q', '-of', 'COG', '-co', `BLOCKSIZE=${tileSize}`, source, ref]);
  const theirs = (gdalinfo(ref).bands[0]!.overviews ?? []).map((o) => o.size);
  expect((ours.overviews ?? []).map((o) => o.size)).toEqual(theirs);
  expect(written.levels.length).toBe(theirs.length + 1);

  const facts = gdalFacts(out);
  expect(facts.geoTransform).toEqual([transform.originX, 12.5, 0, transform.originY, 0, -7.25]);
  expect(facts.epsg).toBe(32632);
  expect(facts.geographic).toBe(false);
  expect(facts.nodata).toBe(
    nodata === undefined ? null : Number.isNaN(nodata) ? 'nan' : String(nodata.toFixed(1)),
  );
  expect(facts.type.toLowerCase()).toBe(type === 'uint8' ? 'byte' : type);

  const read = gdalPixels(out, dir);
  expect([read.width, read.height, read.type]).toEqual([width, height, type]);
  expect(firstDifference(read.values, values)).toBe(-1);
  return validation.output;
}

const NODATA: Record<TestType, number> = {
  uint8: 255,
  int16: -32768,
  uint16: 0,
  int32: -2147483648,
  float32: -9999,
  float64: -3.4e38,
};

describe.skipIf(noGdalForCog)(
  gdalCogTitle('writeCog, every type and option, checked by GDAL'),
  () => {
    for (const type of TYPES) {
      describe(type, () => {
        it('1 × 1, 16-pixel tiles', async () => {
          await check({ type, width: 1, height: 1, options: { tileSize: 16 } });
        });
        it('700 × 300 (not a multiple of the 512 tile; one overview), nodata', async () => {
          await check({ type, width: 700, height: 300, nodata: NODATA[type] });
        });
        it('100 × 37 with 16-pixel tiles: overviews down to 12 × 4', async () => {
          await check({ type, width: 100, height: 37, options: { tileSize: 16 } });
        });
        for (const compression of ['deflate', 'lzw', 'none'] as const) {
          for (const predictor of [true, false]) {
            it(`${compression}, predictor ${predictor ? 'on' : 'off'}, 150 × 90 in 32-pixel tiles`, async () => {
              await check({
                type,
                width: 150,
                height: 90,
                nodata: type.startsWith('float') ? Number.NaN : NODATA[type],
                options: {
                  tileSize: 32,
                  compression,
                  predictor,
                  level: compression === 'deflate' ? 9 : undefined,
                },
              });
            });
          }
        }
        if (type.startsWith('float')) {
          it('NaN as nodata, nearest overviews, synchronous DEFLATE', async () => {
            await check({
              type,
              width: 70,
              height: 70,
              nodata: Number.NaN,
              options: { tileSize: 16, resampling: 'nearest', concurrency: 1, level: 1 },
            });
          });
        }
      });
    }

    it('BigTIFF when asked: the same layout with 8-byte offsets, still a valid COG', async () => {
      const output = await check({
        type: 'int16',
        width: 300,
        height: 200,
        nodata: -1,
        options: { tileSize: 64, bigTiff: 'always' },
      });
      expect(output).toContain('valid cloud optimized');
    });
  },
);
