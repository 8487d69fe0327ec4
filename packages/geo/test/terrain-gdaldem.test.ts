// Our slope, aspect and hillshade beside gdaldem's (GDAL 3.6) on small hand-made rasters, every
// option and combination: float32 equality for slope and aspect, hillshade bytes within 1.
import { afterAll, describe, expect, it } from 'vitest';
import type { ElevationArray, GeoRaster, Grid, HillshadeOptions } from '../src/index.js';
import { compareWithGdaldem, type Derivative, pooled } from './terrain-compare.js';
import { GdalScratch, gdaldemTitle, noGdaldem } from './terrain-gdal.js';

/** A deterministic pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A rough terrain: a tilted plane, a bump and noise, with holes where `nodata` is given. */
function terrain<T extends ElevationArray>(
  width: number,
  height: number,
  make: (n: number) => T,
  seed: number,
  nodata?: number,
): Grid<T> {
  const r = random(seed);
  const values = make(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const z =
        40 + 3 * col - 2 * row + 25 * Math.exp(-((col - 5) ** 2 + (row - 4) ** 2) / 8) + 6 * r();
      values[row * width + col] = nodata !== undefined && r() < 0.08 ? nodata : z;
    }
  }
  return nodata === undefined ? { width, height, values } : { width, height, values, nodata };
}

function slopeCases(): Derivative[] {
  const out: Derivative[] = [];
  for (const algorithm of ['horn', 'zevenbergen-thorne'] as const) {
    for (const computeEdges of [false, true]) {
      for (const units of ['degrees', 'percent'] as const) {
        for (const scale of [undefined, 3.7]) {
          out.push({
            mode: 'slope',
            options: { algorithm, computeEdges, units, ...(scale ? { scale } : {}) },
          });
        }
      }
    }
  }
  return out;
}

function aspectCases(): Derivative[] {
  const out: Derivative[] = [];
  for (const algorithm of ['horn', 'zevenbergen-thorne'] as const) {
    for (const computeEdges of [false, true]) {
      for (const trigonometric of [false, true]) {
        for (const zeroForFlat of [false, true]) {
          out.push({
            mode: 'aspect',
            options: { algorithm, computeEdges, trigonometric, zeroForFlat },
          });
        }
      }
    }
  }
  return out;
}

function hillshadeCases(): Derivative[] {
  const light: HillshadeOptions[] = [
    {},
    { azimuth: 30, altitude: 20, zFactor: 2.5, scale: 0.5 },
    { variant: 'combined' },
    { variant: 'combined', azimuth: 200, altitude: 60, zFactor: 3 },
    { variant: 'multidirectional' },
    { variant: 'multidirectional', altitude: 30, zFactor: 4, scale: 2 },
    { variant: 'igor' },
    { variant: 'igor', azimuth: 90, zFactor: 5 },
  ];
  const out: Derivative[] = [];
  for (const algorithm of ['horn', 'zevenbergen-thorne'] as const) {
    for (const computeEdges of [false, true]) {
      for (const l of light)
        out.push({ mode: 'hillshade', options: { algorithm, computeEdges, ...l } });
    }
  }
  return out;
}

const CASES = [...slopeCases(), ...aspectCases(), ...hillshadeCases()];

describe.skipIf(noGdaldem)(
  gdaldemTitle('terrain derivatives equal gdaldem on hand-made rasters'),
  () => {
    const scratch = new GdalScratch();
    afterAll(() => scratch.dispose());
    let hillshadeOff = 0;
    let hillshadeCells = 0;

    const rasters: Array<{ name: string; grid: Grid | GeoRaster; gt?: number[] }> = [
      { name: 'Float32 12×10, no nodata', grid: terrain(12, 10, (n) => new Float32Array(n), 1) },
      {
        name: 'Float32 12×10, nodata −9999',
        grid: terrain(12, 10, (n) => new Float32Array(n), 2, -9999),
      },
      {
        name: 'Float32, NaN nodata',
        grid: terrain(9, 8, (n) => new Float32Array(n), 3, Number.NaN),
      },
      {
        name: 'Float64 (read as float32)',
        grid: terrain(9, 7, (n) => new Float64Array(n), 4, -9999),
      },
      { name: 'Int16, nodata −32768', grid: terrain(11, 9, (n) => new Int16Array(n), 5, -32768) },
      { name: 'Byte, nodata 0', grid: terrain(10, 6, (n) => new Uint8Array(n), 6, 0) },
      { name: 'UInt16, nodata 65535', grid: terrain(8, 9, (n) => new Uint16Array(n), 7, 65535) },
      { name: 'Int32, nodata −1', grid: terrain(8, 8, (n) => new Int32Array(n), 8, -1) },
      {
        name: 'non-square pixels 30 × 45 m',
        grid: {
          ...terrain(10, 9, (n) => new Float32Array(n), 9, -9999),
          cellSize: { x: 30, y: 45 },
        },
      },
      {
        name: 'south-up transform (gt[5] > 0), pixels 2 × 3',
        grid: {
          ...terrain(10, 9, (n) => new Float32Array(n), 10),
          transform: { originX: 100, originY: 200, pixelWidth: 2, pixelHeight: 3 },
        },
        gt: [100, 2, 0, 200, 0, 3],
      },
      { name: '2×2', grid: terrain(2, 2, (n) => new Float32Array(n), 11) },
      { name: '1×5', grid: terrain(1, 5, (n) => new Float32Array(n), 12) },
      { name: '4×1', grid: terrain(4, 1, (n) => new Int16Array(n), 13) },
    ];

    // Every combination on the raster with holes; every eighth (a different eighth each time, so
    // each combination meets one or two other kinds of raster) on the others.
    rasters.forEach(({ name, grid, gt }, k) => {
      const cases = k === 1 ? CASES : CASES.filter((_, i) => i % 8 === k % 8);
      it(`${name}: ${cases.length} option combinations`, async () => {
        const input = scratch.input(grid, gt);
        const diffs = await pooled(cases, 4, (d) =>
          compareWithGdaldem(scratch, input, grid, d, name),
        );
        diffs.forEach((diff, i) => {
          if (cases[i]!.mode === 'hillshade') {
            hillshadeOff += diff.unequal;
            hillshadeCells += diff.cells;
          }
        });
      });
    });

    it('hillshade bytes differing by 1 are rare (fewer than 1 in 1,000)', () => {
      expect(hillshadeCells).toBeGreaterThan(0);
      expect(hillshadeOff / hillshadeCells).toBeLessThan(0.001);
    });
  },
);
