// Zonal statistics (issue 19): hand-made cases with known answers.
import { describe, expect, it } from 'vitest';
import {
  type GeoTransform,
  type Grid,
  geoTransformFromGdal,
  type PolygonalGeometry,
  polygonWindow,
  preparePolygon,
  rasterizePolygon,
  toGdalGeoTransform,
  zonalStatistics,
} from '../src/index.js';

// North-up, 10 map units per cell, corner of cell (0, 0) at (100, 200).
const T: GeoTransform = { originX: 100, originY: 200, pixelWidth: 10, pixelHeight: -10 };
/** Map coordinates of pixel-space point (col, row). */
const P = (c: number, r: number): [number, number] => [100 + 10 * c, 200 - 10 * r];
const ring = (pts: [number, number][]) => pts.map(([c, r]) => P(c, r));
const rect = (c0: number, r0: number, c1: number, r1: number) =>
  ring([
    [c0, r0],
    [c1, r0],
    [c1, r1],
    [c0, r1],
    [c0, r0],
  ]);
const poly = (...rings: [number, number][][]): PolygonalGeometry => ({
  type: 'Polygon',
  coordinates: rings,
});
/** Cells of a mask as "c,r" strings. */
const cells = (mask: Uint8Array, width: number) =>
  [...mask].flatMap((v, i) => (v ? [`${i % width},${Math.floor(i / width)}`] : []));
const count = (mask: Uint8Array) => mask.reduce((a, v) => a + v, 0);
/** A grid whose cell i holds i. */
const indexGrid = (width: number, height: number): Grid => ({
  width,
  height,
  values: Float32Array.from({ length: width * height }, (_, i) => i),
});

describe('zonal: GeoTransform', () => {
  it('accepts GDAL six numbers without rotation and round-trips them', () => {
    const gt = [100, 10, 0, 200, 0, -10];
    expect(geoTransformFromGdal(gt)).toEqual(T);
    expect(toGdalGeoTransform(T)).toEqual(gt);
    const g = indexGrid(4, 4);
    const geom = poly(rect(1, 1, 3, 3));
    expect(zonalStatistics(g, gt, [{ id: 'a', geometry: geom }])).toEqual(
      zonalStatistics(g, T, [{ id: 'a', geometry: geom }]),
    );
  });
  it('rejects rotated, sheared, zero-size, non-finite and short transforms with a clear error', () => {
    expect(() => geoTransformFromGdal([100, 10, 0.5, 200, 0, -10])).toThrow(/rotated or sheared/);
    expect(() => geoTransformFromGdal([100, 10, 0, 200, -0.1, -10])).toThrow(/rotated or sheared/);
    expect(() => geoTransformFromGdal([100, 0, 0, 200, 0, -10])).toThrow(/non-zero/);
    expect(() => geoTransformFromGdal([100, 10, 0, Number.NaN, 0, -10])).toThrow(/finite/);
    expect(() => geoTransformFromGdal([100, 10, 0, 200])).toThrow(/6 numbers/);
    expect(() => rasterizePolygon(poly(rect(0, 0, 1, 1)), [1, 1, 1, 1, 1, 1], 2, 2)).toThrow(
      /rotated/,
    );
  });
  it('handles a south-up transform (positive pixel height) and a flipped x axis', () => {
    const up: GeoTransform = { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: 1 };
    const m = rasterizePolygon(
      poly([
        [1, 2],
        [3, 2],
        [3, 3],
        [1, 3],
      ]),
      up,
      4,
      4,
    );
    expect(cells(m, 4)).toEqual(['1,2', '2,2']);
    const flip: GeoTransform = { originX: 4, originY: 0, pixelWidth: -1, pixelHeight: 1 };
    const f = rasterizePolygon(
      poly([
        [4, 0],
        [3, 0],
        [3, 1],
        [4, 1],
      ]),
      flip,
      4,
      4,
    );
    expect(cells(f, 4)).toEqual(['0,0']);
  });
});

