// The hsds-normalise benchmark on a few made-up values of each kind (not timed): every kind runs
// its normaliser and its baseline, and the figures are there.
import { describe, expect, it } from 'vitest';
import { fieldSets, runNormaliseBench } from '../../../bench/hsds-normalise.js';

describe('hsds-normalise benchmark smoke test', () => {
  it('runs every kind of field on tiny input', () => {
    const sets = fieldSets({
      phones: ['(206) 555-0100 ext. 12; fax 206-555-0199', 'TTY: 711'],
      urls: ['www.Example.org', 'info@example.org'],
      addressColumns: [
        {
          address_1: '12 Oak Ave Suite 3',
          city: 'Springfield',
          state_province: 'Illinois',
          postal_code: '627011234',
        },
      ],
      addressLines: ['12 Oak Ave, Springfield, IL 62701 (side door)'],
      hours: ['9:00 am - 5:00 pm, Monday - Friday', 'M-F 8:30-4:30', 'By appointment'],
      openHours: [{ '1': [[900, 1700]] }],
      taxonomy: [
        { codes: 'BD-1800.2000; BD-5000.8300', terms: 'Food Pantries; Soup Kitchens', paths: '' },
      ],
      languages: ['English, Spanish; Cantonese', 'Eng/Span'],
      statuses: ['Active', 'Inactive'],
    });
    const timings = runNormaliseBench(sets, 1);
    expect(timings.map((t) => t.kind)).toEqual([
      'phone',
      'url',
      'address (columns)',
      'address (one line)',
      'opening hours (text)',
      'opening hours (JSON)',
      'taxonomy',
      'languages',
      'status',
    ]);
    for (const t of timings) {
      expect(t.records).toBeGreaterThan(0);
      expect(t.normaliseSeconds).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(t.ratio)).toBe(true);
    }
  });
});
