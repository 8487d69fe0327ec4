// What readGeoTiff refuses, and how it says so: the file named, the problem in words, never a
// decoder's raw stack. Files made by GDAL where GDAL can make them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoReadError, parseGdalNodata, readGeoTiff, readGeoTiffFile } from '../src/index.js';
import { gdalFacts, gdalReadTitle, noGdalForReading } from './_gdal.js';
import {
  bytesOf,
  gdalPixels,
  sampleValues,
  tempDir,
  translate,
  writeEnvi,
} from './read-fixtures.js';

const W = 37;
const H = 23;
const GEO = ['-a_srs', 'EPSG:32631', '-a_ullr', '0', String(10 * H), String(10 * W), '0'];

describe('GDAL_NODATA text', () => {
  it('parses numbers, nan and infinities as GDAL writes them', () => {
    expect(parseGdalNodata('-32768\0', 'f')).toBe(-32768);
    expect(parseGdalNodata('-3.4028234663852886e+38', 'f')).toBe(-3.4028234663852886e38);
    expect(parseGdalNodata('nan', 'f')).toBeNaN();
    expect(parseGdalNodata('NaN\0', 'f')).toBeNaN();
    expect(parseGdalNodata('-inf', 'f')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseGdalNodata(' 0 ', 'f')).toBe(0);
    expect(parseGdalNodata('', 'f')).toBeUndefined();
    expect(parseGdalNodata(undefined, 'f')).toBeUndefined();
  });

  it('refuses text that is not a number, naming the file', () => {
    expect(() => parseGdalNodata('none', 'dem.tif')).toThrow(
      'dem.tif: GDAL_NODATA tag (42113) is not a number: "none"',
    );
    expect(() => parseGdalNodata('12abc', 'dem.tif')).toThrow(GeoReadError);
  });
});

describe('not a TIFF', () => {
  it('says so, with the first bytes, for other formats and tiny files', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    await expect(readGeoTiff(png, { name: 'x.png' })).rejects.toThrow(
      'x.png: not a TIFF: it starts with bytes 89 50 4e 47, not II*\\0 or MM\\0*',
    );
    await expect(readGeoTiff(new Uint8Array(3))).rejects.toThrow(
      'GeoTIFF: not a TIFF: only 3 bytes',
    );
    await expect(readGeoTiffFile('/nonexistent/dem.tif')).rejects.toThrow(
      /^\/nonexistent\/dem\.tif: cannot be read \(ENOENT/,
    );
  });
});

