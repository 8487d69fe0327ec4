// SRTM .hgt tiles made here (any hemisphere, both sizes), against GDAL's SRTMHGT driver, and
// what readHgt refuses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHgt, readHgtFile, toGdalGeoTransform } from '../src/index.js';
import { gdalFacts, gdalReadTitle, noGdalForReading } from './_gdal.js';
import { bytesOf, gdalPixels, tempDir } from './read-fixtures.js';

/** A tile of `n × n` big-endian int16 heights, with a nodata cell and the extremes. */
function tile(n: number): Buffer {
  const bytes = Buffer.alloc(n * n * 2);
  for (let i = 0; i < n * n; i++) bytes.writeInt16BE(((i * 7919) % 9000) - 500, 2 * i);
  bytes.writeInt16BE(-32768, 2 * 5);
  bytes.writeInt16BE(32767, 2 * 6);
  return bytes;
}

describe('readHgt', () => {
  it('reads big-endian heights row by row from the north', () => {
    const r = readHgt(tile(1201), 'N45E006.hgt');
    expect([r.width, r.height, r.nodata]).toEqual([1201, 1201, -32768]);
    expect(Array.from(r.values.subarray(0, 8))).toEqual([
      -500, 7419, 6338, 5257, 4176, -32768, 32767, 933,
    ]);
    expect(r.cellSize).toEqual({ x: 1 / 1200, y: 1 / 1200 });
    expect(r.crs).toEqual({ epsg: 4326, geographic: true });
    expect(r.rasterType).toBe('point');
  });

  it('takes the south-west corner from the name: the centre of the south-west cell', () => {
    const r = readHgt(tile(1201), 'data/s05w012.HGT');
    const { originX, originY, pixelWidth, pixelHeight } = r.transform;
    expect(originX + 0.5 * pixelWidth).toBeCloseTo(-12, 12);
    expect(originY + 1200.5 * pixelHeight).toBeCloseTo(-5, 12);
  });

  it('refuses a name without a corner, and a size that is not a tile', () => {
    expect(() => readHgt(tile(1201), 'dem.hgt')).toThrow(
      'dem.hgt: an SRTM tile is named by its south-west corner, like N10W110.hgt or S05E012.hgt',
    );
    expect(() => readHgt(tile(1201), 'N95E000.hgt')).toThrow(/named by its south-west corner/);
    expect(() => readHgt(new Uint8Array(1000), 'N10W110.hgt')).toThrow(
      'N10W110.hgt: not an SRTM .hgt tile: 1000 bytes, expected 1201² × 2 = 2884802 or 3601² × 2 = 25934402',
    );
  });

  it('names the path of a file it cannot read', async () => {
    await expect(readHgtFile('/nonexistent/N10W110.hgt')).rejects.toThrow(
      /^\/nonexistent\/N10W110\.hgt: cannot be read \(ENOENT/,
    );
  });
});

describe.skipIf(noGdalForReading)(gdalReadTitle('readHgt against GDAL (SRTMHGT)'), () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp?.remove());

  for (const [name, n] of [
    ['S05E012.hgt', 1201],
    ['N00W180.hgt', 1201],
    ['N63E024.hgt', 3601],
  ] as const) {
    it(`${name} (${n} × ${n}): transform, nodata and pixels as GDAL reads them`, async () => {
      const path = join(tmp.dir, name);
      writeFileSync(path, tile(n));
      const r = await readHgtFile(path);
      const facts = gdalFacts(path);
      expect(toGdalGeoTransform(r.transform)).toEqual(facts.geoTransform);
      expect([r.width, r.height]).toEqual(facts.size);
      expect(r.nodata).toBe(Number(facts.nodata));
      expect(r.crs?.epsg).toBe(facts.epsg);
      expect(facts.areaOrPoint).toBe('Point');
      if (n === 1201) expect(bytesOf(r.values).equals(gdalPixels(path))).toBe(true);
    });
  }
});
