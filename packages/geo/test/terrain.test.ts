// Terrain derivatives on hand-made grids with known answers, the streaming form, the output's
// shape, and the errors. (terrain-gdaldem*.test.ts compare with gdaldem itself.)
import { describe, expect, it } from 'vitest';
import {
  aspect,
  aspectStream,
  type GeoRaster,
  type Grid,
  hillshade,
  hillshadeStream,
  metresPerDegreeAt,
  SLOPE_NODATA,
  slope,
  slopeGeographic,
  slopeStream,
  streamRows,
} from '../src/index.js';

const DEG = 180 / Math.PI;

/** z = east·x + north·y over a w × h grid of `size` cells (x east, y north, row 0 north). */
function plane(w: number, h: number, east: number, north: number, size = 1): Grid<Float32Array> {
  const values = new Float32Array(w * h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) values[r * w + c] = 100 + east * c * size - north * r * size;
  }
  return { width: w, height: h, values, cellSize: { x: size, y: size }, nodata: SLOPE_NODATA };
}

const interior = (g: Grid, f: (v: number, i: number) => void) => {
  for (let r = 1; r < g.height - 1; r++) {
    for (let c = 1; c < g.width - 1; c++) f(g.values[r * g.width + c]!, r * g.width + c);
  }
};

describe('slope and aspect of planes', () => {
  for (const algorithm of ['horn', 'zevenbergen-thorne'] as const) {
    it(`${algorithm}: a plane's slope and aspect in every interior cell, nodata on the border`, () => {
      for (const [east, north] of [
        [1, 0],
        [0, 0.5],
        [-0.3, 0.4],
        [2, -2],
      ] as const) {
        const dem = plane(6, 5, east, north, 30);
        const degrees = slope(dem, { algorithm });
        const percent = slope(dem, { algorithm, units: 'percent' });
        const facing = aspect(dem, { algorithm });
        const trig = aspect(dem, { algorithm, trigonometric: true });
        const rise = Math.hypot(east, north);
        // Downhill is (−east, −north): clockwise from north, and counter-clockwise from east.
        const azimuth = (Math.atan2(-east, -north) * DEG + 360) % 360;
        const angle = (Math.atan2(-north, -east) * DEG + 360) % 360;
        interior(degrees, (v) => expect(v).toBeCloseTo(Math.atan(rise) * DEG, 4));
        interior(percent, (v) => expect(v).toBeCloseTo(100 * rise, 3));
        interior(facing, (v) => expect(v).toBeCloseTo(azimuth, 3));
        interior(trig, (v) => expect(v).toBeCloseTo(angle, 3));
        expect(degrees.values[0]).toBe(SLOPE_NODATA);
        expect(degrees.values[dem.width * dem.height - 1]).toBe(SLOPE_NODATA);
      }
    });
  }

  it('scale divides the rise (gdaldem -s): metres over degrees with 111120', () => {
    const dem = plane(5, 5, 111.12, 0, 1);
    expect(slope(dem, { scale: 111120, units: 'percent' }).values[12]).toBeCloseTo(0.1, 5);
  });

  it('computeEdges: border cells extrapolated (exact on a plane, but the corners repeat the edge column as gdaldem does)', () => {
    const dem = plane(5, 4, 1, 0);
    const s = slope(dem, { computeEdges: true, units: 'percent' });
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 5; c++) {
        const corner = (r === 0 || r === 3) && (c === 0 || c === 4);
        expect(s.values[r * 5 + c]).toBeCloseTo(corner ? 50 : 100, 4);
      }
    }
  });

  it('a nodata neighbour makes the cell nodata, or takes the centre value with computeEdges', () => {
    const dem = plane(5, 5, 1, 0);
    dem.values[12] = SLOPE_NODATA;
    const plain = slope(dem, { units: 'percent' });
    const edges = slope(dem, { units: 'percent', computeEdges: true });
    for (const i of [6, 7, 8, 11, 12, 13, 16, 17, 18]) expect(plain.values[i]).toBe(SLOPE_NODATA);
    expect(edges.values[12]).toBe(SLOPE_NODATA);
    // West of the hole, the east column's middle (weight 2 of 8) takes the centre's value: 3/4
    // of the rise remains. North of it, the hole replaced by the centre is the same height.
    expect(edges.values[11]).toBeCloseTo(75, 4);
    expect(edges.values[7]).toBeCloseTo(100, 4);
  });

  it('NaN is no data too, whatever the nodata value', () => {
    const dem = plane(5, 5, 1, 0);
    dem.values[12] = Number.NaN;
    expect(slope(dem).values[12]).toBe(SLOPE_NODATA);
    expect(slope({ ...dem, nodata: undefined }).values[6]).toBe(SLOPE_NODATA);
  });

  it('flat cells: aspect nodata, or 0 with zeroForFlat, which declares no nodata and writes 0 on the border', () => {
    const flat = { width: 4, height: 4, values: new Float32Array(16).fill(7) };
    const a = aspect(flat);
    expect(a.nodata).toBe(SLOPE_NODATA);
    expect([...a.values].every((v) => v === SLOPE_NODATA)).toBe(true);
    const z = aspect(flat, { zeroForFlat: true });
    expect(z.nodata).toBeUndefined();
    expect([...z.values].every((v) => v === 0)).toBe(true);
    expect(slope(flat).values[5]).toBe(0);
  });

  it('aspect ignores the cell size, as gdaldem does', () => {
    const dem = plane(5, 5, 1, 1);
    const a = aspect({ ...dem, cellSize: { x: 1, y: 3 } });
    expect(a.values[12]).toBeCloseTo(225, 4);
  });
});