describe.skipIf(noGdalForReading)(gdalReadTitle('readGeoTiff refuses'), () => {
  let tmp: ReturnType<typeof tempDir>;
  let src: string;
  beforeAll(() => {
    tmp = tempDir();
    src = writeEnvi(tmp.dir, 'src', 'int16', W, H, [sampleValues('int16', W * H)]);
  });
  afterAll(() => tmp?.remove());
  const make = (name: string, args: string[], from = src) =>
    translate(from, join(tmp.dir, name), args);

  it('a truncated file: lost strips, or a lost directory', async () => {
    const tif = make('whole.tif', [...GEO, '-co', 'BLOCKYSIZE=2']);
    const bytes = readFileSync(tif);
    const cut = join(tmp.dir, 'cut.tif');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(readGeoTiffFile(cut)).rejects.toThrow(
      /cut\.tif: truncated: strip \d+ of 12 ends at byte \d+ but the file has \d+ bytes/,
    );
    await expect(readGeoTiff(bytes.subarray(0, 12), { name: 'head.tif' })).rejects.toThrow(
      /^head\.tif: truncated or corrupt TIFF \(its header or image directory cannot be read/,
    );
  });

  for (const [args, what] of [
    [['-ot', 'Byte', '-co', 'PIXELTYPE=SIGNEDBYTE'], '8-bit signed integer'],
    [['-ot', 'UInt32'], '32-bit unsigned integer'],
    [['-ot', 'CInt16'], '32-bit complex integer'],
    [['-ot', 'CFloat32'], '64-bit complex float'],
  ] as const) {
    it(`an unsupported sample format: ${what}`, async () => {
      const tif = make(`${what.replace(/\W+/g, '-')}.tif`, [...GEO, ...args]);
      await expect(readGeoTiffFile(tif)).rejects.toThrow(
        `${tif}: unsupported sample format: ${what} (supported: uint8, int16, uint16, int32, float32, float64)`,
      );
    });
  }

  it('compressions it does not decode, and predictor 2 where geotiff.js gets it wrong', async () => {
    await expect(
      readGeoTiffFile(make('zstd.tif', [...GEO, '-co', 'COMPRESS=ZSTD'])),
    ).rejects.toThrow(
      /zstd\.tif: unsupported compression 50000 \(ZSTD\); supported: none, LZW, DEFLATE/,
    );
    await expect(
      readGeoTiffFile(make('jpeg.tif', [...GEO, '-ot', 'Byte', '-co', 'COMPRESS=JPEG'])),
    ).rejects.toThrow(/jpeg\.tif: unsupported compression 7 \(JPEG\)/);
    const be = ['-co', 'ENDIANNESS=BIG', '-co', 'COMPRESS=DEFLATE'];
    await expect(
      readGeoTiffFile(make('be-p2.tif', [...GEO, ...be, '-co', 'PREDICTOR=2'])),
    ).rejects.toThrow(/be-p2\.tif: unsupported: horizontal predictor \(2\) in a big-endian file/);
    await expect(
      readGeoTiffFile(
        make('f64-p2.tif', [
          ...GEO,
          '-ot',
          'Float64',
          '-co',
          'PREDICTOR=2',
          '-co',
          'COMPRESS=DEFLATE',
        ]),
      ),
    ).rejects.toThrow(/f64-p2\.tif: unsupported: horizontal predictor \(2\) on 64-bit samples/);
  });

  it('reads what is near those: float32 with predictor 2, big-endian floats with predictor 3', async () => {
    const f32p2 = make('f32-p2.tif', [
      ...GEO,
      '-ot',
      'Float32',
      '-co',
      'PREDICTOR=2',
      '-co',
      'COMPRESS=LZW',
    ]);
    expect(bytesOf((await readGeoTiffFile(f32p2)).values).equals(gdalPixels(f32p2))).toBe(true);
    // GDAL 3.6 does not read back its own big-endian predictor-3 files (its pixels come out
    // garbled), so this one is compared with the values it was made from.
    const beP3 = make('be-p3.tif', [
      ...GEO,
      ...[
        '-ot',
        'Float32',
        '-co',
        'ENDIANNESS=BIG',
        '-co',
        'PREDICTOR=3',
        '-co',
        'COMPRESS=DEFLATE',
      ],
    ]);
    expect((await readGeoTiffFile(beP3)).values).toEqual(
      Float32Array.from(sampleValues('int16', W * H)),
    );
  });

  it('a rotated geotransform, ground control points, no georeferencing at all', async () => {
    const vrt = join(tmp.dir, 'rotated.vrt');
    translate(src, vrt, ['-of', 'VRT']);
    writeFileSync(
      vrt,
      readFileSync(vrt, 'utf8').replace(
        /<VRTDataset([^>]*)>/,
        '<VRTDataset$1>\n  <GeoTransform>500000, 8.66, 5, 5600000, 5, -8.66</GeoTransform>',
      ),
    );
    const rotated = make('rotated.tif', ['-a_srs', 'EPSG:32631'], vrt);
    expect(gdalFacts(rotated).geoTransform).toEqual([500000, 8.66, 5, 5600000, 5, -8.66]);
    await expect(readGeoTiffFile(rotated)).rejects.toThrow(
      /rotated\.tif: its ModelTransformation is rotated or sheared \(terms 5, 5\): only north-up/,
    );
    const gcps = make('gcps.tif', [
      '-a_srs',
      'EPSG:4326',
      ...[
        '-gcp',
        '0',
        '0',
        '5',
        '50',
        '-gcp',
        '37',
        '0',
        '6',
        '50.1',
        '-gcp',
        '0',
        '23',
        '5.1',
        '49',
      ],
    ]);
    await expect(readGeoTiffFile(gcps)).rejects.toThrow(
      /gcps\.tif: it is georeferenced by 3 ground control points .* warp it/,
    );
    await expect(readGeoTiffFile(make('plain.tif', []))).rejects.toThrow(
      /plain\.tif: it has no georeferencing \(no ModelPixelScale \+ ModelTiepoint, nor ModelTransformation tag\)/,
    );
  });

  it('a band or window outside the raster', async () => {
    const tif = make('small.tif', GEO);
    await expect(readGeoTiffFile(tif, { band: 2 })).rejects.toThrow(
      `${tif}: band 2 is out of range: the file has 1 band (1-based)`,
    );
    for (const window of [
      { col: 30, row: 0, width: 8, height: 1 },
      { col: -1, row: 0, width: 2, height: 2 },
      { col: 0, row: 0, width: 0, height: 2 },
      { col: 0.5, row: 0, width: 2, height: 2 },
    ]) {
      await expect(readGeoTiffFile(tif, { window })).rejects.toThrow(
        /small\.tif: window \{col: .*\} is not inside the 37 × 23 raster/,
      );
    }
  });
});

describe('review regressions (reading)', () => {
  it('refuses a header declaring more cells than maxBytes allows, before decoding', async () => {
    const { readGeoTiff, writeCog } = await import('../src/index.js');
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'weir-maxbytes-'));
    try {
      const path = join(dir, 'a.tif');
      const raster = {
        width: 64,
        height: 64,
        values: new Float32Array(64 * 64),
        nodata: -3.40282347e38,
        transform: { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: -1 },
      };
      await writeCog(raster, path);
      const bytes = readFileSync(path);
      await expect(readGeoTiff(bytes, { maxBytes: 1000 })).rejects.toThrow(
        /64 × 64 float32 cells would take .* over the .* limit: read a window/,
      );
      const read = await readGeoTiff(bytes);
      // A Float32 band's nodata as the band stores it (as GDAL reports it).
      expect(read.nodata).toBe(Math.fround(-3.40282347e38));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
