import { describe, expect, it } from 'vitest';
import { monthFeed, timeMonths } from '../../../bench/hydrology-polish.js';

describe('hydrology-polish benchmark smoke test', () => {
  it('polishes the first two months of the feed (not timed)', () => {
    const timings = timeMonths(monthFeed(2), 1);
    expect(timings.map((t) => t.key)).toEqual(['2016-01-01', '2016-02-01']);
    for (const t of timings) {
      expect(t.points).toBeGreaterThan(8000);
      expect(t.polishSeconds).toBeGreaterThan(0);
    }
  });
});
