// nDCG@k and recall@k on rankings worked out by hand; and the geometry the distance filter uses.
import { describe, expect, it } from 'vitest';
import { boundingBox, haversineKm, mean, ndcgAt, recallAt } from '../src/search/index.js';

describe('ndcgAt', () => {
  const judged = new Map([
    ['a', 2],
    ['b', 1],
    ['c', 0],
  ]);

  it('is 1 for the ideal order and less for others', () => {
    expect(ndcgAt(['a', 'b', 'x'], judged)).toBe(1);
    // DCG of b, a: 1/log2(2) + 3/log2(3); ideal: 3 + 1/log2(3).
    const expected = (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3));
    expect(ndcgAt(['b', 'a'], judged)).toBeCloseTo(expected, 12);
    expect(ndcgAt(['x', 'c'], judged)).toBe(0);
  });

  it('looks at the first k only', () => {
    expect(ndcgAt(['x', 'a', 'b'], judged, 1)).toBe(0);
    expect(ndcgAt(['a', 'x', 'b'], judged, 1)).toBe(1);
  });

  it('is 0 when nothing is relevant', () => {
    expect(ndcgAt(['a'], new Map([['a', 0]]))).toBe(0);
  });
});

describe('recallAt', () => {
  it('is the share of relevant items found in the first k', () => {
    const judged = new Map([
      ['a', 2],
      ['b', 1],
      ['c', 0],
    ]);
    expect(recallAt(['a', 'c'], judged)).toBe(0.5);
    expect(recallAt(['c', 'b', 'a'], judged, 2)).toBe(0.5);
    expect(recallAt(['b', 'a'], judged)).toBe(1);
    expect(recallAt([], new Map())).toBe(0);
  });

  it('averages', () => {
    expect(mean([0.5, 1])).toBe(0.75);
    expect(mean([])).toBe(0);
  });
});

describe('geometry', () => {
  it('measures great-circle distances', () => {
    // Washington Monument to the Capitol: about 2.2 km.
    expect(haversineKm(38.8895, -77.0353, 38.8899, -77.0091)).toBeCloseTo(2.27, 1);
    expect(haversineKm(0, 0, 0, 180)).toBeCloseTo(20015, -1);
  });

  it('boxes every point of the circle', () => {
    const box = boundingBox(38.9, -77, 10);
    for (let bearing = 0; bearing < 360; bearing += 15) {
      const rad = (bearing * Math.PI) / 180;
      const lat = 38.9 + (9.99 / 111.2) * Math.cos(rad);
      const lon = -77 + ((9.99 / 111.2) * Math.sin(rad)) / Math.cos((lat * Math.PI) / 180);
      expect(haversineKm(38.9, -77, lat, lon)).toBeLessThan(10.1);
      expect(lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon).toBe(
        true,
      );
    }
    expect(boundingBox(89.99, 0, 50)).toMatchObject({ minLon: -180, maxLon: 180 });
  });
});
