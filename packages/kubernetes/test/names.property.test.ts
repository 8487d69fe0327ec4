/**
 * Property tests of names: any asset key, partition and launch id gives a Job name that is a
 * DNS-1123 label of at most 63 characters, the same every time, and different for different
 * steps or launches; any text gives a valid label value, unchanged when it was one already.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobNameOf, labelValueOf, slugOf } from '../src/index.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Asset keys as users write them, and anything else a string can hold. */
const key = fc.oneof(
  fc
    .array(fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join('/')),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
const partition = fc.option(
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  {
    nil: undefined,
  },
);
const tags = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?$/), {
  maxLength: 4,
});
const id = fc.uuid();
const prefix = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/);
const request = fc.record({
  asset: fc.option(key, { nil: undefined }),
  partition,
  workerTags: tags,
  id,
});

describe('jobNameOf', () => {
  it('is a DNS-1123 label of at most 63 characters, for any key, partition, tags, id and prefix', () => {
    fc.assert(
      fc.property(request, prefix, (r, p) => {
        const name = jobNameOf(r, p);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name).toMatch(DNS_LABEL);
        expect(name.startsWith(`${p}-`)).toBe(true);
        expect(jobNameOf(r, p)).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps as much of a readable key as fits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9]{0,60}(\/[a-z][a-z0-9]{0,20}){0,3}$/),
        id,
        (k, i) => {
          const name = jobNameOf({ asset: k, partition: undefined, workerTags: [], id: i });
          const slug = slugOf(k);
          const kept = name.slice('weir-'.length, -11);
          expect(slug.startsWith(kept)).toBe(true);
          expect(kept.length).toBeGreaterThanOrEqual(Math.min(slug.length, 47) - 1);
        },
      ),
    );
  });

  it('differs between two steps, or two launches of one step', () => {
    fc.assert(
      fc.property(request, request, (a, b) => {
        fc.pre(
          a.asset !== b.asset ||
            a.partition !== b.partition ||
            a.id !== b.id ||
            a.workerTags.join(',') !== b.workerTags.join(','),
        );
        expect(jobNameOf(a)).not.toBe(jobNameOf(b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('labelValueOf', () => {
  it('is a label value for any text, and leaves a valid one as it is', () => {
    fc.assert(
      fc.property(
        fc.oneof(key, fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/)),
        (text) => {
          const value = labelValueOf(text);
          expect(value.length).toBeLessThanOrEqual(63);
          expect(value).toMatch(LABEL_VALUE);
          if (text !== '') expect(value).not.toBe('');
          if (LABEL_VALUE.test(text) && text !== '' && text.length <= 63) expect(value).toBe(text);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives two texts different values', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        fc.pre(a !== b);
        expect(labelValueOf(a)).not.toBe(labelValueOf(b));
      }),
      { numRuns: 2000 },
    );
  });
});
