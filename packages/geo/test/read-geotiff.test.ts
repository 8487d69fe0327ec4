// readGeoTiff against GDAL: small GeoTIFFs made by gdal_translate in every sample type, layout and
// compression, compared with what GDAL reads from them (geotransform to the last bit, size,
// nodata, EPSG, and every pixel through gdal_translate -of ENVI).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeoTiffRaster, readGeoTiffFile, toGdalGeoTransform } from '../src/index.js';
import { gdalFacts, gdalReadTitle, noGdalForReading } from './_gdal.js';
import {
  bytesOf,
  GDAL_TYPE,
  gdalPixels,
  sampleValues,
  TYPES,
  tempDir,
  translate,
  writeEnvi,
} from './read-fixtures.js';

const ARRAYS = {
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;
const W = 37;
const H = 23;
const LAYOUTS: Record<string, (float: boolean) => string[]> = {
  'striped, uncompressed': () => ['-co', 'BLOCKYSIZE=5'],
  'striped, LZW, horizontal predictor': (float) => [
    '-co',
    'BLOCKYSIZE=4',
    '-co',
    'COMPRESS=LZW',
    '-co',
    `PREDICTOR=${float ? 3 : 2}`,
  ],
  'tiled 16 × 16, DEFLATE, predictor': (float) => [
    '-co',
    'TILED=YES',
    '-co',
    'BLOCKXSIZE=16',
    '-co',
    'BLOCKYSIZE=16',
    '-co',
    'COMPRESS=DEFLATE',
    '-co',
    `PREDICTOR=${float ? 3 : 2}`,
  ],
  'tiled 32 × 16, PackBits': () => [
    '-co',
    'TILED=YES',
    '-co',
    'BLOCKXSIZE=32',
    '-co',
    'BLOCKYSIZE=16',
    '-co',
    'COMPRESS=PACKBITS',
  ],
  'striped, DEFLATE, no predictor': () => ['-co', 'COMPRESS=DEFLATE'],
};

const skip = noGdalForReading;
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  if (!skip) tmp = tempDir();
});
afterAll(() => tmp?.remove());

/** Expects our read of `path` to equal GDAL's: georeferencing, nodata, CRS and every pixel. */
function expectLikeGdal(path: string, r: GeoTiffRaster, band = 1): void {
  const facts = gdalFacts(path);
  expect([r.width, r.height]).toEqual(facts.size);
  expect(toGdalGeoTransform(r.transform)).toEqual(facts.geoTransform);
  expect(r.cellSize).toEqual({
    x: Math.abs(facts.geoTransform![1]!),
    y: Math.abs(facts.geoTransform![5]!),
  });
  if (facts.nodata === null) expect(r.nodata).toBeUndefined();
  else expect(r.nodata).toBe(Number(facts.nodata));
  expect(r.crs?.epsg ?? null).toBe(facts.epsg);
  expect(r.crs?.geographic ?? false).toBe(facts.geographic);
  expect(r.rasterType).toBe(facts.areaOrPoint === 'Point' ? 'point' : 'area');
  expect(bytesOf(r.values).equals(gdalPixels(path, { band }))).toBe(true);
}

describe.skipIf(skip)(
  gdalReadTitle('readGeoTiff: every sample type, layout and compression'),
  () => {
    for (const type of TYPES) {
      const float = type.startsWith('float');
      for (const [layout, options] of Object.entries(LAYOUTS)) {
        it(`${type}, ${layout}`, async () => {
          const src = writeEnvi(tmp.dir, `${type}-src`, type, W, H, [sampleValues(type, W * H)]);
          const tif = translate(src, join(tmp.dir, `${type}-${layout.replace(/\W+/g, '-')}.tif`), [
            '-a_srs',
            'EPSG:32631',
            '-a_ullr',
            '500000',
            '5600000',
            String(500000 + 30 * W),
            String(5600000 - 30 * H),
            ...options(float),
          ]);
          const r = await readGeoTiffFile(tif);
          expect(r.sampleType).toBe(type);
          expect(r.values).toBeInstanceOf(ARRAYS[type]);
          expect(gdalFacts(tif).type).toBe(GDAL_TYPE[type]);
          expectLikeGdal(tif, r);
          expect(r.crs).toEqual({ epsg: 32631, geographic: false });
        });
      }
    }
  },
);

