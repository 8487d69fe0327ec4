// validateCog (our structural check, no GDAL needed at run time) gives the verdict GDAL's own
// validator gives, on COGs and on GeoTIFFs that are not: striped, tiled without overviews, and
// overviews added after the data by gdaladdo.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCog, writeCog } from '../src/index.js';
import { gdalCogTitle, gdalQuiet, noGdalForCog, validateCogFile } from './_gdal.js';

describe.skipIf(noGdalForCog)(gdalCogTitle('validateCog agrees with GDAL’s validator'), () => {
  let dir: string;
  let source: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weir-cog-validate-'));
    const width = 1100;
    const height = 700;
    const values = new Int16Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = (i % width) + Math.floor(i / width);
    source = join(dir, 'source.tif');
    await writeCog(
      {
        width,
        height,
        values,
        transform: { originX: 5, originY: 50, pixelWidth: 0.01, pixelHeight: -0.01 },
        crs: { epsg: 4326 },
      },
      source,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, (path: string) => void, boolean]> = [
    ['our COG', (p) => copyFileSync(source, p), true],
    ['GDAL’s COG', (p) => gdalQuiet('gdal_translate', ['-q', '-of', 'COG', source, p]), true],
    ['a striped GeoTIFF', (p) => gdalQuiet('gdal_translate', ['-q', source, p]), false],
    [
      'a tiled GeoTIFF without overviews (a warning only)',
      (p) => gdalQuiet('gdal_translate', ['-q', '-co', 'TILED=YES', source, p]),
      true,
    ],
    [
      'overviews added after the data',
      (p) => {
        gdalQuiet('gdal_translate', ['-q', '-co', 'TILED=YES', source, p]);
        gdalQuiet('gdaladdo', ['-q', p, '2', '4']);
      },
      false,
    ],
  ];
  for (const [name, make, valid] of cases) {
    it(`${name}: ${valid ? 'valid' : 'not valid'}, as GDAL says`, () => {
      const path = join(dir, `${name.replace(/\W+/g, '_')}.tif`);
      make(path);
      const gdal = validateCogFile(path);
      expect(gdal.valid, gdal.output).toBe(valid);
      const ours = validateCog(path);
      expect(ours.errors.length === 0, ours.errors.join('; ')).toBe(valid);
      expect(ours.warnings.length > 0).toBe(gdal.output.includes('warnings were found'));
    });
  }

  it('says what is wrong with a file that is not a TIFF, and never throws on one', () => {
    const path = join(dir, 'not.tif');
    writeFileSync(path, 'hello, not a tiff');
    expect(validateCog(path).errors).toEqual(['not a TIFF file: no byte-order mark']);
    writeFileSync(path, Buffer.from([0x49, 0x49, 42, 0, 200, 0, 0, 0]));
    expect(validateCog(path).errors[0]).toMatch(/runs past the end of the file/);
  });
});

describe('validateCog on crafted headers (review regressions)', () => {
  it('reports a short BigTIFF and a malformed structural-metadata size instead of throwing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-cog-crafted-'));
    try {
      const short = join(dir, 'short.tif');
      writeFileSync(short, Buffer.from([0x49, 0x49, 43, 0, 8, 0, 0, 0, 0, 0]));
      expect(validateCog(short).errors).toEqual(['not a TIFF file: shorter than a BigTIFF header']);
      const ghost = join(dir, 'ghost.tif');
      const header = Buffer.alloc(200);
      header.write('II*\0', 0, 'latin1');
      header.writeUInt32LE(8, 4);
      header.write('GDAL_STRUCTURAL_METADATA_SIZE=00x140 bytes\n', 8, 'latin1');
      writeFileSync(ghost, header);
      expect(validateCog(ghost).errors[0]).toMatch(/malformed size "00x140"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
