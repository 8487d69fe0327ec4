// Properties of the hydrology kernels on random small DEMs (integer elevations, so flats and ties
// are common; some nodata cells), checked against brute-force references.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  catchment,
  D8_DCOL,
  D8_DROW,
  dataMask,
  downstream,
  fillDepressions,
  flowAccumulation,
  flowDirection,
  type Grid,
} from '../src/index.js';

const NODATA = -9999;

/** A random DEM up to 12 × 12, elevations 0..9, about one cell in ten nodata when `holes`. */
const demArb = (holes: boolean) =>
  fc
    .record({ width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }) })
    .chain(({ width, height }) =>
      fc
        .array(
          holes
            ? fc.oneof(
                { arbitrary: fc.integer({ min: 0, max: 9 }), weight: 9 },
                { arbitrary: fc.constant(NODATA), weight: 1 },
              )
            : fc.integer({ min: 0, max: 9 }),
          { minLength: width * height, maxLength: width * height },
        )
        .map(
          (vals): Grid<Float64Array> => ({
            width,
            height,
            values: Float64Array.from(vals),
            nodata: NODATA,
          }),
        ),
    );

function neighbours(g: Grid, i: number): number[] {
  const row = Math.floor(i / g.width);
  const col = i % g.width;
  const out: number[] = [];
  for (let k = 0; k < 8; k++) {
    const r = row + D8_DROW[k]!;
    const c = col + D8_DCOL[k]!;
    if (r >= 0 && r < g.height && c >= 0 && c < g.width) out.push(r * g.width + c);
  }
  return out;
}

/** Data cells on the edge or beside nodata. */
function outlets(g: Grid): Uint8Array {
  const data = dataMask(g);
  return Uint8Array.from(data, (d, i) => {
    if (d === 0) return 0;
    const row = Math.floor(i / g.width);
    const col = i % g.width;
    if (row === 0 || col === 0 || row === g.height - 1 || col === g.width - 1) return 1;
    return neighbours(g, i).some((j) => data[j] === 0) ? 1 : 0;
  });
}

/** Spill elevations by relaxation to a fixed point: the definition, slowly. */
function referenceFill(g: Grid): number[] {
  const data = dataMask(g);
  const out = outlets(g);
  const z = Array.from(g.values);
  const w = z.map((v, i) => (data[i] === 0 || out[i] === 1 ? v : Number.POSITIVE_INFINITY));
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < w.length; i++) {
      if (data[i] === 0 || out[i] === 1) continue;
      let low = Number.POSITIVE_INFINITY;
      for (const j of neighbours(g, i)) if (data[j] === 1) low = Math.min(low, w[j]!);
      const v = Math.max(z[i]!, low);
      if (v < w[i]!) {
        w[i] = v;
        changed = true;
      }
    }
  }
  return w;
}

/** Follows directions from `i` to its terminal cell, failing on a cycle. */
function terminalOf(down: Int32Array, i: number): number {
  let steps = 0;
  while (down[i]! >= 0) {
    i = down[i]!;
    if (++steps > down.length) throw new Error('cycle');
  }
  return i;
}

const runs = { numRuns: 300 };

