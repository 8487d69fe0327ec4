// Zonal statistics (issue 19): properties against a brute-force per-cell reference.
//
// Polygons are generated in pixel space on a quarter-cell lattice (so vertices and edges often
// fall exactly on cell centres, edges and corners — the boundary cases) and mapped to map space
// by transforms with power-of-two cell sizes, which keeps the round trip exact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GeoTransform,
  type Grid,
  type PixelRule,
  type PolygonalGeometry,
  rasterizePolygon,
  zonalStatistics,
} from '../src/index.js';

type Pt = [number, number];
/** Pixel-space parts: each part a list of rings (even-odd), parts unioned. */
type Parts = Pt[][][];

const transformArb: fc.Arbitrary<GeoTransform> = fc.record({
  originX: fc.integer({ min: -1000, max: 1000 }),
  originY: fc.integer({ min: -1000, max: 1000 }),
  pixelWidth: fc.constantFrom(0.5, 1, 2, 4, -2),
  pixelHeight: fc.constantFrom(-0.5, -1, -2, -4, 2),
});

const toGeometry = (parts: Parts, t: GeoTransform): PolygonalGeometry => ({
  type: 'MultiPolygon',
  coordinates: parts.map((rings) =>
    rings.map((ring) =>
      ring.map(([c, r]) => [t.originX + c * t.pixelWidth, t.originY + r * t.pixelHeight]),
    ),
  ),
});

/** Even-odd with the documented half-open rule: odd number of crossings at x ≤ px. */
function centreIn(rings: Pt[][], px: number, py: number): boolean {
  let odd = false;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      let [xa, ya] = ring[i]!;
      let [xb, yb] = ring[(i + 1) % ring.length]!;
      if (ya > yb || (ya === yb && xa > xb)) [xa, ya, xb, yb] = [xb, yb, xa, ya];
      if (!(ya <= py && py < yb)) continue;
      const x = py === ya ? xa : xa + ((py - ya) * (xb - xa)) / (yb - ya);
      if (x <= px) odd = !odd;
    }
  }
  return odd;
}

/** Whether the closed segment meets the open box (bx0, bx1) × (by0, by1) (Liang–Barsky). */
function segmentMeetsOpenBox(a: Pt, b: Pt, bx0: number, by0: number, bx1: number, by1: number) {
  let lo = 0;
  let hi = 1;
  for (const [s, d, b0, b1] of [
    [a[0], b[0] - a[0], bx0, bx1],
    [a[1], b[1] - a[1], by0, by1],
  ] as const) {
    if (d === 0) {
      if (!(b0 < s && s < b1)) return false;
      continue;
    }
    const t0 = (b0 - s) / d;
    const t1 = (b1 - s) / d;
    lo = Math.max(lo, Math.min(t0, t1));
    hi = Math.min(hi, Math.max(t0, t1));
  }
  return lo < hi;
}

/** Reference mask: one point-in-polygon (and one segment/box test per edge) for every cell. */
function bruteMask(parts: Parts, width: number, height: number, rule: PixelRule): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let inside = parts.some((rings) => centreIn(rings, c + 0.5, r + 0.5));
      if (!inside && rule === 'all-touched') {
        inside = parts.some((rings) =>
          rings.some((ring) =>
            ring.some((p, i) =>
              segmentMeetsOpenBox(p, ring[(i + 1) % ring.length]!, c, r, c + 1, r + 1),
            ),
          ),
        );
      }
      out[r * width + c] = inside ? 1 : 0;
    }
  }
  return out;
}

const coord = (max: number) => fc.integer({ min: -8, max: max * 4 + 8 }).map((v) => v / 4);
const pointArb = (w: number, h: number) => fc.tuple(coord(w), coord(h)) as fc.Arbitrary<Pt>;