describe('hillshade', () => {
  it('flat ground is 1 + 254·sin(altitude); 0 is nodata on the border', () => {
    const flat = { width: 3, height: 3, values: new Float32Array(9).fill(5) };
    expect(hillshade(flat).values[4]).toBe(Math.floor(1 + 254 * Math.SQRT1_2 + 0.5));
    expect(hillshade(flat, { altitude: 90 }).values[4]).toBe(255);
    expect(hillshade(flat).values[0]).toBe(0);
    expect(hillshade(flat).nodata).toBe(0);
    expect(hillshade(flat, { variant: 'combined' }).values[4]).toBe(255);
    expect(hillshade(flat, { variant: 'igor' }).values[4]).toBe(255);
  });

  it('a 45° slope facing the light is lit fully, facing away it is in shadow', () => {
    // Facing north-west (downhill to the NW): the plane rises to the south-east.
    const r = Math.SQRT1_2;
    const toLight = plane(3, 3, r, -r);
    const away = plane(3, 3, -r, r);
    expect(hillshade(toLight).values[4]).toBe(255);
    expect(hillshade(away).values[4]).toBe(1);
    expect(hillshade(away, { azimuth: 135 }).values[4]).toBe(255);
  });

  it('multidirectional takes no azimuth and igor no altitude, as gdaldem', () => {
    const dem = plane(3, 3, 1, 0);
    expect(() => hillshade(dem, { variant: 'multidirectional', azimuth: 10 })).toThrow(/azimuth/);
    expect(() => hillshade(dem, { variant: 'igor', altitude: 10 })).toThrow(/altitude/);
  });

  it('a south-up transform mirrors the light north-south (the sign of gt[5] counts)', () => {
    const dem = plane(3, 3, 0, 1);
    const north: GeoRaster = {
      ...dem,
      transform: { originX: 0, originY: 3, pixelWidth: 1, pixelHeight: -1 },
    };
    const south: GeoRaster = { ...north, transform: { ...north.transform, pixelHeight: 1 } };
    expect(hillshade(north).values[4]).toBe(hillshade(dem).values[4]);
    expect(hillshade(north).values[4]).not.toBe(hillshade(south).values[4]);
  });
});