describe('zonal: rasterizePolygon', () => {
  it('square aligned to pixels: the same cells under both rules', () => {
    const g = poly(rect(1, 1, 3, 4));
    const expected = ['1,1', '2,1', '1,2', '2,2', '1,3', '2,3'];
    expect(cells(rasterizePolygon(g, T, 5, 5, 'centre-inside'), 5)).toEqual(expected);
    expect(cells(rasterizePolygon(g, T, 5, 5, 'all-touched'), 5)).toEqual(expected);
  });
  it('unclosed rings are closed implicitly; ring orientation does not matter', () => {
    const open = poly(
      ring([
        [1, 1],
        [1, 4],
        [3, 4],
        [3, 1],
      ]),
    );
    expect(count(rasterizePolygon(open, T, 5, 5))).toBe(6);
  });
  it('triangle: centre-inside is half-open on the hypotenuse; all-touched adds the cells it crosses', () => {
    // (0,0) (4,0) (0,4): the hypotenuse c + r = 4 runs through the centres of cells with c + r = 3.
    const g = poly(
      ring([
        [0, 0],
        [4, 0],
        [0, 4],
      ]),
    );
    const ci = rasterizePolygon(g, T, 5, 5, 'centre-inside');
    const at = rasterizePolygon(g, T, 5, 5, 'all-touched');
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        expect(ci[r * 5 + c], `centre ${c},${r}`).toBe(c + r <= 2 ? 1 : 0);
        // Cells meeting the hypotenuse only at a corner (c + r = 4) are not touched.
        expect(at[r * 5 + c], `touched ${c},${r}`).toBe(c + r <= 3 ? 1 : 0);
      }
    }
  });
  it('a small triangle inside one cell: no centre, one touched cell', () => {
    const g = poly(
      ring([
        [2.1, 1.1],
        [2.4, 1.2],
        [2.2, 1.3],
      ]),
    );
    expect(count(rasterizePolygon(g, T, 5, 5, 'centre-inside'))).toBe(0);
    expect(cells(rasterizePolygon(g, T, 5, 5, 'all-touched'), 5)).toEqual(['2,1']);
  });
  it('polygon with a hole: hole cells excluded; all-touched keeps cells the hole boundary crosses', () => {
    const aligned = poly(rect(0, 0, 6, 6), rect(2, 2, 4, 4));
    expect(count(rasterizePolygon(aligned, T, 6, 6, 'centre-inside'))).toBe(32);
    expect(count(rasterizePolygon(aligned, T, 6, 6, 'all-touched'))).toBe(32);
    // Hole [1.5, 4.5]²: its left/top edge runs through centres (in the hole: half-open), so the
    // hole takes cells 1..3 in each axis; all-touched only loses the cells strictly inside it.
    const half = poly(rect(0, 0, 6, 6), rect(1.5, 1.5, 4.5, 4.5));
    const ci = rasterizePolygon(half, T, 6, 6, 'centre-inside');
    expect(count(ci)).toBe(36 - 9);
    for (const c of [1, 2, 3]) for (const r of [1, 2, 3]) expect(ci[r * 6 + c]).toBe(0);
    const at = rasterizePolygon(half, T, 6, 6, 'all-touched');
    expect(cells(at, 6).length).toBe(32);
    for (const c of [2, 3]) for (const r of [2, 3]) expect(at[r * 6 + c]).toBe(0);
  });
  it('MultiPolygon: parts are unioned (overlaps neither cancel nor double)', () => {
    const two: PolygonalGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(0, 0, 2, 2)], [rect(3, 3, 5, 4)]],
    };
    expect(cells(rasterizePolygon(two, T, 5, 5), 5)).toEqual([
      '0,0',
      '1,0',
      '0,1',
      '1,1',
      '3,3',
      '4,3',
    ]);
    const overlapping: PolygonalGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(0, 0, 2, 2)], [rect(1, 0, 3, 2)]],
    };
    expect(count(rasterizePolygon(overlapping, T, 5, 5, 'centre-inside'))).toBe(6);
    expect(count(rasterizePolygon(overlapping, T, 5, 5, 'all-touched'))).toBe(6);
  });
  it('polygon partly outside the raster is clipped; wholly outside covers nothing', () => {
    const g = poly(rect(-2, -1, 2, 3));
    expect(cells(rasterizePolygon(g, T, 5, 5), 5)).toEqual([
      '0,0',
      '1,0',
      '0,1',
      '1,1',
      '0,2',
      '1,2',
    ]);
    const out = poly(rect(6, 0, 9, 3));
    expect(count(rasterizePolygon(out, T, 5, 5, 'all-touched'))).toBe(0);
    const around = poly(rect(-10, -10, 20, 20));
    expect(count(rasterizePolygon(around, T, 5, 5, 'all-touched'))).toBe(25);
  });
  it('rejects bad geometry, coordinates, rule and size', () => {
    expect(() =>
      rasterizePolygon({ type: 'Point', coordinates: [1, 2] } as never, T, 2, 2),
    ).toThrow(/Polygon or MultiPolygon/);
    expect(() =>
      rasterizePolygon(
        poly([
          [0, Number.NaN],
          [1, 1],
          [2, 0],
        ]),
        T,
        2,
        2,
      ),
    ).toThrow(/finite/);
    expect(() => rasterizePolygon(poly(rect(0, 0, 1, 1)), T, 2, 2, 'centre' as never)).toThrow(
      /unknown pixel rule/,
    );
    expect(() => rasterizePolygon(poly(rect(0, 0, 1, 1)), T, 1.5, 2)).toThrow(/integers/);
  });
});

