// readGeoJson and the CRS of a WKT: hand-made inputs with known answers, and what they refuse.
import { describe, expect, it } from 'vitest';
import {
  crsFromWkt,
  type PolygonLayer,
  readGeoJson,
  readGeoJsonFile,
  zonalStatistics,
} from '../src/index.js';

const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const polygon = (x: number, y: number, s: number) => ({
  type: 'Polygon' as const,
  coordinates: [square(x, y, s)],
});
const collection = (...features: object[]) => ({ type: 'FeatureCollection', features });
const feature = (
  geometry: object | null,
  properties: object | null = {},
  id?: string | number,
) => ({
  type: 'Feature',
  ...(id === undefined ? {} : { id }),
  properties,
  geometry,
});

describe('readGeoJson', () => {
  it('reads a FeatureCollection, text or object, with ids and properties, as WGS 84', () => {
    const multi = {
      type: 'MultiPolygon' as const,
      coordinates: [[square(2, 0, 1)], [square(4, 0, 1), square(4.2, 0.2, 0.5)]],
    };
    const fc = collection(
      feature(polygon(0, 0, 1), { name: 'a', n: 1 }, 'a'),
      feature(multi, null, 7),
    );
    const layer = readGeoJson(JSON.stringify(fc));
    expect(layer).toEqual({
      features: [
        { id: 'a', properties: { name: 'a', n: 1 }, geometry: polygon(0, 0, 1) },
        { id: 7, properties: {}, geometry: multi },
      ],
      crs: { epsg: 4326, geographic: true },
      skipped: [],
    } satisfies PolygonLayer);
    expect(readGeoJson(fc)).toEqual(layer);
  });

  it('reads a single Feature and a bare geometry', () => {
    expect(readGeoJson(feature(polygon(0, 0, 2), { k: 1 })).features).toEqual([
      { properties: { k: 1 }, geometry: polygon(0, 0, 2) },
    ]);
    expect(readGeoJson(polygon(0, 0, 2)).features).toEqual([
      { properties: {}, geometry: polygon(0, 0, 2) },
    ]);
  });

  it('takes the CRS from the old crs member, CRS84 as EPSG:4326', () => {
    const named = (name: string) => ({
      ...collection(),
      crs: { type: 'name', properties: { name } },
    });
    expect(readGeoJson(named('urn:ogc:def:crs:EPSG::2056')).crs).toEqual({ epsg: 2056 });
    expect(readGeoJson(named('EPSG:32631')).crs).toEqual({ epsg: 32631 });
    expect(readGeoJson(named('urn:ogc:def:crs:OGC:1.3:CRS84')).crs).toEqual({
      epsg: 4326,
      geographic: true,
    });
    expect(() => readGeoJson(named('my local grid'), { name: 'zones.geojson' })).toThrow(
      'zones.geojson: its crs "my local grid" names no EPSG code',
    );
  });

  it('refuses a point, a line or a null geometry, or skips them with the reason', () => {
    const fc = collection(
      feature(polygon(0, 0, 1)),
      feature({ type: 'Point', coordinates: [1, 2] }, {}, 'p'),
      feature(null),
      feature({ type: 'GeometryCollection', geometries: [polygon(0, 0, 1)] }),
    );
    expect(() => readGeoJson(fc, { name: 'mixed.geojson' })).toThrow(
      `mixed.geojson: feature 1 (id "p") is a Point, not a polygon; only Polygon and MultiPolygon are read (pass nonPolygon: 'skip' to leave such features out)`,
    );
    const layer = readGeoJson(fc, { nonPolygon: 'skip' });
    expect(layer.features).toHaveLength(1);
    expect(layer.skipped).toEqual([
      { index: 1, id: 'p', reason: 'a Point, not a polygon' },
      { index: 2, reason: 'no geometry (null)' },
      { index: 3, reason: 'a GeometryCollection, not a polygon' },
    ]);
  });

  it('refuses malformed input, saying where', async () => {
    expect(() => readGeoJson('{"type": ')).toThrow(/^GeoJSON: not valid JSON \(/);
    expect(() => readGeoJson('[1, 2]')).toThrow('GeoJSON: not a GeoJSON object');
    expect(() => readGeoJson({ type: 'Topology' })).toThrow(
      'GeoJSON: not GeoJSON: type "Topology" is not a FeatureCollection, Feature or geometry',
    );
    expect(() => readGeoJson({ type: 'FeatureCollection' })).toThrow(
      'GeoJSON: a FeatureCollection without a features array',
    );
    expect(() => readGeoJson(collection({ type: 'Polygon' }))).toThrow(
      'GeoJSON: features[0] is not a Feature',
    );
    expect(() =>
      readGeoJson(
        collection(
          feature({
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 'x'],
                [1, 1],
              ],
            ],
          }),
        ),
      ),
    ).toThrow(
      'GeoJSON: feature 0: Polygon ring 0 position 1 is not [x, y] finite numbers: [1,"x"]',
    );
    expect(() => readGeoJson(feature({ type: 'Polygon', coordinates: [] }))).toThrow(
      'GeoJSON: feature 0: Polygon has no rings',
    );
    expect(() =>
      readGeoJson(
        feature({
          type: 'MultiPolygon',
          coordinates: [
            [square(0, 0, 1)],
            [
              [
                [0, 0],
                [1, 1],
              ],
            ],
          ],
        }),
      ),
    ).toThrow(
      'GeoJSON: feature 0: MultiPolygon part 1 ring 0 is not an array of at least 3 positions',
    );
    await expect(readGeoJsonFile('/nonexistent/zones.geojson')).rejects.toThrow(
      /^\/nonexistent\/zones\.geojson: cannot be read \(ENOENT/,
    );
  });

  it('gives zonalStatistics what it takes', () => {
    const layer = readGeoJson(collection(feature(polygon(0, -2, 2), { name: 'sw' }, 'sw')));
    const grid = { width: 4, height: 4, values: Float32Array.from({ length: 16 }, (_, i) => i) };
    const [stats] = zonalStatistics(
      grid,
      [0, 1, 0, 0, 0, -1],
      layer.features.map((f) => ({ id: f.id, geometry: f.geometry })),
    );
    expect(stats).toMatchObject({ id: 'sw', count: 4, sum: 0 + 1 + 4 + 5 });
  });
});

