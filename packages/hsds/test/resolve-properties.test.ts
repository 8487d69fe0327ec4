// Properties of entity resolution (fast-check): similarities and pair scores are symmetric;
// the incremental resolver, after any sequence of batches, holds exactly the matches and
// clusters a full resolve of its records finds, also across a JSON round trip; and the result
// does not depend on the order records are given in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  EntityResolver,
  jaroWinkler,
  prepareRecord,
  type ResolvableRecord,
  type ResolverOptions,
  resolveAll,
  scorePair,
  tokenSetSimilarity,
} from '../src/resolve/index.js';

// Small pools, so that records often share names, streets, phones and places.
const NAMES = [
  'Bellingham Food Bank',
  'bellingham food bank',
  'Ferndale Food Bank',
  'St. Anthony Dining Room',
  'Saint Anthony Foundation Dining Room',
  'Whatcom County',
  'Whatcom County Courts',
  'Lydia Place',
  'YMCA',
  'Y.M.C.A.',
];
const STREETS = ['Main Street', 'Main St', 'Ellis St.', 'Kwina Road', 'High Street'];

const recordArb = (id: string) =>
  fc
    .record({
      name: fc.constantFrom(...NAMES),
      alternateName: fc.option(fc.constantFrom('Food Pantry', 'Dining Room', 'Shelter'), {
        nil: undefined,
      }),
      number: fc.option(fc.constantFrom('12', '14', '100'), { nil: undefined }),
      street: fc.constantFrom(...STREETS),
      unit: fc.option(fc.constantFrom('Suite 1', 'Room 2', '#3'), { nil: undefined }),
      postal: fc.option(fc.constantFrom('98225', '98226', '98225-1234'), { nil: undefined }),
      postalOnly: fc.boolean(),
      phones: fc.subarray(['+13605550100', '+13605550101', '+12065550100']),
      point: fc.option(fc.constantFrom([48.75, -122.48], [48.7501, -122.4801], [47.6, -122.3]), {
        nil: undefined,
      }),
      website: fc.option(
        fc.constantFrom(
          'https://www.foodbank.org',
          'foodbank.org/x',
          'https://facebook.com/fb',
          'ymca.net',
        ),
        { nil: undefined },
      ),
      agency: fc.constantFrom('a', 'b', 'c'),
    })
    .map((f): ResolvableRecord => {
      const r: ResolvableRecord = {
        id,
        source: { agency: f.agency, layout: 'l', file: `${f.agency}.csv`, line: 2, recordId: id },
        name: f.name,
      };
      if (f.alternateName) r.alternateName = f.alternateName;
      if (f.number) {
        r.address = {
          address_1: `${f.number} ${f.street}`,
          ...(f.unit ? { address_2: f.unit } : {}),
          ...(f.postal ? { postal_code: f.postal } : {}),
          ...(f.postalOnly ? { address_type: 'postal' as const } : {}),
        };
      }
      if (f.phones.length) r.phones = f.phones;
      if (f.point) [r.latitude, r.longitude] = f.point;
      if (f.website) r.website = f.website;
      return r;
    });

const ID_POOL = Array.from({ length: 24 }, (_, i) => `r${String(i).padStart(2, '0')}`);

type Step = { kind: 'upsert'; records: ResolvableRecord[] } | { kind: 'remove'; ids: string[] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .uniqueArray(fc.constantFrom(...ID_POOL), { minLength: 1, maxLength: 10 })
      .chain((ids) => fc.tuple(...ids.map(recordArb)))
      .map((records): Step => ({ kind: 'upsert', records })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.constantFrom(...ID_POOL), { minLength: 1, maxLength: 6 })
      .map((ids): Step => ({ kind: 'remove', ids })),
  },
);

// A small cap makes blocks cross it back and forth as batches come and go.
const optionsArb: fc.Arbitrary<ResolverOptions> = fc.record({
  blocking: fc.record({ maxBlockSize: fc.integer({ min: 2, max: 8 }) }),
});

const pairsOf = (links: { a: string; b: string; score: number }[]) =>
  links.map((l) => `${l.a} ${l.b} ${l.score}`).sort();

describe('entity resolution properties', () => {
  it('similarities and pair scores are symmetric', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(jaroWinkler(a, b)).toBe(jaroWinkler(b, a));
        const ta = a.split(/\s+/);
        const tb = b.split(/\s+/);
        expect(tokenSetSimilarity(ta, tb)).toBe(tokenSetSimilarity(tb, ta));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(recordArb('x'), recordArb('y'), (x, y) => {
        const a = prepareRecord(x);
        const b = prepareRecord(y);
        expect(scorePair(a, b, DEFAULT_WEIGHTS).score).toBe(scorePair(b, a, DEFAULT_WEIGHTS).score);
      }),
      { numRuns: 500 },
    );
  });

  it('incremental batches give exactly what a full resolve gives, also after a JSON round trip', () => {
    fc.assert(
      fc.property(
        optionsArb,
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        (options, steps) => {
          let resolver = new EntityResolver(options);
          const current = new Map<string, ResolvableRecord>();
          steps.forEach((step, i) => {
            if (step.kind === 'upsert') {
              resolver.upsert(step.records);
              for (const r of step.records) current.set(r.id, r);
            } else {
              resolver.remove(step.ids);
              for (const id of step.ids) current.delete(id);
            }
            if (i % 4 === 3)
              resolver = EntityResolver.fromJSON(JSON.parse(JSON.stringify(resolver)));
            // Clusters are read after some batches only, so that changes pile up between reads.
            if (i % 3 === 1 && i < steps.length - 1) return;
            const full = resolveAll(current.values(), options);
            expect(pairsOf(resolver.matchedPairs())).toEqual(pairsOf(full.links));
            expect(resolver.clusters()).toEqual(full.clusters);
            expect(resolver.size).toBe(current.size);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('replacing one agency’s records equals a full resolve of the result', () => {
    fc.assert(
      fc.property(
        fc.tuple(...ID_POOL.map(recordArb)),
        fc.tuple(...ID_POOL.slice(0, 12).map(recordArb)),
        (first, replacement) => {
          const resolver = new EntityResolver({ blocking: { maxBlockSize: 4 } });
          resolver.upsert(first);
          const mine = replacement.map((r) => ({ ...r, source: { ...r.source, agency: 'a' } }));
          resolver.replaceAgency('a', mine);
          const current = new Map(
            first.filter((r) => r.source.agency !== 'a').map((r) => [r.id, r]),
          );
          for (const r of mine) current.set(r.id, r);
          const full = resolveAll(current.values(), { blocking: { maxBlockSize: 4 } });
          expect(resolver.clusters()).toEqual(full.clusters);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the result does not depend on the order of the records', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(...ID_POOL.map(recordArb))
          .chain((records) =>
            fc.tuple(
              fc.constant(records),
              fc.shuffledSubarray(records, { minLength: records.length }),
            ),
          ),
        ([records, shuffled]) => {
          expect(resolveAll(shuffled).clusters).toEqual(resolveAll(records).clusters);
          const resolver = new EntityResolver();
          for (const r of shuffled) resolver.upsert([r]);
          expect(resolver.clusters()).toEqual(resolveAll(records).clusters);
        },
      ),
      { numRuns: 100 },
    );
  });
});
