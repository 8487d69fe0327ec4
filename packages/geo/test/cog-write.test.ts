// The writer's file handling and its errors (no GDAL needed): the streaming source is read once,
// a row of tiles at a time; the output is deterministic; a failure leaves nothing behind and
// never a half-written file at the target; bad inputs are refused before any file is made.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io } from '../src/cog/errors.js';
import { CogWriteError, type TileSource, writeCog, writeCogFromTiles } from '../src/cog/index.js';
import { layoutCog } from '../src/cog/layout.js';
import { planCog } from '../src/cog/plan.js';
import type { GeoRaster } from '../src/raster.js';
import { geoRaster, synthetic } from './cog-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'weir-cog-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const freshDir = () => {
  const dir = join(root, `d${serial++}`);
  mkdirSync(dir);
  return dir;
};

function source(
  width: number,
  height: number,
  overrides: Partial<TileSource> = {},
): TileSource & { calls: number[][] } {
  const values = synthetic('int16', width, height, 5) as Int16Array;
  const calls: number[][] = [];
  return {
    width,
    height,
    type: 'int16',
    transform: [500000, 10, 0, 4000000, 0, -10],
    crs: { epsg: 32633 },
    calls,
    readWindow(col, row, w, h) {
      calls.push([col, row, w, h]);
      return values.slice(row * width, (row + h) * width);
    },
    ...overrides,
  };
}

describe('writeCogFromTiles reads the source once, a row of tiles at a time', () => {
  it('asks for full-width windows one tile high, top to bottom, each once; async sources too', async () => {
    const dir = freshDir();
    const src = source(70, 50);
    const asyncSrc = source(70, 50);
    const read = asyncSrc.readWindow.bind(asyncSrc);
    asyncSrc.readWindow = async (...args) => {
      await new Promise((r) => setTimeout(r, 1));
      return read(...args);
    };
    const a = await writeCogFromTiles(src, join(dir, 'a.tif'), { tileSize: 16 });
    const b = await writeCogFromTiles(asyncSrc, join(dir, 'b.tif'), { tileSize: 16 });
    expect(src.calls).toEqual([
      [0, 0, 70, 16],
      [0, 16, 70, 16],
      [0, 32, 70, 16],
      [0, 48, 70, 2],
    ]);
    expect(a.levels.map((l) => [l.width, l.height, l.tiles])).toEqual([
      [70, 50, 20],
      [35, 25, 6],
      [17, 12, 2],
      [8, 6, 1],
    ]);
    expect(readFileSync(join(dir, 'a.tif'))).toEqual(readFileSync(join(dir, 'b.tif')));
    expect(b.bytes).toBe(readFileSync(join(dir, 'b.tif')).length);
    expect(readdirSync(dir).sort()).toEqual(['a.tif', 'b.tif']);
  });

  it('writes the same bytes every time, whatever the concurrency (same inputs, same file)', async () => {
    const dir = freshDir();
    const raster = geoRaster(synthetic('float32', 300, 200, 9, Number.NaN), 300, 200, {
      nodata: Number.NaN,
    });
    await writeCog(raster, join(dir, 'a.tif'), { tileSize: 64 });
    await writeCog(raster, join(dir, 'b.tif'), { tileSize: 64, concurrency: 1 });
    await writeCog(raster, join(dir, 'c.tif'), { tileSize: 64, concurrency: 7 });
    const a = readFileSync(join(dir, 'a.tif'));
    expect(readFileSync(join(dir, 'b.tif'))).toEqual(a);
    expect(readFileSync(join(dir, 'c.tif'))).toEqual(a);
  });

  it('replaces an existing file whole, and keeps it untouched when the write fails', async () => {
    const dir = freshDir();
    const target = join(dir, 'dem.tif');
    writeFileSync(target, 'old');
    await writeCogFromTiles(source(40, 40), target, { tileSize: 16 });
    const written = readFileSync(target);
    expect(written.subarray(0, 4)).toEqual(Buffer.from([0x49, 0x49, 42, 0]));
    const failing = source(40, 40, {
      readWindow(_c, row) {
        if (row >= 16) throw new Error('sensor feed went away');
        return new Int16Array(40 * 16);
      },
    });
    await expect(writeCogFromTiles(failing, target, { tileSize: 16 })).rejects.toThrow(
      'sensor feed went away',
    );
    expect(readFileSync(target)).toEqual(written);
    expect(readdirSync(dir)).toEqual(['dem.tif']);
  });
});