describe('crsFromWkt', () => {
  it("ESRI's GCS_WGS_1984 (a .prj without AUTHORITY) is EPSG:4326", () => {
    const wkt =
      'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    expect(crsFromWkt(wkt)).toEqual({ wkt, epsg: 4326, geographic: true });
  });

  it("takes the root's AUTHORITY, not a datum's or its base CRS's", () => {
    const wkt =
      'PROJCS["WGS 84 / UTM zone 31N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",3],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32631"]]';
    expect(crsFromWkt(wkt)).toEqual({ wkt, epsg: 32631, geographic: false });
    expect(crsFromWkt(wkt.replace(',AUTHORITY["EPSG","32631"]]', ']')).epsg).toBeUndefined();
  });

  it('reads WKT2 ID[…] and CS[ellipsoidal]', () => {
    const wkt =
      'GEOGCRS["WGS 84",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (G2139)"],ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north],AXIS["geodetic longitude (Lon)",east],ID["EPSG",4326]]';
    expect(crsFromWkt(wkt)).toEqual({ wkt, epsg: 4326, geographic: true });
    const lv95 =
      'PROJCRS["CH1903+ / LV95",BASEGEOGCRS["CH1903+",DATUM["CH1903+",ELLIPSOID["Bessel 1841",6377397.155,299.1528128]],ID["EPSG",4150]],CONVERSION["Swiss Oblique Mercator 1995",METHOD["Hotine Oblique Mercator (variant B)"]],CS[Cartesian,2],ID["EPSG",2056]]';
    expect(crsFromWkt(lv95)).toEqual({ wkt: lv95, epsg: 2056, geographic: false });
  });

  it('another datum is not WGS 84, and malformed WKT keeps only its text', () => {
    const nad83 =
      'GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    expect(crsFromWkt(nad83)).toEqual({ wkt: nad83, geographic: true });
    expect(crsFromWkt('GEOGCS["x", DATUM[')).toEqual({ wkt: 'GEOGCS["x", DATUM[' });
    expect(crsFromWkt('not wkt at all')).toEqual({ wkt: 'not wkt at all' });
  });
});