describe.skipIf(skip)(gdalReadTitle('readGeoTiff: georeferencing, nodata and bands'), () => {
  const make = (name: string, type: (typeof TYPES)[number], args: string[], bands = 1) => {
    const values = Array.from({ length: bands }, (_, b) => sampleValues(type, W * H, b + 7));
    const src = writeEnvi(tmp.dir, `${name}-src`, type, W, H, values);
    return translate(src, join(tmp.dir, `${name}.tif`), args);
  };

  it('PixelIsPoint: the origin moves half a cell up-left, as GDAL reads it', async () => {
    const tif = make('point', 'int16', [
      '-a_srs',
      'EPSG:4326',
      '-a_ullr',
      '-110.5',
      '11.25',
      String(-110.5 + W / 120),
      String(11.25 - H / 120),
      '-mo',
      'AREA_OR_POINT=Point',
    ]);
    const r = await readGeoTiffFile(tif);
    expect(r.rasterType).toBe('point');
    expect(r.crs).toEqual({ epsg: 4326, geographic: true });
    expectLikeGdal(tif, r);
  });

  it('PixelIsArea and PixelIsPoint files of the same grid read to the same transform', async () => {
    const args = ['-a_srs', 'EPSG:3035', '-a_ullr', '4000000', '3000000', '4000370', '2999770'];
    const area = await readGeoTiffFile(make('same-area', 'uint8', args));
    const point = await readGeoTiffFile(
      make('same-point', 'uint8', [...args, '-mo', 'AREA_OR_POINT=Point']),
    );
    expect(point.transform).toEqual(area.transform);
    expect([area.rasterType, point.rasterType]).toEqual(['area', 'point']);
  });

  for (const [type, nodata] of [
    ['int16', '-9999'],
    ['uint8', '255'],
    ['float32', 'nan'],
    ['float32', '-3.4028234663852886e+38'],
    ['float64', '-1e+300'],
    ['uint16', '0'],
  ] as const) {
    it(`nodata ${nodata} in ${type} (GDAL_NODATA)`, async () => {
      const tif = make(`nodata-${type}-${nodata}`, type, [
        '-a_srs',
        'EPSG:32632',
        '-a_ullr',
        '0',
        '100',
        '37',
        '77',
        '-a_nodata',
        nodata,
      ]);
      const r = await readGeoTiffFile(tif);
      expect(Object.is(r.nodata, Number(nodata === 'nan' ? Number.NaN : nodata))).toBe(true);
      expectLikeGdal(tif, r);
    });
  }

  for (const interleave of ['BAND', 'PIXEL']) {
    it(`band 1, 2 and 3 of a three-band file (INTERLEAVE=${interleave})`, async () => {
      const tif = make(
        `bands-${interleave}`,
        'uint16',
        ['-a_srs', 'EPSG:2056', '-a_ullr', '2600000', '1200000', '2600037', '1199977'],
        3,
      );
      for (const band of [1, 2, 3]) {
        const r = await readGeoTiffFile(tif, { band });
        expectLikeGdal(tif, r, band);
      }
      await expect(readGeoTiffFile(tif, { band: 4 })).rejects.toThrow(
        /bands-\w+\.tif: band 4 is out of range: the file has 3 bands/,
      );
      await expect(readGeoTiffFile(tif, { band: 0 })).rejects.toThrow(/band 0 is out of range/);
    });
  }

  it('a south-up raster is stored as ModelTransformation, read as GDAL reads it', async () => {
    const tif = make('south-up', 'float32', [
      '-a_srs',
      'EPSG:32631',
      '-a_ullr',
      '500000',
      '5600000',
      String(500000 + 10 * W),
      String(5600000 + 10 * H),
    ]);
    const r = await readGeoTiffFile(tif);
    expect(r.transform.pixelHeight).toBe(10);
    expect(r.cellSize).toEqual({ x: 10, y: 10 });
    expectLikeGdal(tif, r);
  });

  it('a big-endian file without predictor reads like a little-endian one', async () => {
    const tif = make('big-endian', 'int32', [
      '-a_srs',
      'EPSG:32631',
      '-a_ullr',
      '0',
      '23',
      '37',
      '0',
      '-co',
      'ENDIANNESS=BIG',
      '-co',
      'COMPRESS=DEFLATE',
    ]);
    expectLikeGdal(tif, await readGeoTiffFile(tif));
  });

  it('reads bytes as well as files', async () => {
    const tif = make('bytes', 'int16', ['-a_srs', 'EPSG:4326', '-a_ullr', '5', '50', '6', '49']);
    const { readGeoTiff } = await import('../src/index.js');
    const bytes = readFileSync(tif);
    const fromBytes = await readGeoTiff(new Uint8Array(bytes));
    const fromBuffer = await readGeoTiff(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    const fromFile = await readGeoTiffFile(tif);
    expect(fromBytes).toEqual(fromFile);
    expect(fromBuffer).toEqual(fromFile);
  });
});
