// readShapefile: the real lux.shp (12 cantons) and shapefiles made by ogr2ogr, each compared with
// what OGR reads from the same files; and what it refuses.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PolygonLayer, parseShapefile, readShapefile } from '../src/index.js';
import { geoData, geoDataTitle, noGeoData } from './_data.js';
import { gdalReadTitle, noGdalForReading } from './_gdal.js';
import { tempDir } from './read-fixtures.js';
import { type OgrFeature, ogrFeatures, sameRings, shapefileFrom } from './vector-fixtures.js';

/** Expects `layer` to hold what OGR reads: same features, attributes and rings. */
function expectLikeOgr(layer: PolygonLayer, ogr: OgrFeature[]): void {
  expect(layer.features.map((f) => f.id)).toEqual(ogr.map((f) => f.fid));
  layer.features.forEach((f, i) => {
    const o = ogr[i]!;
    // OGR gives dates as YYYY/MM/DD; we give them as ISO 8601.
    const iso = Object.entries(o.properties).map(([k, v]) => [
      k,
      typeof v === 'string' && /^\d{4}\/\d\d\/\d\d$/.test(v) ? v.replaceAll('/', '-') : v,
    ]);
    expect(f.properties).toEqual(Object.fromEntries(iso));
    expect(f.geometry.type).toBe(o.geometry!.type);
    const parts = (g: { type: string; coordinates: unknown }) =>
      (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
    const ours = parts(f.geometry);
    const theirs = parts(o.geometry!);
    expect(ours.length).toBe(theirs.length);
    ours.forEach((p, k) => {
      expect(sameRings(p, theirs[k])).toBe(true);
    });
  });
}

const square = (x: number, y: number, s: number, clockwise = false) => {
  const r = [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ];
  return clockwise ? r.reverse() : r;
};
const feature = (properties: object, geometry: object | null) => ({
  type: 'Feature',
  properties,
  geometry,
});

describe.skipIf(noGeoData || noGdalForReading)(
  gdalReadTitle(geoDataTitle('readShapefile: lux.shp')),
  () => {
    it('reads the 12 cantons of Luxembourg with their attributes, as OGR does', async () => {
      const path = geoData('lux.shp');
      const layer = await readShapefile(path);
      expect(layer.features).toHaveLength(12);
      expect(layer.skipped).toEqual([]);
      expect(layer.features.map((f) => f.properties.NAME_2)).toEqual([
        'Clervaux',
        'Diekirch',
        'Redange',
        'Vianden',
        'Wiltz',
        'Echternach',
        'Remich',
        'Grevenmacher',
        'Capellen',
        'Esch-sur-Alzette',
        'Luxembourg',
        'Mersch',
      ]);
      expect(layer.features[9]!.properties).toEqual({
        ID_1: 3,
        NAME_1: 'Luxembourg',
        ID_2: 9,
        NAME_2: 'Esch-sur-Alzette',
        AREA: 251,
        POP: 176820,
      });
      expect(layer.crs).toEqual({
        wkt: readFileSync(geoData('lux.prj'), 'utf8'),
        epsg: 4326,
        geographic: true,
      });
      expectLikeOgr(layer, ogrFeatures(path));
      // the same without the extension
      expect(await readShapefile(path.slice(0, -4))).toEqual(layer);
    });
  },
);

describe.skipIf(noGdalForReading)(gdalReadTitle('readShapefile: files made by ogr2ogr'), () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp?.remove());

  it('holes, multipolygons, rings the wrong way round, and every attribute type', async () => {
    const features = [
      feature(
        { name: 'holed', n: 1, x: 2.5, ok: true, day: '2024-02-29' },
        {
          type: 'Polygon',
          coordinates: [square(0, 0, 10), square(2, 2, 2, true), square(6, 6, 2, true)],
        },
      ),
      feature(
        { name: 'two parts', n: -7, x: -0.125, ok: false, day: null },
        {
          type: 'MultiPolygon',
          coordinates: [[square(20, 0, 5)], [square(30, 0, 5), square(31, 1, 1, true)]],
        },
      ),
      feature(
        { name: 'Zürich – Genève', n: null, x: 1e6, ok: null, day: '1999-12-31' },
        {
          type: 'Polygon',
          coordinates: [square(40, 0, 3, true)],
        },
      ),
    ];
    const shp = shapefileFrom(tmp.dir, 'mixed', features, [
      ...['-a_srs', 'EPSG:2056', '-lco', 'ENCODING=UTF-8'],
    ]);
    const layer = await readShapefile(shp);
    expect(layer.features.map((f) => f.geometry.type)).toEqual([
      'Polygon',
      'MultiPolygon',
      'Polygon',
    ]);
    expect(layer.features[0]!.geometry.coordinates).toHaveLength(3);
    expect(layer.features[2]!.properties.name).toBe('Zürich – Genève');
    // GDAL writes ESRI's WKT, without an AUTHORITY: no EPSG code to be read from it.
    expect(layer.crs?.wkt).toMatch(/^PROJCS\["CH1903\+_LV95",/);
    expect(layer.crs?.epsg).toBeUndefined();
    expect(layer.crs?.geographic).toBe(false);
    expectLikeOgr(layer, ogrFeatures(shp));
  });

  it('PolygonZ keeps x and y; Latin-1 text with and without its .cpg', async () => {
    const z = shapefileFrom(tmp.dir, 'z', [
      feature(
        { name: 'z' },
        { type: 'Polygon', coordinates: [square(0, 0, 1).map(([x, y]) => [x, y, 100])] },
      ),
    ]);
    const zl = await readShapefile(z);
    expect(zl.features[0]!.geometry.coordinates[0]).toEqual(square(0, 0, 1));
    const latin = shapefileFrom(
      tmp.dir,
      'latin',
      [feature({ name: 'Déjà vu, Ørsted' }, { type: 'Polygon', coordinates: [square(0, 0, 1)] })],
      ['-lco', 'ENCODING=ISO-8859-1'],
    );
    expect((await readShapefile(latin)).features[0]!.properties.name).toBe('Déjà vu, Ørsted');
    rmSync(latin.replace(/\.shp$/, '.cpg'), { force: true });
    expect((await readShapefile(latin)).features[0]!.properties.name).toBe('Déjà vu, Ørsted');
  });

  it('null shapes and points: an error naming the record, or skipped with the reason', async () => {
    const withNull = shapefileFrom(tmp.dir, 'with-null', [
      feature({ k: 0 }, { type: 'Polygon', coordinates: [square(0, 0, 1)] }),
      feature({ k: 1 }, null),
      feature({ k: 2 }, { type: 'Polygon', coordinates: [square(2, 0, 1)] }),
    ]);
    await expect(readShapefile(withNull)).rejects.toThrow(
      `${withNull}: record 1 is null shape (no geometry); only polygons are read (pass nonPolygon: 'skip' to leave such records out)`,
    );
    const skipped = await readShapefile(withNull, { nonPolygon: 'skip' });
    expect(skipped.features.map((f) => [f.id, f.properties.k])).toEqual([
      [0, 0],
      [2, 2],
    ]);
    expect(skipped.skipped).toEqual([{ index: 1, id: 1, reason: 'null shape (no geometry)' }]);
    const points = shapefileFrom(tmp.dir, 'points', [
      feature({ k: 0 }, { type: 'Point', coordinates: [1, 2] }),
    ]);
    await expect(readShapefile(points)).rejects.toThrow(
      /points\.shp: record 0 is a Point, not a polygon/,
    );
    expect((await readShapefile(points, { nonPolygon: 'skip' })).skipped).toHaveLength(1);
  });

  it('a record deleted in the .dbf is not a feature, as OGR has it', async () => {
    const shp = shapefileFrom(
      tmp.dir,
      'deleted',
      [0, 1, 2].map((k) => feature({ k }, { type: 'Polygon', coordinates: [square(k * 2, 0, 1)] })),
    );
    const dbfPath = shp.replace(/\.shp$/, '.dbf');
    const dbf = readFileSync(dbfPath);
    const headerLength = dbf.readUInt16LE(8);
    dbf[headerLength + dbf.readUInt16LE(10)] = 0x2a; // record 1's deletion flag
    writeFileSync(dbfPath, dbf);
    const layer = await readShapefile(shp);
    expect(layer.features.map((f) => [f.id, f.properties.k])).toEqual([
      [0, 0],
      [2, 2],
    ]);
    expectLikeOgr(layer, ogrFeatures(shp));
  });
});

