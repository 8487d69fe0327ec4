// Drainage basins: a hand-made grid, and on random DEMs each basin equals the catchment of its
// outlet and the basins partition the data cells.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchment, drainageBasins, flowDirection, type Grid } from '../src/index.js';

const NODATA = -9999;

describe('drainageBasins', () => {
  it('labels two valleys draining to opposite edges (the ridge goes east: ties go to E)', () => {
    const dem: Grid<Float64Array> = {
      width: 5,
      height: 2,
      values: Float64Array.of(1, 2, 3, 2, 1, 1, 2, 3, 2, 1),
    };
    const { labels, outlets } = drainageBasins(flowDirection(dem));
    expect(outlets.map((o) => [o.row, o.col, o.cells])).toEqual([
      [0, 0, 2],
      [0, 4, 3],
      [1, 0, 2],
      [1, 4, 3],
    ]);
    expect([...labels]).toEqual([1, 1, 2, 2, 2, 3, 3, 4, 4, 4]);
  });

  it('equals the catchment of each outlet, and partitions the data cells', () => {
    const demArb = fc
      .record({ width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }) })
      .chain(({ width, height }) =>
        fc
          .array(
            fc.oneof(
              { arbitrary: fc.integer({ min: 0, max: 9 }), weight: 9 },
              { arbitrary: fc.constant(NODATA), weight: 1 },
            ),
            { minLength: width * height, maxLength: width * height },
          )
          .map((v) => ({ width, height, values: Float64Array.from(v), nodata: NODATA })),
      );
    fc.assert(
      fc.property(demArb, (dem) => {
        const dirs = flowDirection(dem);
        const { labels, outlets } = drainageBasins(dirs);
        let cells = 0;
        for (const outlet of outlets) {
          const mask = catchment(dirs, outlet);
          expect([...labels].map((l) => (l === outlet.label ? 1 : 0))).toEqual([...mask]);
          cells += outlet.cells;
        }
        const data = [...dem.values].filter((v) => v !== NODATA).length;
        expect(cells).toBe(data);
        expect([...labels].filter((l) => l === 0).length).toBe(dem.values.length - data);
      }),
      { numRuns: 300 },
    );
  });
});
