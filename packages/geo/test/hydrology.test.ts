// Hydrology on hand-made grids with answers worked out by hand: a cone, a V valley, a pit that
// filling removes, ties, anisotropic cells, nodata.
import { describe, expect, it } from 'vitest';
import {
  catchment,
  D8_CODES,
  directionIndex,
  downstream,
  fillDepressions,
  flowAccumulation,
  flowDirection,
  type Grid,
  NODATA_DIRECTION,
  nextUp,
  snapPourPoint,
  streams,
} from '../src/index.js';

/** A grid from rows of numbers (null for nodata, stored as NaN). */
function grid(rows: (number | null)[][], cellSize?: { x: number; y: number }): Grid<Float64Array> {
  const height = rows.length;
  const width = rows[0]!.length;
  const values = Float64Array.from(rows.flat(), (v) => (v === null ? Number.NaN : v));
  return cellSize ? { width, height, values, cellSize } : { width, height, values };
}
const rowsOf = (g: Grid, map: (v: number) => number = (v) => v): number[][] =>
  Array.from({ length: g.height }, (_, r) =>
    Array.from(g.values.subarray(r * g.width, (r + 1) * g.width), map),
  );
const dirGrid = (rows: number[][]): Grid<Uint8Array> => ({
  width: rows[0]!.length,
  height: rows.length,
  values: Uint8Array.from(rows.flat()),
  nodata: NODATA_DIRECTION,
});
const maskRows = (mask: Uint8Array, width: number): number[][] =>
  Array.from({ length: mask.length / width }, (_, r) =>
    Array.from(mask.subarray(r * width, (r + 1) * width)),
  );

// E=1 SE=2 S=4 SW=8 W=16 NW=32 N=64 NE=128
const cone = grid([
  [1, 3, 1],
  [3, 9, 3],
  [1, 3, 1],
]);
/** z = 10·|col − 2| + (4 − row): a valley down column 2, draining south. */
const valley = grid(
  Array.from({ length: 5 }, (_, r) =>
    Array.from({ length: 5 }, (_, c) => 10 * Math.abs(c - 2) + 4 - r),
  ),
);
/** A bowl of 4s round a pit of 1, rimmed by 5s, with one low rim cell (3) at (4, 3). */
const bowl = grid([
  [5, 5, 5, 5, 5],
  [5, 4, 4, 4, 5],
  [5, 4, 1, 4, 5],
  [5, 4, 4, 4, 5],
  [5, 5, 5, 3, 5],
]);