describe('zonal: two polygons sharing an edge', () => {
  it('vertical edge through centres: centre-inside in exactly one, all-touched in both', () => {
    const a = poly(rect(0, 0, 2.5, 4));
    const b = poly(rect(2.5, 0, 5, 4));
    const ca = rasterizePolygon(a, T, 5, 4, 'centre-inside');
    const cb = rasterizePolygon(b, T, 5, 4, 'centre-inside');
    for (let i = 0; i < 20; i++) expect(ca[i]! + cb[i]!).toBe(1);
    expect(count(ca)).toBe(8); // the shared column's centres go right (half-open)
    const ta = rasterizePolygon(a, T, 5, 4, 'all-touched');
    const tb = rasterizePolygon(b, T, 5, 4, 'all-touched');
    expect(count(ta)).toBe(12);
    expect(count(tb)).toBe(12);
    for (let r = 0; r < 4; r++) expect(ta[r * 5 + 2]! & tb[r * 5 + 2]!).toBe(1);
    const g = indexGrid(5, 4);
    const [sa, sb] = zonalStatistics(
      g,
      T,
      [
        { id: 'a', geometry: a },
        { id: 'b', geometry: b },
      ],
      { rule: 'all-touched' },
    );
    expect(sa!.count + sb!.count).toBe(24);
  });
  it('diagonal edge through centres: each centre counted once; the crossed cells in both', () => {
    const a = poly(
      ring([
        [0, 0],
        [4, 0],
        [0, 4],
      ]),
    );
    const b = poly(
      ring([
        [4, 0],
        [4, 4],
        [0, 4],
      ]),
    );
    const ca = rasterizePolygon(a, T, 4, 4);
    const cb = rasterizePolygon(b, T, 4, 4);
    for (let i = 0; i < 16; i++) expect(ca[i]! + cb[i]!).toBe(1);
    const ta = rasterizePolygon(a, T, 4, 4, 'all-touched');
    const tb = rasterizePolygon(b, T, 4, 4, 'all-touched');
    const both = [...ta].map((v, i) => v & tb[i]!);
    expect(cells(Uint8Array.from(both), 4)).toEqual(['3,0', '2,1', '1,2', '0,3']);
  });
});