describe('readShapefile refuses', () => {
  it('a missing file, a file that is not a shapefile, a truncated one, a .dbf that does not match', async () => {
    await expect(readShapefile('/nonexistent/lux.shp')).rejects.toThrow(
      /^\/nonexistent\/lux\.shp: cannot be read \(ENOENT/,
    );
    expect(() => parseShapefile({ shp: new Uint8Array(200) }, 'x.shp')).toThrow(
      'x.shp: not a shapefile (.shp): no file code 9994 in a 100-byte header',
    );
    const header = new Uint8Array(100);
    const view = new DataView(header.buffer);
    view.setInt32(0, 9994);
    view.setInt32(24, 500); // 1,000 bytes declared
    expect(() => parseShapefile({ shp: header }, 'cut.shp')).toThrow(
      'cut.shp: truncated: the header says 1000 bytes but the file has 100',
    );
    view.setInt32(24, 50);
    const dbf = new Uint8Array(33);
    new DataView(dbf.buffer).setUint32(4, 2, true);
    new DataView(dbf.buffer).setUint16(8, 33, true);
    dbf[32] = 0x0d;
    expect(() => parseShapefile({ shp: header, dbf }, 'empty.shp')).toThrow(
      /empty\.dbf: truncated or corrupt \.dbf/,
    );
  });
});