describe('D8 encoding', () => {
  it('uses the ESRI codes in the order E, SE, S, SW, W, NW, N, NE', () => {
    expect(D8_CODES).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(D8_CODES.map(directionIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([0, 3, 255, 1.5, -1, 256].map(directionIndex)).toEqual([-1, -1, -1, -1, -1, -1]);
  });
});

describe('flowDirection', () => {
  it('drains a 3×3 cone by steepest descent, ties to the first of E, SE, S, …', () => {
    const dirs = flowDirection(cone);
    expect(rowsOf(dirs)).toEqual([
      [0, 1, 0],
      [4, 1, 4],
      [0, 1, 0],
    ]);
    expect(dirs.nodata).toBe(NODATA_DIRECTION);
  });

  it('drains the sides of a V valley into its floor and the floor south', () => {
    expect(rowsOf(flowDirection(valley))).toEqual([
      [1, 1, 4, 16, 16],
      [1, 1, 4, 16, 16],
      [1, 1, 4, 16, 16],
      [1, 1, 4, 16, 16],
      [1, 1, 0, 16, 16],
    ]);
  });

  it('prefers a cardinal neighbour over a diagonal one with the same drop (distance √2)', () => {
    const g = grid([
      [4, 4, 4],
      [4, 5, 4],
      [4, 4, 4],
    ]);
    expect(flowDirection(g).values[4]).toBe(1); // E
  });

  it('breaks exact ties in the order E, SE, S, SW, W, NW, N, NE', () => {
    const at = (rows: number[][]) => flowDirection(grid(rows)).values[4];
    // W and N tie (drop 1): W comes first.
    expect(
      at([
        [9, 4, 9],
        [4, 5, 9],
        [9, 9, 9],
      ]),
    ).toBe(16);
    // SE and NE tie: SE comes first.
    expect(
      at([
        [9, 9, 4],
        [9, 5, 9],
        [9, 9, 4],
      ]),
    ).toBe(2);
    // S and N tie: S comes first.
    expect(
      at([
        [9, 4, 9],
        [9, 5, 9],
        [9, 4, 9],
      ]),
    ).toBe(4);
  });

  it('gives 0 to pits, flats and edge cells without a lower neighbour', () => {
    const dirs = flowDirection(bowl);
    expect(dirs.values[12]).toBe(0); // the pit
    expect(
      rowsOf(
        flowDirection(
          grid([
            [2, 2],
            [2, 2],
          ]),
        ),
      ),
    ).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('scales x and y distances by cellSize separately', () => {
    // E drops 2 over x, S drops 3 over y.
    const rows = [
      [20, 20, 20],
      [20, 10, 8],
      [20, 7, 20],
    ];
    expect(flowDirection(grid(rows)).values[4]).toBe(4); // S: 3 > 2
    expect(flowDirection(grid(rows, { x: 1, y: 2 })).values[4]).toBe(1); // E: 2 > 3/2
    // A diagonal drop of 5: 5/√2 beats S (3) at unit cells; over hypot(1, 3) it loses to E (2).
    const diag = [
      [20, 20, 20],
      [20, 10, 8],
      [20, 7, 5],
    ];
    expect(flowDirection(grid(diag)).values[4]).toBe(2);
    expect(flowDirection(grid(diag, { x: 1, y: 3 })).values[4]).toBe(1);
    expect(flowDirection(grid(rows, { x: 1, y: 2 })).cellSize).toEqual({ x: 1, y: 2 });
  });

  it('marks nodata 255 and never drains into nodata (NaN or the nodata value)', () => {
    const withNaN = flowDirection(
      grid([
        [5, null, 9],
        [9, 9, 9],
      ]),
    );
    expect(rowsOf(withNaN)).toEqual([
      [0, 255, 0],
      [64, 32, 0],
    ]);
    const withValue = flowDirection({
      width: 3,
      height: 1,
      values: Int16Array.from([5, -9999, 1]),
      nodata: -9999,
    });
    expect(Array.from(withValue.values)).toEqual([0, 255, 0]);
  });
});

describe('fillDepressions', () => {
  it('raises a pit to its spill elevation and leaves the rest', () => {
    const filled = fillDepressions(bowl);
    const expected = rowsOf(bowl);
    expected[2]![2] = 4;
    expect(rowsOf(filled)).toEqual(expected);
    // Plain filling leaves a flat of 4s, so the old pit has no direction.
    expect(flowDirection(filled).values[12]).toBe(0);
  });

  it('with epsilon, raises the flat by float64 steps so every cell drains to the outlet', () => {
    const filled = fillDepressions(bowl, { epsilon: true });
    for (let i = 0; i < 25; i++) {
      expect(filled.values[i]).toBeGreaterThanOrEqual(bowl.values[i]!);
      expect(filled.values[i]! - Math.max(bowl.values[i]!, 4)).toBeLessThan(1e-12);
    }
    expect(filled.values[12]).toBeGreaterThan(4);
    const dirs = flowDirection(filled);
    const acc = flowAccumulation(dirs);
    expect(acc.values[4 * 5 + 3]).toBe(25); // everything reaches the low rim cell
    expect(Array.from(catchment(dirs, { row: 4, col: 3 }))).toEqual(new Array(25).fill(1));
  });

  it('treats cells beside nodata as outlets', () => {
    const open = [
      [5, 5, 5, 5, 5],
      [5, 1, 5, 5, 5],
      [5, 5, 5, 5, 5],
      [5, 5, 5, 5, 5],
      [5, 5, 5, 5, 5],
    ];
    expect(fillDepressions(grid(open)).values[6]).toBe(5);
    const holed = open.map((r) => r.slice()) as (number | null)[][];
    holed[2]![2] = null;
    const filled = fillDepressions(grid(holed));
    expect(filled.values[6]).toBe(1);
    expect(Number.isNaN(filled.values[12])).toBe(true);
    const sentinel = fillDepressions({
      width: 3,
      height: 3,
      values: Int32Array.from([5, 5, 5, 5, 1, 5, 5, 5, -1]),
      nodata: -1,
    });
    expect(Array.from(sentinel.values)).toEqual([5, 5, 5, 5, 1, 5, 5, 5, -1]);
    expect(sentinel.nodata).toBe(-1);
  });

  it('fills nested depressions to the lowest spill, not the highest wall', () => {
    const g = grid([
      [9, 9, 9, 9, 9, 9],
      [9, 2, 6, 1, 3, 9],
      [9, 9, 9, 9, 9, 9],
      [9, 9, 9, 9, 9, 7],
    ]);
    // The 2, 6, 1, 3 pocket (two pits) has a rim of 9s all round: it fills to 9.
    expect(rowsOf(fillDepressions(g))[1]).toEqual([9, 9, 9, 9, 9, 9]);
    const lower = grid([
      [9, 9, 9, 9, 9, 9],
      [9, 2, 6, 1, 3, 9],
      [9, 9, 9, 9, 8, 9],
      [9, 9, 9, 9, 9, 7],
    ]);
    // With an 8 in the rim at (2, 4), next to the edge cell 7, the pocket spills at 8.
    expect(rowsOf(fillDepressions(lower))[1]).toEqual([9, 8, 8, 8, 8, 9]);
  });

  it('handles empty and one-cell grids', () => {
    expect(
      fillDepressions({ width: 0, height: 0, values: new Float64Array(0) }).values,
    ).toHaveLength(0);
    expect(Array.from(fillDepressions(grid([[3]])).values)).toEqual([3]);
    expect(() => fillDepressions({ width: 2, height: 2, values: new Float64Array(3) })).toThrow(
      RangeError,
    );
  });

  it('nextUp steps to the adjacent float64', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextUp(-Number.MIN_VALUE)).toBe(-0);
    expect(nextUp(-1)).toBeGreaterThan(-1);
    expect(nextUp(-1)).toBe(-1 + Number.EPSILON / 2);
    expect(nextUp(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('flowAccumulation', () => {
  it('counts upstream cells including the cell itself', () => {
    expect(rowsOf(flowAccumulation(flowDirection(cone)))).toEqual([
      [1, 1, 2],
      [1, 1, 2],
      [2, 1, 4],
    ]);
    expect(rowsOf(flowAccumulation(flowDirection(valley)))).toEqual([
      [1, 2, 5, 2, 1],
      [1, 2, 10, 2, 1],
      [1, 2, 15, 2, 1],
      [1, 2, 20, 2, 1],
      [1, 2, 25, 2, 1],
    ]);
  });

  it('sums weights instead of counts, nodata weights as 0', () => {
    const weights = grid([
      [1, 2, 3],
      [4, 5, 6],
      [7, null, 9],
    ]);
    expect(rowsOf(flowAccumulation(flowDirection(cone), { weights }))).toEqual([
      [1, 2, 5],
      [4, 5, 11],
      [11, 0, 20],
    ]);
    expect(() => flowAccumulation(flowDirection(cone), { weights: grid([[1, 2]]) })).toThrow(
      RangeError,
    );
  });

  it('gives NaN to nodata and treats flow off the grid or into nodata as leaving', () => {
    const acc = flowAccumulation(
      dirGrid([
        [16, 1, 1, 255],
        [64, 64, 4, 4],
      ]),
    );
    // (0,0) points west off the grid; (0,2) points east into nodata; (1,2), (1,3) point south off.
    expect(rowsOf(acc)).toEqual([
      [2, 2, 3, Number.NaN],
      [1, 1, 1, 1],
    ]);
    expect(Array.from(downstream(dirGrid([[16, 1, 255]])))).toEqual([-1, -1, -2]);
  });

  it('rejects cycles and invalid codes', () => {
    expect(() => flowAccumulation(dirGrid([[1, 16]]))).toThrow(/cycle/);
    expect(() => flowAccumulation(dirGrid([[3, 0]]))).toThrow(RangeError);
  });

  it('accumulates a million-cell chain without recursion', () => {
    const n = 1_000_000;
    const values = new Uint8Array(n).fill(1);
    values[n - 1] = 0;
    const dirs = { width: n, height: 1, values };
    const acc = flowAccumulation(dirs);
    expect(acc.values[n - 1]).toBe(n);
    expect(acc.values[0]).toBe(1);
    const mask = catchment(dirs, { row: 0, col: n - 1 });
    expect(mask.reduce((a, b) => a + b, 0)).toBe(n);
  });
});

describe('catchment, snapPourPoint, streams', () => {
  const dirs = flowDirection(valley);
  const acc = flowAccumulation(dirs);

  it('delineates the cells draining through a pour point', () => {
    expect(maskRows(catchment(dirs, { row: 2, col: 2 }), 5)).toEqual([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(maskRows(catchment(dirs, { row: 1, col: 1 }), 5)).toEqual([
      [0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(Array.from(catchment(dirGrid([[1, 255]]), { row: 0, col: 1 }))).toEqual([0, 0]);
    expect(() => catchment(dirs, { row: 5, col: 0 })).toThrow(RangeError);
  });

  it('snaps a pour point to the highest accumulation within the radius', () => {
    expect(snapPourPoint(acc, { row: 3, col: 0 }, 2)).toEqual({ row: 3, col: 2 });
    // Within radius 1 every cell has 1 (or 2 at (3,1)).
    expect(snapPourPoint(acc, { row: 3, col: 0 }, 1)).toEqual({ row: 3, col: 1 });
    expect(snapPourPoint(acc, { row: 3, col: 0 }, 0)).toEqual({ row: 3, col: 0 });
    // Radius 1.5 reaches (2,1), (3,1), (4,1), all at 2: the nearest, (3,1), wins.
    expect(snapPourPoint(acc, { row: 3, col: 0 }, 1.5)).toEqual({ row: 3, col: 1 });
    // (4,4) at radius 2: (4,2) has 25.
    expect(snapPourPoint(acc, { row: 4, col: 4 }, 2)).toEqual({ row: 4, col: 2 });
  });

  it('extracts streams where accumulation exceeds the threshold', () => {
    expect(maskRows(streams(acc, 9), 5)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 1, 0, 0],
    ]);
    expect(Array.from(streams(acc, 10)).reduce((a, b) => a + b, 0)).toBe(3);
    expect(
      Array.from(streams({ width: 2, height: 1, values: Float64Array.from([Number.NaN, 5]) }, 1)),
    ).toEqual([0, 1]);
  });
});