describe('zonal: zonalStatistics', () => {
  it('known statistics of an aligned square', () => {
    // 4 × 4 grid of 0..15; cells (1..2, 1..2) hold 5, 6, 9, 10.
    const [s] = zonalStatistics(indexGrid(4, 4), T, [{ id: 7, geometry: poly(rect(1, 1, 3, 3)) }]);
    expect(s).toMatchObject({ id: 7, count: 4, nodata: 0, min: 5, max: 10, sum: 30, mean: 7.5 });
    expect(s!.std).toBeCloseTo(Math.sqrt(4.25), 12); // deviations ±2.5, ±1.5
    expect(s!.sampleStd).toBeCloseTo(Math.sqrt(17 / 3), 12);
  });
  it('nodata (the nodata value and NaN) is excluded and counted', () => {
    const values = Float32Array.from([1, -9999, 3, Number.NaN, 5, 6, 7, 8, 9]);
    const g: Grid = { width: 3, height: 3, values, nodata: -9999 };
    const [s] = zonalStatistics(g, T, [{ id: 'z', geometry: poly(rect(0, 0, 2, 2)) }]);
    // Cells 0, 1, 3, 4: values 1, nodata, NaN, 5.
    expect(s).toMatchObject({ count: 2, nodata: 2, min: 1, max: 5, sum: 6, mean: 3, std: 2 });
    expect(s!.sampleStd).toBeCloseTo(Math.SQRT2 * 2, 12);
  });
  it('integer grids with a nodata value', () => {
    const g: Grid = { width: 2, height: 2, values: Int16Array.from([-1, 4, 8, -1]), nodata: -1 };
    const [s] = zonalStatistics(g, T, [{ id: 0, geometry: poly(rect(0, 0, 2, 2)) }]);
    expect(s).toMatchObject({ count: 2, nodata: 2, min: 4, max: 8, mean: 6, sum: 12, std: 2 });
  });
  it('empty zones and single cells: NaN where undefined, sum 0', () => {
    const g = indexGrid(3, 3);
    const [empty, one] = zonalStatistics(g, T, [
      { id: 'out', geometry: poly(rect(5, 5, 7, 7)) },
      { id: 'one', geometry: poly(rect(2, 2, 3, 3)) },
    ]);
    expect(empty).toMatchObject({ id: 'out', count: 0, nodata: 0, sum: 0 });
    for (const k of ['min', 'max', 'mean', 'std', 'sampleStd'] as const) {
      expect(empty![k]).toBeNaN();
    }
    expect(one).toMatchObject({ count: 1, min: 8, max: 8, mean: 8, std: 0, sum: 8 });
    expect(one!.sampleStd).toBeNaN();
    const allNodata: Grid = { width: 1, height: 1, values: Float32Array.from([Number.NaN]) };
    expect(
      zonalStatistics(allNodata, T, [{ id: 1, geometry: poly(rect(0, 0, 1, 1)) }])[0],
    ).toMatchObject({ count: 0, nodata: 1 });
  });
  it('Welford: a large offset does not swamp the variance', () => {
    const n = 10_000;
    const values = Float64Array.from({ length: n }, (_, i) => 1e9 + (i % 2));
    const g: Grid = { width: n, height: 1, values };
    const [s] = zonalStatistics(g, T, [{ id: 0, geometry: poly(rect(0, 0, n, 1)) }]);
    expect(s!.mean).toBeCloseTo(1e9 + 0.5, 6);
    expect(s!.std).toBeCloseTo(0.5, 9);
    expect(s!.sampleStd).toBeCloseTo(0.5 * Math.sqrt(n / (n - 1)), 9);
  });
  it('the rule option: all-touched counts more on a non-aligned polygon; default is centre-inside', () => {
    const g = indexGrid(5, 5);
    const zones = [
      {
        id: 't',
        geometry: poly(
          ring([
            [0, 0],
            [4, 0],
            [0, 4],
          ]),
        ),
      },
    ];
    expect(zonalStatistics(g, T, zones)[0]!.count).toBe(6);
    expect(zonalStatistics(g, T, zones, { rule: 'centre-inside' })[0]!.count).toBe(6);
    expect(zonalStatistics(g, T, zones, { rule: 'all-touched' })[0]!.count).toBe(10);
  });
  it('rejects a grid whose values do not match its size', () => {
    const g: Grid = { width: 3, height: 3, values: new Float32Array(8) };
    expect(() => zonalStatistics(g, T, [])).toThrow(/expected width × height/);
  });
  it('visits only the polygon bounding window, clipped to the grid', () => {
    const p = preparePolygon(
      poly(
        ring([
          [10.2, 20.7],
          [13.5, 21],
          [12, 25.01],
        ]),
      ),
      T,
    );
    expect(polygonWindow(p, 10_000, 10_000)).toEqual({ col0: 10, col1: 14, row0: 20, row1: 26 });
    expect(polygonWindow(p, 12, 100)).toEqual({ col0: 10, col1: 12, row0: 20, row1: 26 });
  });
});
