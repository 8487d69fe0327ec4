// Polygonizing a mask: hand-made shapes, and properties on random masks (rasterizing the polygons
// gives the mask back; one polygon per 4-connected component; GeoJSON ring orientation).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MultiPolygonGeometry, polygonize, rasterizePolygon } from '../src/index.js';

const NORTH_UP = [100, 2, 0, 50, 0, -2];

function shoelace(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    sum += x0! * y1! - x1! * y0!;
  }
  return sum / 2;
}

/** The 4-connected components of the non-zero cells. */
function components(mask: Uint8Array, width: number): number {
  const height = mask.length / width;
  const seen = new Uint8Array(mask.length);
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || seen[start]) continue;
    count++;
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const r = Math.floor(i / width);
      const c = i % width;
      for (const [dr, dc] of [
        [0, 1],
        [1, 0],
        [0, -1],
        [-1, 0],
      ] as const) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr < 0 || cc < 0 || rr >= height || cc >= width) continue;
        const j = rr * width + cc;
        if (mask[j] !== 0 && !seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
  }
  return count;
}

describe('polygonize', () => {
  it('traces one cell as a counter-clockwise square in map coordinates', () => {
    const geometry = polygonize(Uint8Array.of(1), NORTH_UP, { width: 1 });
    expect(geometry.coordinates).toHaveLength(1);
    const [ring] = geometry.coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring![4]).toEqual(ring![0]);
    expect(shoelace(ring!)).toBe(4);
    expect(new Set(ring!.map((p) => p.join(',')))).toEqual(
      new Set(['100,50', '102,50', '102,48', '100,48']),
    );
  });

  it('keeps a hole as a clockwise ring of its polygon, and an island in it as its own polygon', () => {
    // 5 × 5: a ring of cells around a hole of 3 × 3 with an island cell in the middle.
    const mask = new Uint8Array(25);
    for (let i = 0; i < 25; i++) {
      const r = Math.floor(i / 5);
      const c = i % 5;
      mask[i] = r === 0 || r === 4 || c === 0 || c === 4 || (r === 2 && c === 2) ? 1 : 0;
    }
    const geometry = polygonize(mask, NORTH_UP, { width: 5 });
    const byArea = [...geometry.coordinates].sort((a, b) => shoelace(b[0]!) - shoelace(a[0]!));
    expect(byArea.map((p) => p.length)).toEqual([2, 1]);
    expect(shoelace(byArea[0]![0]!)).toBe(100);
    expect(shoelace(byArea[0]![1]!)).toBe(-36);
    expect(shoelace(byArea[1]![0]!)).toBe(4);
  });

  it('separates cells that touch only at a corner (4-connectedness)', () => {
    const mask = Uint8Array.of(1, 0, 0, 1);
    expect(polygonize(mask, NORTH_UP, { width: 2 }).coordinates).toHaveLength(2);
    // The other diagonal around a hole: one polygon whose hole ring touches itself.
    const ring = Uint8Array.of(1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1);
    const holed = polygonize(ring, NORTH_UP, { width: 4 });
    expect(holed.coordinates).toHaveLength(1);
    expect(rasterizePolygon(holed, NORTH_UP, 4, 4)).toEqual(ring);
  });

  it('selects the cells of one value of a labelled grid', () => {
    const labels = { width: 3, height: 1, values: Int32Array.of(1, 2, 1) };
    expect(polygonize(labels, NORTH_UP, { value: 1 }).coordinates).toHaveLength(2);
    expect(polygonize(labels, NORTH_UP, { value: 2 }).coordinates).toHaveLength(1);
    expect(polygonize(labels, NORTH_UP, { value: 3 }).coordinates).toHaveLength(0);
  });

  it('refuses a mask without a width, or whose size is not a multiple of it', () => {
    expect(() => polygonize(new Uint8Array(4), NORTH_UP)).toThrow(/options.width/);
    expect(() => polygonize(new Uint8Array(5), NORTH_UP, { width: 2 })).toThrow(/multiple/);
  });

  const maskArb = fc
    .record({ width: fc.integer({ min: 1, max: 10 }), height: fc.integer({ min: 1, max: 10 }) })
    .chain(({ width, height }) =>
      fc
        .uint8Array({ min: 0, max: 1, minLength: width * height, maxLength: width * height })
        .map((mask) => ({ width, height, mask })),
    );
  const transformArb = fc.constantFrom(
    NORTH_UP,
    [0, 1, 0, 0, 0, 1],
    [-5, -0.5, 0, 7, 0, 0.25],
    [3, -1, 0, 3, 0, -1],
  );

  it('gives back the mask when its polygons are rasterized (centre inside)', () => {
    fc.assert(
      fc.property(maskArb, transformArb, ({ width, height, mask }, gt) => {
        const geometry = polygonize(mask, gt, { width });
        const back = rasterizePolygon(geometry, gt, width, height, 'centre-inside');
        expect(back).toEqual(mask);
        expect(geometry.coordinates).toHaveLength(components(mask, width));
      }),
      { numRuns: 400 },
    );
  });

  it('closes simple rings, exteriors counter-clockwise and holes clockwise, areas adding up', () => {
    fc.assert(
      fc.property(maskArb, transformArb, ({ width, mask }, gt) => {
        const geometry: MultiPolygonGeometry = polygonize(mask, gt, { width });
        const cellArea = Math.abs(gt[1]! * gt[5]!);
        let area = 0;
        for (const [exterior, ...holes] of geometry.coordinates) {
          for (const ring of [exterior!, ...holes]) {
            expect(ring.at(-1)).toEqual(ring[0]);
            // Simple rings: no vertex twice (a corner where cells touch splits the ring).
            const vertices = ring.slice(0, -1).map((p) => p.join(','));
            expect(new Set(vertices).size).toBe(vertices.length);
          }
          expect(shoelace(exterior!)).toBeGreaterThan(0);
          area += shoelace(exterior!);
          for (const hole of holes) {
            expect(shoelace(hole)).toBeLessThan(0);
            area += shoelace(hole);
          }
        }
        expect(area).toBeCloseTo(mask.reduce((s, v) => s + v, 0) * cellArea, 9);
      }),
      { numRuns: 400 },
    );
  });
});