describe('streaming', () => {
  const dem: Grid<Int16Array> = {
    width: 13,
    height: 11,
    values: Int16Array.from({ length: 143 }, (_, i) => ((i * 7919) % 97) - (i % 5 === 0 ? 0 : 40)),
    nodata: 0,
    cellSize: { x: 2, y: 3 },
  };

  it('strips of any height give the whole-grid result, for every derivative', () => {
    const makers: Array<(strips: Int16Array[]) => Iterable<Float32Array | Uint8Array>> = [
      (strips) => streamRows(slopeStream(dem, { computeEdges: true }), strips),
      (strips) => streamRows(aspectStream(dem, { algorithm: 'zevenbergen-thorne' }), strips),
      (strips) =>
        streamRows(
          hillshadeStream(dem, { variant: 'multidirectional', computeEdges: true }),
          strips,
        ),
    ];
    const whole = [
      slope(dem, { computeEdges: true }).values,
      aspect(dem, { algorithm: 'zevenbergen-thorne' }).values,
      hillshade(dem, { variant: 'multidirectional', computeEdges: true }).values,
    ];
    for (const strip of [1, 2, 3, 5, 11]) {
      makers.forEach((make, k) => {
        const strips: Int16Array[] = [];
        for (let r = 0; r < dem.height; r += strip) {
          strips.push(
            dem.values.subarray(r * dem.width, Math.min(dem.height, r + strip) * dem.width),
          );
        }
        const out: number[] = [];
        for (const s of make(strips)) out.push(...s);
        expect(out).toEqual([...whole[k]!]);
      });
    }
  });

  it('each output row comes out once the row below it is in; the last at the end', () => {
    const stream = slopeStream(dem);
    expect(stream.push(dem.values.subarray(0, 13)).length).toBe(0);
    expect(stream.push(dem.values.subarray(13, 13 * 4)).length).toBe(13 * 3);
    expect(stream.push(dem.values.subarray(13 * 4)).length).toBe(13 * 7);
    expect(stream.end().length).toBe(13);
  });

  it('a raster of 200,000 rows goes through in bounded memory', () => {
    const width = 64;
    const height = 200_000;
    function* rows() {
      const row = new Float32Array(width);
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) row[c] = 3 * c - 4 * r; // rise 5 per cell
        yield row;
      }
    }
    let count = 0;
    let bad = 0;
    for (const out of streamRows(slopeStream({ width, height }, { units: 'percent' }), rows())) {
      for (let c = 1; c < width - 1; c++) {
        const v = out[c]!;
        if (count > 0 && count < height - 1 && Math.abs(v - 500) > 1e-3) bad++;
      }
      count += out.length / width;
    }
    expect(count).toBe(height);
    expect(bad).toBe(0);
  });

  it('refuses partial rows, too many rows, an early end, a push after the end and mixed sample kinds', () => {
    const layout = { width: 4, height: 2 };
    expect(() => slopeStream(layout).push(new Float32Array(3))).toThrow(/whole rows/);
    expect(() => slopeStream(layout).push(new Float32Array(12))).toThrow(
      /3 rows fed to a raster of 2/,
    );
    const s = slopeStream(layout);
    s.push(new Float32Array(4));
    expect(() => s.end()).toThrow(/ended after 1 rows of 2/);
    const mixed = slopeStream(layout);
    mixed.push(new Int16Array(4));
    expect(() => mixed.push(new Float32Array(4))).toThrow(/same kind/);
    const done = slopeStream(layout);
    done.push(new Float32Array(8));
    done.end();
    expect(() => done.push(new Float32Array(4))).toThrow(/already ended/);
  });
});

describe('output grids', () => {
  it('keep the size, cell size, transform and CRS; Float32 for slope and aspect, Byte for hillshade', () => {
    const dem: GeoRaster<Int16Array> = {
      width: 3,
      height: 3,
      values: Int16Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      transform: { originX: 10, originY: 20, pixelWidth: 1, pixelHeight: -1 },
      crs: { epsg: 32632 },
    };
    const s = slope(dem);
    expect(s.values).toBeInstanceOf(Float32Array);
    expect(s.transform).toEqual(dem.transform);
    expect(s.crs).toEqual({ epsg: 32632 });
    expect(s.nodata).toBe(-9999);
    expect(hillshade(dem).values).toBeInstanceOf(Uint8Array);
    const empty = slope({ width: 0, height: 0, values: new Float32Array(0) });
    expect(empty.values.length).toBe(0);
  });
});

