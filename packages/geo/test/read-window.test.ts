// Reading a window of a GeoTIFF: what GDAL reads with gdal_translate -srcwin (transform to the
// last bit, every pixel), and a property: any window equals the same slice of the full read.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeoTiffRaster,
  type PixelWindow,
  readGeoTiffFile,
  toGdalGeoTransform,
} from '../src/index.js';
import { gdalFacts, gdalReadTitle, noGdalForReading } from './_gdal.js';
import {
  bytesOf,
  gdalPixels,
  sampleValues,
  tempDir,
  translate,
  writeEnvi,
} from './read-fixtures.js';

const W = 53;
const H = 41;

describe.skipIf(noGdalForReading)(gdalReadTitle('readGeoTiff windows'), () => {
  let tmp: ReturnType<typeof tempDir>;
  const files: Record<string, string> = {};
  beforeAll(() => {
    tmp = tempDir();
    const src = writeEnvi(tmp.dir, 'src', 'float32', W, H, [sampleValues('float32', W * H)]);
    const geo = [
      '-a_srs',
      'EPSG:32633',
      '-a_ullr',
      '300000',
      '5100000',
      String(300000 + 25 * W),
      String(5100000 - 25 * H),
    ];
    files.tiled = translate(src, join(tmp.dir, 'tiled.tif'), [
      ...geo,
      ...['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=16', '-co', 'BLOCKYSIZE=16'],
      ...['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=3'],
    ]);
    files.striped = translate(src, join(tmp.dir, 'striped.tif'), [
      ...geo,
      ...['-co', 'BLOCKYSIZE=3', '-co', 'COMPRESS=LZW', '-mo', 'AREA_OR_POINT=Point'],
    ]);
  });
  afterAll(() => tmp?.remove());

  const windows: PixelWindow[] = [
    { col: 0, row: 0, width: W, height: H },
    { col: 0, row: 0, width: 1, height: 1 },
    { col: W - 1, row: H - 1, width: 1, height: 1 },
    { col: 15, row: 15, width: 2, height: 2 },
    { col: 7, row: 30, width: 40, height: 11 },
    { col: 16, row: 0, width: 16, height: H },
  ];

  for (const layout of ['tiled', 'striped']) {
    it(`${layout}: windows equal gdal_translate -srcwin`, async () => {
      const tif = files[layout]!;
      for (const w of windows) {
        const r = await readGeoTiffFile(tif, { window: w });
        const cut = translate(tif, join(tmp.dir, `cut-${layout}.tif`), [
          ...['-srcwin', String(w.col), String(w.row), String(w.width), String(w.height)],
        ]);
        const facts = gdalFacts(cut);
        expect(toGdalGeoTransform(r.transform)).toEqual(facts.geoTransform);
        expect([r.width, r.height]).toEqual(facts.size);
        expect(bytesOf(r.values).equals(gdalPixels(tif, { window: w }))).toBe(true);
      }
    });
  }

  it('any window equals the same slice of the full read (property)', async () => {
    const full: Record<string, GeoTiffRaster> = {
      tiled: await readGeoTiffFile(files.tiled!),
      striped: await readGeoTiffFile(files.striped!),
    };
    const window = fc.record({ col: fc.nat(W - 1), row: fc.nat(H - 1) }).chain(({ col, row }) =>
      fc.record({
        col: fc.constant(col),
        row: fc.constant(row),
        width: fc.integer({ min: 1, max: W - col }),
        height: fc.integer({ min: 1, max: H - row }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('tiled', 'striped'), window, async (layout, w) => {
        const whole = full[layout]!;
        const part = await readGeoTiffFile(files[layout]!, { window: w });
        const expected = new Float32Array(w.width * w.height);
        for (let r = 0; r < w.height; r++) {
          const start = (w.row + r) * W + w.col;
          expected.set(whole.values.subarray(start, start + w.width), r * w.width);
        }
        expect(bytesOf(part.values).equals(bytesOf(expected))).toBe(true);
        expect(part.transform).toEqual({
          originX: whole.transform.originX + w.col * whole.transform.pixelWidth,
          originY: whole.transform.originY + w.row * whole.transform.pixelHeight,
          pixelWidth: whole.transform.pixelWidth,
          pixelHeight: whole.transform.pixelHeight,
        });
        expect(part.cellSize).toEqual(whole.cellSize);
        expect(part.nodata).toEqual(whole.nodata);
        expect(part.rasterType).toBe(whole.rasterType);
      }),
      { numRuns: 200 },
    );
  });
});
