/** Edge cases from the first review of packages/geo, each a regression test. */
import { describe, expect, it } from 'vitest';
import {
  dataMask,
  downstream,
  fillDepressions,
  flowAccumulation,
  flowDirection,
  type Grid,
  streams,
  zonalStatistics,
} from '../src/index.js';

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [2, 0],
      [2, -2],
      [0, -2],
      [0, 0],
    ],
  ],
} as const;

describe('hydrology edges', () => {
  it('an ε-filled flat at elevation 0 drains, whatever the cell size', () => {
    const values = new Float64Array(25).fill(10);
    for (let r = 1; r < 4; r++) for (let c = 1; c < 4; c++) values[r * 5 + c] = 0;
    values[2 * 5 + 0] = 0; // the outlet on the west edge
    for (const size of [1, 2, 30]) {
      const dem: Grid = { width: 5, height: 5, values, cellSize: { x: size, y: size } };
      const acc = flowAccumulation(flowDirection(fillDepressions(dem, { epsilon: true })));
      expect(acc.values[2 * 5 + 0]).toBe(25);
    }
  });

  it('refuses invalid direction codes in any array type, and a bad cell size or threshold', () => {
    const dirs = { width: 4, height: 1, values: Int16Array.from([0, 0, 1, -1]), nodata: 255 };
    expect(() => downstream(dirs as unknown as Grid<Uint8Array>)).toThrow(
      /invalid D8 direction -1/,
    );
    const dem: Grid = {
      width: 3,
      height: 1,
      values: Float64Array.from([3, 2, 1]),
      cellSize: { x: -30, y: -30 },
    };
    expect(() => flowDirection(dem)).toThrow(/cellSize must be positive/);
    const acc: Grid = { width: 2, height: 1, values: Float64Array.from([1, 2]) };
    expect(() => streams(acc, Number.NaN)).toThrow(/threshold is NaN/);
  });

  it('compares nodata as a Float32 grid stores it', () => {
    const lowest = -3.40282347e38;
    const grid: Grid = {
      width: 2,
      height: 2,
      values: Float32Array.from([lowest, 5, 7, lowest]),
      nodata: lowest,
    };
    expect([...dataMask(grid)]).toEqual([0, 1, 1, 0]);
    const [stats] = zonalStatistics(grid, [0, 1, 0, 0, 0, -1], [{ id: 'all', geometry: square }]);
    expect(stats).toMatchObject({ count: 2, nodata: 2, min: 5, max: 7, mean: 6 });
  });
});

describe('zonal statistics inputs', () => {
  const grid: Grid = { width: 2, height: 2, values: Float32Array.from([1, 2, 3, 4]) };

  it('takes a geotransform in any array, and says which number is wrong', () => {
    const [stats] = zonalStatistics(grid, Float64Array.from([0, 1, 0, 0, 0, -1]), [
      { id: 1, geometry: square },
    ]);
    expect(stats!.sum).toBe(10);
    expect(() =>
      zonalStatistics(grid, ['0', 1, 0, 0, 0, -1] as unknown as number[], [
        { id: 1, geometry: square },
      ]),
    ).toThrow(/gt\[0\] must be a finite number/);
  });

  it('says what is wrong with a malformed geometry or an unknown rule', () => {
    const noCoordinates = { type: 'MultiPolygon' } as unknown as typeof square;
    expect(() =>
      zonalStatistics(grid, [0, 1, 0, 0, 0, -1], [{ id: 1, geometry: noCoordinates }]),
    ).toThrow(/MultiPolygon needs its coordinates/);
    const nullPosition = {
      type: 'Polygon',
      coordinates: [[[0, 0], null, [2, -2]]],
    } as unknown as typeof square;
    expect(() =>
      zonalStatistics(grid, [0, 1, 0, 0, 0, -1], [{ id: 1, geometry: nullPosition }]),
    ).toThrow(/position 1 is not a finite \[x, y\]/);
    expect(() =>
      zonalStatistics(grid, [0, 1, 0, 0, 0, -1], [], { rule: 'centre' as 'centre-inside' }),
    ).toThrow(/rule must be 'centre-inside' or 'all-touched'/);
  });
});

describe('filling a Float32 DEM with float32 nodata (review regression)', () => {
  it('keeps nodata cells nodata: the output declares the value the cells hold', () => {
    const nodata = -3.40282347e38;
    const values = new Float32Array(25).fill(10);
    values[12] = nodata;
    const filled = fillDepressions({ width: 5, height: 5, values, nodata }, { epsilon: true });
    expect(filled.values[12]).toBe(filled.nodata);
    const acc = flowAccumulation(flowDirection(filled));
    expect(Number.isNaN(acc.values[12]) || acc.values[12] === acc.nodata).toBe(true);
  });
});
