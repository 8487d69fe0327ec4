// fast-check generators shared by the property tests.
import fc from 'fast-check';
import { createSeries, type Series } from '../src/index.js';

/** A regular series: step ms apart, values from the arbitrary (NaN allowed when asked). */
export function seriesArb(
  options: { nan?: boolean; min?: number; max?: number; maxLength?: number } = {},
): fc.Arbitrary<Series> {
  const value = fc.double({ min: options.min ?? -1e6, max: options.max ?? 1e6, noNaN: true });
  const cell = options.nan
    ? fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(Number.NaN) })
    : value;
  return fc
    .tuple(
      fc.array(cell, { maxLength: options.maxLength ?? 80 }),
      fc.integer({ min: 1, max: 3_600_000 }),
    )
    .map(([vs, step]) =>
      createSeries(
        'x',
        Float64Array.from(vs, (_, i) => i * step),
        Float64Array.from(vs),
      ),
    );
}

/** Regular series from plain values, 15 minutes apart. */
export function series(values: number[], step = 900_000): Series {
  return createSeries(
    'x',
    Float64Array.from(values, (_, i) => i * step),
    Float64Array.from(values),
  );
}