describe('hydrology properties', () => {
  it('plain filling gives the spill elevations (≥ the DEM, nodata untouched)', () => {
    fc.assert(
      fc.property(demArb(true), (dem) => {
        const filled = fillDepressions(dem);
        const ref = referenceFill(dem);
        expect(Array.from(filled.values)).toEqual(ref);
        for (let i = 0; i < ref.length; i++)
          expect(filled.values[i]!).toBeGreaterThanOrEqual(dem.values[i]!);
      }),
      runs,
    );
  });

  it('filled DEMs have no interior pits; with epsilon every non-outlet cell has a lower neighbour', () => {
    fc.assert(
      fc.property(demArb(true), (dem) => {
        const data = dataMask(dem);
        const out = outlets(dem);
        const plain = fillDepressions(dem);
        const eps = fillDepressions(dem, { epsilon: true });
        for (let i = 0; i < data.length; i++) {
          if (data[i] === 0) {
            expect(eps.values[i]).toBe(NODATA);
            continue;
          }
          expect(eps.values[i]!).toBeGreaterThanOrEqual(plain.values[i]!);
          expect(eps.values[i]! - plain.values[i]!).toBeLessThan(1e-9);
          if (out[i] === 1) continue;
          const ns = neighbours(dem, i).filter((j) => data[j] === 1);
          expect(ns.some((j) => plain.values[j]! <= plain.values[i]!)).toBe(true);
          expect(ns.some((j) => eps.values[j]! < eps.values[i]!)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('after epsilon filling, every data cell drains to an outlet (no cycles, no pits)', () => {
    fc.assert(
      fc.property(demArb(true), (dem) => {
        const out = outlets(dem);
        const dirs = flowDirection(fillDepressions(dem, { epsilon: true }));
        const down = downstream(dirs);
        for (let i = 0; i < down.length; i++) {
          if (down[i] === -2) continue;
          if (out[i] === 0) expect(dirs.values[i]).not.toBe(0);
          expect(out[terminalOf(down, i)]).toBe(1);
        }
      }),
      runs,
    );
  });

  it('accumulation matches walking every path, and outlets conserve the cell count', () => {
    fc.assert(
      fc.property(demArb(true), fc.boolean(), (dem, fill) => {
        const dirs = flowDirection(fill ? fillDepressions(dem, { epsilon: true }) : dem);
        const acc = flowAccumulation(dirs);
        const down = downstream(dirs);
        const naive = new Array<number>(down.length).fill(0);
        let dataCells = 0;
        for (let i = 0; i < down.length; i++) {
          if (down[i] === -2) continue;
          dataCells++;
          for (let j = i; ; j = down[j]!) {
            naive[j]!++;
            if (down[j]! < 0) break;
          }
        }
        let atTerminals = 0;
        for (let i = 0; i < down.length; i++) {
          if (down[i] === -2) expect(Number.isNaN(acc.values[i])).toBe(true);
          else expect(acc.values[i]).toBe(naive[i]);
          if (down[i] === -1) atTerminals += acc.values[i]!;
        }
        expect(atTerminals).toBe(dataCells);
      }),
      runs,
    );
  });

  it('catchments are the cells whose paths pass through the pour point; terminals partition the grid', () => {
    fc.assert(
      fc.property(demArb(true), fc.nat(), (dem, pick) => {
        const dirs = flowDirection(dem);
        const acc = flowAccumulation(dirs);
        const down = downstream(dirs);
        const n = down.length;
        const pour = pick % n;
        const mask = catchment(dirs, { row: Math.floor(pour / dem.width), col: pour % dem.width });
        for (let i = 0; i < n; i++) {
          let through = false;
          if (down[i] !== -2 && down[pour] !== -2) {
            for (let j = i; ; j = down[j]!) {
              if (j === pour) through = true;
              if (through || down[j]! < 0) break;
            }
          }
          expect(mask[i]).toBe(through ? 1 : 0);
        }
        const owner = new Int32Array(n).fill(-1);
        for (let t = 0; t < n; t++) {
          if (down[t] !== -1) continue;
          const m = catchment(dirs, { row: Math.floor(t / dem.width), col: t % dem.width });
          let count = 0;
          for (let i = 0; i < n; i++) {
            if (m[i] === 0) continue;
            expect(owner[i]).toBe(-1);
            owner[i] = t;
            count++;
          }
          expect(count).toBe(acc.values[t]);
        }
        for (let i = 0; i < n; i++) expect(owner[i] === -1).toBe(down[i] === -2);
      }),
      { numRuns: 150 },
    );
  });

  it('the catchment of the outlet of a closed basin is the whole basin', () => {
    fc.assert(
      fc.property(
        demArb(false).filter((d) => d.width >= 3 && d.height >= 3),
        fc.nat(),
        (dem, pick) => {
          const { width, height } = dem;
          // Walls of 100 round the random interior, with one low outlet on the edge.
          const values = Float64Array.from(dem.values, (v, i) => {
            const r = Math.floor(i / width);
            const c = i % width;
            return r === 0 || c === 0 || r === height - 1 || c === width - 1 ? 100 : v;
          });
          const edge: number[] = [];
          for (let i = 0; i < values.length; i++) if (values[i] === 100) edge.push(i);
          const outlet = edge[pick % edge.length]!;
          values[outlet] = -1;
          const dirs = flowDirection(fillDepressions({ ...dem, values }, { epsilon: true }));
          const mask = catchment(dirs, { row: Math.floor(outlet / width), col: outlet % width });
          // Walls and interior alike drain to the outlet (a wall cell always touches a lower,
          // filled interior cell).
          expect(Array.from(mask)).toEqual(new Array(values.length).fill(1));
          expect(flowAccumulation(dirs).values[outlet]).toBe(values.length);
        },
      ),
      runs,
    );
  });
});