describe('clear errors, before any file is made', () => {
  const cases: Array<[string, (x: string) => Promise<unknown>, RegExp]> = [
    [
      'an Int8Array',
      (x) =>
        writeCog(
          {
            ...geoRaster(new Int16Array(4), 2, 2),
            values: new Int8Array(4),
          } as unknown as GeoRaster,
          x,
        ),
      /unsupported sample array Int8Array.*uint8, int16, uint16, int32, float32, float64/,
    ],
    [
      'a Uint32Array',
      (x) =>
        writeCog(
          {
            ...geoRaster(new Int16Array(4), 2, 2),
            values: new Uint32Array(4),
          } as unknown as GeoRaster,
          x,
        ),
      /unsupported sample array Uint32Array/,
    ],
    [
      'an unknown type name',
      (x) => writeCogFromTiles({ ...source(2, 2), type: 'complex64' as 'int16' }, x),
      /unsupported sample type complex64/,
    ],
    [
      'width 0',
      (x) => writeCog(geoRaster(new Float32Array(0), 0, 5), x),
      /width and height must be positive integers, got 0 × 5/,
    ],
    ['height 0 of a source', (x) => writeCogFromTiles(source(3, 0), x), /got 3 × 0/],
    [
      'values shorter than the grid',
      (x) => writeCog(geoRaster(new Uint8Array(5), 2, 3), x),
      /values has 5 samples, but width × height is 2 × 3/,
    ],
    [
      'a NaN origin',
      (x) =>
        writeCog(
          geoRaster(new Uint8Array(4), 2, 2, {
            transform: { originX: Number.NaN, originY: 0, pixelWidth: 1, pixelHeight: -1 },
          }),
          x,
        ),
      /geotransform originX must be a finite number/,
    ],
    [
      'an infinite pixel size',
      (x) =>
        writeCogFromTiles(
          { ...source(2, 2), transform: [0, Number.POSITIVE_INFINITY, 0, 0, 0, -1] },
          x,
        ),
      /gt\[1\] must be a finite number/,
    ],
    [
      'a rotated transform',
      (x) => writeCogFromTiles({ ...source(2, 2), transform: [0, 1, 0.5, 0, 0, -1] }, x),
      /rotated or sheared/,
    ],
    [
      'a tile size of 100',
      (x) => writeCogFromTiles(source(2, 2), x, { tileSize: 100 }),
      /tileSize must be a multiple of 16/,
    ],
    [
      'level 12',
      (x) => writeCogFromTiles(source(2, 2), x, { level: 12 }),
      /level must be an integer from 1 to 9, got 12/,
    ],
    [
      'an unknown compression',
      (x) => writeCogFromTiles(source(2, 2), x, { compression: 'zstd' as 'lzw' }),
      /compression must be one of 'deflate', 'lzw', 'none'/,
    ],
    [
      'nodata 300 in uint8',
      (x) => writeCog(geoRaster(new Uint8Array(4), 2, 2, { nodata: 300 }), x),
      /nodata 300 cannot be stored in uint8/,
    ],
    [
      'nodata 0.5 in int16',
      (x) => writeCog(geoRaster(new Int16Array(4), 2, 2, { nodata: 0.5 }), x),
      /nodata 0.5 cannot be stored in int16/,
    ],
    [
      'a CRS without an EPSG code',
      (x) => writeCog(geoRaster(new Uint8Array(4), 2, 2, { crs: { wkt: 'PROJCS["local"]' } }), x),
      /the CRS has no EPSG code/,
    ],
    [
      'an unknown raster type',
      (x) => writeCogFromTiles({ ...source(2, 2), rasterType: 'corner' as 'area' }, x),
      /rasterType must be one of 'area', 'point'/,
    ],
  ];
  for (const [what, run, message] of cases) {
    it(`refuses ${what}`, async () => {
      const dir = freshDir();
      await expect(run(join(dir, 'x.tif'))).rejects.toThrow(message);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('names the call and what it expected when readWindow returns the wrong thing; leaves nothing', async () => {
    const dir = freshDir();
    const wrong = source(20, 20, { readWindow: () => new Float32Array(20 * 16) });
    await expect(writeCogFromTiles(wrong, join(dir, 'x.tif'), { tileSize: 16 })).rejects.toThrow(
      'readWindow(0, 0, 20, 16) returned Float32Array of 320 samples; expected Int16Array of 320 samples (int16, row-major)',
    );
    const short = source(20, 20, { readWindow: () => new Int16Array(10) });
    await expect(writeCogFromTiles(short, join(dir, 'x.tif'), { tileSize: 16 })).rejects.toThrow(
      /returned Int16Array of 10 samples/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('surfaces the system error with the path (a missing folder), and refuses a folder in the way', async () => {
    const dir = freshDir();
    const missing = join(dir, 'no-such-folder', 'dem.tif');
    const error = await writeCogFromTiles(source(8, 8), missing, { tileSize: 16 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CogWriteError);
    expect((error as CogWriteError).code).toBe('ENOENT');
    expect((error as CogWriteError).message).toContain(`cannot write COG ${missing}: ENOENT`);

    const blocked = join(dir, 'dem.tif');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    const renameError = await writeCogFromTiles(source(8, 8), blocked, { tileSize: 16 }).catch(
      (e: unknown) => e,
    );
    expect(renameError).toBeInstanceOf(CogWriteError);
    // Refused before anything is written: the rename would replace the folder's name.
    expect((renameError as CogWriteError).message).toMatch(/dem\.tif: it is a folder/);
    expect(readdirSync(dir)).toEqual(['dem.tif']);
  });

  it('reports a full disk with its code, the temporary file and the target', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      errno: -28,
    });
    const error = await io(
      'writing compressed tiles to',
      '/data/.dem.tif.1-ab.tiles',
      '/data/dem.tif',
      () => Promise.reject(full),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CogWriteError);
    expect(error).toMatchObject({ code: 'ENOSPC', path: '/data/.dem.tif.1-ab.tiles', cause: full });
    expect((error as Error).message).toBe(
      'cannot write COG /data/dem.tif: ENOSPC while writing compressed tiles to /data/.dem.tif.1-ab.tiles (beside /data/dem.tif): ENOSPC: no space left on device, write',
    );
  });

  it("past 4 GiB: BigTIFF by default, a clear error with bigTiff: 'never'", () => {
    const shape = {
      width: 70_000,
      height: 70_000,
      type: 'float64' as const,
      transform: [0, 1, 0, 0, 0, -1],
    };
    const level = {
      width: 70_000,
      height: 70_000,
      tilesX: 137,
      tilesY: 137,
      lengths: new Float64Array(137 * 137).fill(300_000),
    };
    expect(layoutCog(planCog(shape, { overviews: false }), [level]).big).toBe(true);
    expect(
      layoutCog(planCog(shape, { overviews: false }), [
        { ...level, lengths: level.lengths.map(() => 1000) },
      ]).big,
    ).toBe(false);
    expect(() =>
      layoutCog(planCog(shape, { overviews: false, bigTiff: 'never' }), [level]),
    ).toThrow(/the COG would take 5631\d+ bytes, past classic TIFF's 4 GiB: allow BigTIFF/);
  });
});

describe('the target of a write (adversarial review)', () => {
  it('refuses a symbolic link, a folder and a path ending in a slash, writing nothing', async () => {
    const { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } =
      await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeCog } = await import('../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'weir-cog-target-'));
    try {
      const raster = {
        width: 2,
        height: 2,
        values: Uint8Array.of(1, 2, 3, 4),
        transform: { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: -1 },
      };
      writeFileSync(join(dir, 'real.tif'), 'keep');
      symlinkSync(join(dir, 'real.tif'), join(dir, 'link.tif'));
      mkdirSync(join(dir, 'folder'));
      await expect(writeCog(raster, join(dir, 'link.tif'))).rejects.toThrow(/a symbolic link/);
      await expect(writeCog(raster, join(dir, 'folder'))).rejects.toThrow(/a folder/);
      await expect(writeCog(raster, `${join(dir, 'new')}/`)).rejects.toThrow(/a folder name/);
      expect(readdirSync(dir).sort()).toEqual(['folder', 'link.tif', 'real.tif']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