/** Convex hull (monotone chain); may be degenerate for collinear input. */
function hull(points: Pt[]): Pt[] {
  const ps = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Pt, a: Pt, b: Pt) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const p of ps) {
    while (lower.length >= 2 && cross(lower.at(-2)!, lower.at(-1)!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (const p of ps.reverse()) {
    while (upper.length >= 2 && cross(upper.at(-2)!, upper.at(-1)!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

const sizeArb = fc.record({
  width: fc.integer({ min: 1, max: 12 }),
  height: fc.integer({ min: 1, max: 12 }),
});

/** A raster size and a convex polygon over (and around) it. */
const convexCase = sizeArb.chain(({ width, height }) =>
  fc.record({
    width: fc.constant(width),
    height: fc.constant(height),
    parts: fc
      .array(pointArb(width, height), { minLength: 3, maxLength: 10 })
      .map((pts) => [[hull(pts)]] as Parts)
      .filter((p) => p[0]![0]!.length >= 3),
  }),
);

/** A raster size and arbitrary parts: self-intersecting rings, holes, overlapping parts. */
const wildCase = sizeArb.chain(({ width, height }) =>
  fc.record({
    width: fc.constant(width),
    height: fc.constant(height),
    parts: fc.array(
      fc.array(fc.array(pointArb(width, height), { minLength: 3, maxLength: 7 }), {
        minLength: 1,
        maxLength: 3,
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

const ruleArb = fc.constantFrom<PixelRule>('centre-inside', 'all-touched');

describe('zonal properties: rasterizePolygon', () => {
  it('equals the brute-force per-cell reference (convex polygons, both rules)', () => {
    fc.assert(
      fc.property(convexCase, transformArb, ruleArb, ({ width, height, parts }, t, rule) => {
        const got = rasterizePolygon(toGeometry(parts, t), t, width, height, rule);
        expect([...got]).toEqual([...bruteMask(parts, width, height, rule)]);
      }),
      { numRuns: 400 },
    );
  });
  it('equals the brute-force reference (self-intersecting rings, holes, multipolygons)', () => {
    fc.assert(
      fc.property(wildCase, transformArb, ruleArb, ({ width, height, parts }, t, rule) => {
        const got = rasterizePolygon(toGeometry(parts, t), t, width, height, rule);
        expect([...got]).toEqual([...bruteMask(parts, width, height, rule)]);
      }),
      { numRuns: 300 },
    );
  });
  it('all-touched ⊇ centre-inside', () => {
    fc.assert(
      fc.property(wildCase, transformArb, ({ width, height, parts }, t) => {
        const g = toGeometry(parts, t);
        const ci = rasterizePolygon(g, t, width, height, 'centre-inside');
        const at = rasterizePolygon(g, t, width, height, 'all-touched');
        for (let i = 0; i < ci.length; i++) if (ci[i]) expect(at[i]).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

/** Sorted distinct cut positions strictly inside (0, n), in steps of `step`. */
const cutsArb = (n: number, step: number): fc.Arbitrary<number[]> =>
  Math.round(n / step) < 2
    ? fc.constant([0, n])
    : fc
        .uniqueArray(fc.integer({ min: 1, max: Math.round(n / step) - 1 }), { maxLength: 5 })
        .map((cs) => [0, ...cs.map((c) => c * step).sort((a, b) => a - b), n]);

/** Columns strips, each cut into rectangles at its own rows (T-junctions between strips). */
const partitionArb = (step: number) =>
  fc
    .record({ width: fc.integer({ min: 1, max: 14 }), height: fc.integer({ min: 1, max: 14 }) })
    .chain(({ width, height }) =>
      cutsArb(width, step).chain((xs) =>
        fc
          .array(cutsArb(height, step), { minLength: xs.length - 1, maxLength: xs.length - 1 })
          .map((ys) => {
            const rects: Pt[][] = [];
            for (let i = 0; i + 1 < xs.length; i++) {
              const yc = ys[i]!;
              for (let j = 0; j + 1 < yc.length; j++) {
                const [c0, c1, r0, r1] = [xs[i]!, xs[i + 1]!, yc[j]!, yc[j + 1]!];
                rects.push([
                  [c0, r0],
                  [c1, r0],
                  [c1, r1],
                  [c0, r1],
                ]);
              }
            }
            return { width, height, rects };
          }),
      ),
    );

describe('zonal properties: partitions', () => {
  for (const [label, step] of [
    ['on pixel boundaries', 1],
    ['through pixel centres (half-pixel cuts)', 0.5],
  ] as const) {
    it(`rectangles partitioning the raster ${label}: centre-inside counts every cell exactly once`, () => {
      fc.assert(
        fc.property(partitionArb(step), transformArb, ({ width, height, rects }, t) => {
          const grid: Grid = { width, height, values: new Float32Array(width * height).fill(1) };
          const zones = rects.map((r, id) => ({ id, geometry: toGeometry([[r]], t) }));
          const stats = zonalStatistics(grid, t, zones, { rule: 'centre-inside' });
          expect(stats.reduce((a, s) => a + s.count, 0)).toBe(width * height);
          const seen = new Uint8Array(width * height);
          for (const z of zones) {
            const m = rasterizePolygon(z.geometry, t, width, height, 'centre-inside');
            for (let i = 0; i < m.length; i++) seen[i]! += m[i]!;
          }
          expect([...seen].every((v) => v === 1)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }
  it('a raster cut in two by a random line: centre-inside counts every cell exactly once', () => {
    fc.assert(
      fc.property(
        sizeArb,
        fc.integer({ min: 0, max: 48 }),
        fc.integer({ min: 0, max: 48 }),
        transformArb,
        ({ width, height }, a, b, t) => {
          // Cut from a point on the top edge to a point on the bottom edge (quarter lattice).
          const xa = Math.min(a / 4, width);
          const xb = Math.min(b / 4, width);
          const left: Pt[] = [
            [0, 0],
            [xa, 0],
            [xb, height],
            [0, height],
          ];
          const right: Pt[] = [
            [xa, 0],
            [width, 0],
            [width, height],
            [xb, height],
          ];
          const ml = rasterizePolygon(toGeometry([[left]], t), t, width, height);
          const mr = rasterizePolygon(toGeometry([[right]], t), t, width, height);
          for (let i = 0; i < ml.length; i++) expect(ml[i]! + mr[i]!).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Reference statistics by a plain loop over every cell and a two-pass variance. */
function bruteStats(grid: Grid, mask: Uint8Array) {
  const xs: number[] = [];
  let nodata = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const v = grid.values[i]!;
    if (Number.isNaN(v) || v === grid.nodata) nodata++;
    else xs.push(v);
  }
  const n = xs.length;
  const sum = xs.reduce((a, v) => a + v, 0);
  const mean = sum / n;
  const ss = xs.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    count: n,
    nodata,
    sum,
    mean,
    min: n ? Math.min(...xs) : Number.NaN,
    max: n ? Math.max(...xs) : Number.NaN,
    std: Math.sqrt(ss / n),
    sampleStd: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
  };
}

function close(got: number, want: number, scale: number) {
  if (Number.isNaN(want)) expect(got).toBeNaN();
  else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));
}

describe('zonal properties: statistics', () => {
  it('equal a brute-force pixel loop on random small rasters and convex polygons', () => {
    const cellArb = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: -1000, max: 1000 }).map((v) => v / 8) },
      { weight: 1, arbitrary: fc.constant(-9999) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    );
    fc.assert(
      fc.property(
        convexCase.chain((c) =>
          fc.record({
            c: fc.constant(c),
            values: fc.array(cellArb, {
              minLength: c.width * c.height,
              maxLength: c.width * c.height,
            }),
          }),
        ),
        fc.array(
          convexCase.map((c) => c.parts),
          { maxLength: 3 },
        ),
        transformArb,
        ruleArb,
        ({ c, values }, more, t, rule) => {
          const grid: Grid = {
            width: c.width,
            height: c.height,
            values: Float32Array.from(values),
            nodata: -9999,
          };
          const all = [c.parts, ...more];
          const zones = all.map((parts, id) => ({ id, geometry: toGeometry(parts, t) }));
          const got = zonalStatistics(grid, t, zones, { rule });
          got.forEach((s, k) => {
            expect(s.id).toBe(k);
            const want = bruteStats(grid, bruteMask(all[k]!, c.width, c.height, rule));
            expect(s.count).toBe(want.count);
            expect(s.nodata).toBe(want.nodata);
            if (want.count === 0) {
              expect(s.sum).toBe(0);
              expect(s.mean).toBeNaN();
              return;
            }
            expect(s.min).toBe(want.min);
            expect(s.max).toBe(want.max);
            const scale = Math.max(Math.abs(want.min), Math.abs(want.max));
            close(s.sum, want.sum, scale * want.count);
            close(s.mean, want.mean, scale);
            close(s.std, want.std, scale);
            close(s.sampleStd, want.sampleStd, scale);
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