describe('latitude-corrected geographic slope', () => {
  it('metres per degree on WGS 84: 111,319 m east and 110,574 m north at the equator; 78,847 m and 111,132 m at 45°', () => {
    expect(metresPerDegreeAt(0).east).toBeCloseTo(111319.49, 1);
    expect(metresPerDegreeAt(0).north).toBeCloseTo(110574.28, 1);
    expect(metresPerDegreeAt(45).east).toBeCloseTo(78846.81, 1);
    expect(metresPerDegreeAt(45).north).toBeCloseTo(111131.75, 1);
    expect(metresPerDegreeAt(60, 111120).east).toBeCloseTo(55560, 6);
  });

  it('on a sphere of 111,120 m per degree at the equator it is gdaldem -s 111120; at 60° an east-west rise is twice as steep', () => {
    const values = Float32Array.from({ length: 25 }, (_, i) => 10 * (i % 5));
    const at = (lat: number): GeoRaster<Float32Array> => ({
      width: 5,
      height: 5,
      values,
      transform: { originX: 0, originY: lat + 0.0025, pixelWidth: 0.001, pixelHeight: -0.001 },
      crs: { epsg: 4326, geographic: true },
    });
    const options = { units: 'percent', metresPerDegree: 111120 } as const;
    const equator = slopeGeographic(at(0), options).values[12]!;
    expect(equator).toBeCloseTo(slope(at(0), { scale: 111120, units: 'percent' }).values[12]!, 3);
    expect(slopeGeographic(at(60), options).values[12]! / equator).toBeCloseTo(2, 4);
  });

  it('refuses a projected CRS, a missing transform and latitudes beyond ±90', () => {
    const g = { width: 3, height: 3, values: new Float32Array(9) };
    const t = { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: -1 };
    expect(() => slopeGeographic({ ...g, transform: t, crs: { geographic: false } })).toThrow(
      /projected/,
    );
    expect(() => slopeGeographic({ ...g, transform: { ...t, originY: 500000 } })).toThrow(
      /beyond ±90/,
    );
    expect(() => slopeGeographic(g as GeoRaster)).toThrow(/transform/);
  });
});

describe('errors', () => {
  const dem = plane(3, 3, 1, 0);
  it('bad options are clear errors', () => {
    expect(() => slope(dem, { scale: 0 })).toThrow(/scale must be a positive finite number, got 0/);
    expect(() => slope(dem, { scale: Number.NaN })).toThrow(/scale/);
    expect(() => slope(dem, { scale: Number.POSITIVE_INFINITY })).toThrow(/scale/);
    expect(() => hillshade(dem, { scale: -1 })).toThrow(/scale/);
    expect(() => hillshade(dem, { zFactor: Number.NaN })).toThrow(/zFactor/);
    expect(() => hillshade(dem, { azimuth: Number.POSITIVE_INFINITY })).toThrow(/azimuth/);
    expect(() => slope(dem, { algorithm: 'zt' as never })).toThrow(/algorithm must be/);
    expect(() => slope(dem, { units: 'radians' as never })).toThrow(/units must be/);
    expect(() => hillshade(dem, { variant: 'fancy' as never })).toThrow(/variant must be/);
    expect(() => aspect(dem, { scale: 2 } as never)).toThrow(/unknown option 'scale'/);
    expect(() => slope(dem, { computeEdges: 'yes' as never })).toThrow(
      /computeEdges must be a boolean/,
    );
  });

  it('a zero, negative or non-finite cell size, and a bad shape, are errors', () => {
    expect(() => slope({ ...dem, cellSize: { x: 0, y: 1 } })).toThrow(/cellSize must be positive/);
    expect(() => aspect({ ...dem, cellSize: { x: 1, y: -1 } })).toThrow(/cellSize/);
    expect(() => hillshade({ ...dem, cellSize: { x: Number.NaN, y: 1 } })).toThrow(/cellSize/);
    const geo = { ...dem, transform: { originX: 0, originY: 0, pixelWidth: 0, pixelHeight: -1 } };
    expect(() => slope(geo)).toThrow(/pixel size must be finite and non-zero/);
    expect(() => slope({ ...dem, width: 4 })).toThrow(/values.length 9 ≠ width × height 12/);
    expect(() => slope({ ...dem, width: 1.5 })).toThrow(/non-negative integers/);
  });
});
