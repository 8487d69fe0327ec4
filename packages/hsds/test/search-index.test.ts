// The search index on hand-made services: weighted ranking, synonyms, spelling correction,
// facets over the whole result set, status, taxonomy and distance filters, pagination,
// incremental updates by agency, a file reopened read-only, and cluster collapsing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Service } from '../src/model/index.js';
import { type SearchEntry, SearchIndex } from '../src/search/index.js';

interface Spec {
  id: string;
  agency?: string;
  name: string;
  org?: string;
  description?: string;
  terms?: [code: string, name: string][];
  at?: [number, number];
  searchable?: boolean;
  clusterId?: string;
}

function entry(s: Spec): SearchEntry {
  const service: Service = {
    id: `svc-${s.id}`,
    name: s.name,
    status: s.searchable === false ? 'inactive' : 'active',
    ...(s.description ? { description: s.description } : {}),
    ...(s.org ? { organization: { id: `org-${s.org}`, name: s.org, description: '' } } : {}),
    attributes: (s.terms ?? []).map(([code, name]) => ({
      id: `attr-${s.id}-${code}`,
      taxonomy_term: { id: `term-${code}`, code, name, description: '' },
    })),
    ...(s.at
      ? {
          service_at_locations: [
            {
              id: `sal-${s.id}`,
              location: {
                id: `loc-${s.id}`,
                location_type: 'physical' as const,
                latitude: s.at[0],
                longitude: s.at[1],
              },
            },
          ],
        }
      : {}),
  };
  return {
    service,
    source: {
      agency: s.agency ?? 'a',
      layout: 'hand-made',
      file: 'x.csv',
      line: 2,
      recordId: s.id,
    },
    searchable: s.searchable ?? true,
    ...(s.clusterId ? { clusterId: s.clusterId } : {}),
  };
}

const PANTRY: [string, string] = ['BD-1800.2000', 'Food Pantries'];
const SOUP: [string, string] = ['BD-5000.8300', 'Soup Kitchens'];
const SHELTER: [string, string] = ['BH-1800.8500', 'Homeless Shelter'];

const fixtures: Spec[] = [
  {
    id: '1',
    name: 'Northside Food Pantry',
    org: 'St. Mark Church',
    terms: [PANTRY],
    at: [38.9, -77.03],
  },
  {
    id: '2',
    name: 'Hot Meals Program',
    org: 'Food for All',
    description: 'Free meals daily.',
    terms: [SOUP],
    at: [38.91, -77.02],
  },
  {
    id: '3',
    name: 'Family Services',
    org: 'Community Action',
    description: 'Emergency food boxes and clothing.',
    terms: [PANTRY],
    at: [39.5, -76.5],
  },
  {
    id: '4',
    name: 'Harbor Shelter for Men',
    org: 'Harbor House',
    description: 'Overnight shelter beds.',
    terms: [SHELTER],
    at: [38.88, -77.0],
  },
  {
    id: '5',
    name: 'Old Pantry (closed)',
    org: 'St. Mark Church',
    terms: [PANTRY],
    searchable: false,
  },
  {
    id: '6',
    name: 'Legal Aid Clinic',
    org: 'Bar Association',
    description: 'Free lawyers for tenants facing eviction.',
    terms: [['FT-3000', 'Legal Services']],
  },
  {
    id: '7',
    name: 'Youth Counseling Center',
    org: 'Family Guidance',
    description: 'Counseling for children and teens.',
    terms: [['RP-1400', 'Counseling']],
  },
  {
    id: '8',
    name: "Children's Clothing Closet",
    org: 'Community Action',
    description: 'Clothes for kids.',
    terms: [['BM-6500', 'Clothing']],
  },
];

function build(): SearchIndex {
  const index = SearchIndex.create(':memory:');
  index.upsert(fixtures.map(entry));
  return index;
}

const ids = (r: { results: { source: { recordId: string } }[] }) =>
  r.results.map((x) => x.source.recordId);

describe('SearchIndex', () => {
  const index = build();

  it('ranks a match in the name above one in the description', () => {
    const r = index.search({ text: 'food' });
    expect(ids(r)[0]).toBe('1');
    expect(ids(r)).toContain('3');
    expect(r.results[0]!.service).toMatchObject({
      name: 'Northside Food Pantry',
      organization: 'St. Mark Church',
    });
    expect(r.results[0]!.score).toBeGreaterThan(r.results.at(-1)!.score);
  });

  it('leaves out records not offered in search unless asked', () => {
    expect(ids(index.search({ text: 'pantry' }))).not.toContain('5');
    expect(ids(index.search({ text: 'pantry', searchableOnly: false }))).toContain('5');
  });

  it('expands Spanish and English synonyms', () => {
    expect(ids(index.search({ text: 'comida' }))).toEqual(expect.arrayContaining(['1', '2', '3']));
    expect(ids(index.search({ text: 'abogado' }))).toEqual(['6']);
    expect(ids(index.search({ text: 'ropa para niños' }))[0]).toBe('8');
    expect(ids(index.search({ text: 'food bank' }))).toContain('1');
  });

  it('corrects misspelt words no record holds', () => {
    const r = index.search({ text: 'shelterr' });
    expect(ids(r)).toEqual(['4']);
    expect(r.interpreted.corrections).toEqual([{ from: 'shelterr', to: 'shelter' }]);
    expect(ids(index.search({ text: 'counceling' }))).toEqual(['7']);
    expect(ids(index.search({ text: 'foood' }))[0]).toBe('1');
  });

  it('finds plural and singular forms when asked, and corrects a missing one anyway', () => {
    const withForms = SearchIndex.create(':memory:', { ranking: { forms: true } });
    withForms.upsert(fixtures.map(entry));
    expect(withForms.search({ text: 'lawyer' }).interpreted.concepts[0]!.alternatives).toContain(
      'lawyers',
    );
    expect(ids(withForms.search({ text: 'meal' }))).toContain('2');
    expect(ids(index.search({ text: 'meal' }))).toContain('2');
    expect(index.search({ text: 'meal' }).interpreted.corrections).toEqual([
      { from: 'meal', to: 'meals' },
    ]);
  });

  it('ranks the records matching every concept first, then those matching some', () => {
    const r = index.search({ text: 'food clothing' });
    expect(ids(r)[0]).toBe('3');
    expect(ids(r).slice(1).sort()).toEqual(['1', '2', '8']);
    expect(r.interpreted.matched).toBe('all');
    const none = index.search({ text: 'shelter lawyers' });
    expect(none.interpreted.matched).toBe('any');
    expect(ids(none).sort()).toEqual(['4', '6']);
  });

  it('can require every concept, or fall back to any only when none has them all', () => {
    const all = SearchIndex.create(':memory:', { ranking: { match: 'all' } });
    const thenAny = SearchIndex.create(':memory:', { ranking: { match: 'all-then-any' } });
    for (const i of [all, thenAny]) i.upsert(fixtures.map(entry));
    expect(ids(all.search({ text: 'food clothing' }))).toEqual(['3']);
    expect(ids(thenAny.search({ text: 'food clothing' }))).toEqual(['3']);
    expect(all.search({ text: 'shelter lawyers' }).total).toBe(0);
    expect(ids(thenAny.search({ text: 'shelter lawyers' })).sort()).toEqual(['4', '6']);
  });

  it('ranks a record named for the need first', () => {
    const r = index.search({ text: 'clothing' });
    expect(ids(r)[0]).toBe('8');
    const lawyer = index.search({ text: 'legal' });
    expect(ids(lawyer)).toEqual(['6']);
  });

  it('counts taxonomy facets over all results, not the page', () => {
    const r = index.search({ text: 'comida', limit: 1 });
    expect(r.results).toHaveLength(1);
    expect(r.total).toBe(3);
    expect(r.facets.taxonomy).toEqual([
      { code: 'BD-1800.2000', name: 'Food Pantries', count: 2 },
      { code: 'BD-5000.8300', name: 'Soup Kitchens', count: 1 },
    ]);
  });

  it('filters by taxonomy code and the codes beneath it', () => {
    expect(ids(index.search({ text: 'comida', taxonomy: ['BD-1800'] })).sort()).toEqual(['1', '3']);
    expect(ids(index.search({ taxonomy: ['BD-5000.8300'] }))).toEqual(['2']);
    expect(index.search({ taxonomy: ['B'] }).total).toBe(5);
  });

  it('filters by distance and says how far', () => {
    const r = index.search({
      text: 'food',
      near: { latitude: 38.9, longitude: -77.03, radiusKm: 5 },
    });
    expect(ids(r).sort()).toEqual(['1', '2']);
    expect(r.results.find((x) => x.source.recordId === '1')!.distanceKm).toBeCloseTo(0, 5);
    expect(r.results.find((x) => x.source.recordId === '2')!.distanceKm).toBeGreaterThan(1);
    expect(index.search({ near: { latitude: 38.9, longitude: -77.03, radiusKm: 100 } }).total).toBe(
      4,
    );
  });

  it('pages through results in a stable order', () => {
    const all = ids(index.search({ text: 'comida', limit: 10 }));
    const pages = [0, 1, 2].flatMap((offset) =>
      ids(index.search({ text: 'comida', limit: 1, offset })),
    );
    expect(pages).toEqual(all);
  });

  it('lists everything the filters let through when there is no text', () => {
    expect(index.search({}).total).toBe(7);
  });

  it('gives back the stored record', () => {
    expect(index.get('svc-4')).toEqual(entry(fixtures[3]!));
    expect(index.get('nope')).toBeUndefined();
  });
});

describe('SearchIndex updates', () => {
  it("replaces one agency's records incrementally", () => {
    const index = SearchIndex.create(':memory:');
    index.upsert([
      ...fixtures.map(entry),
      entry({ id: 'b1', agency: 'b', name: 'Other Food Bank' }),
    ]);
    const before = index.count();
    const changed = fixtures
      .filter((s) => s.id !== '2')
      .map((s) => (s.id === '4' ? { ...s, name: 'Harbor Night Shelter' } : s))
      .concat([{ id: '9', name: 'New Soup Kitchen', terms: [SOUP] }]);
    const counts = index.replaceAgency('a', changed.map(entry));
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 6, removed: 1 });
    expect(index.count().services).toBe(before.services);
    expect(ids(index.search({ text: 'night shelter' }))).toEqual(['4']);
    expect(ids(index.search({ text: 'hot meals' }))).not.toContain('2');
    expect(ids(index.search({ text: 'soup kitchen' }))).toContain('9');
    expect(index.search({ text: 'pantry', taxonomy: ['BD-5000'] }).total).toBe(0);
    expect(index.removeWhere({ agency: 'b' })).toBe(1);
    expect(index.search({ text: 'other' }).total).toBe(0);
    expect(index.remove(['svc-9', 'svc-missing'])).toBe(1);
    expect(index.get('svc-9')).toBeUndefined();
    expect(() => index.replaceAgency('b', [entry(fixtures[0]!)])).toThrow(/of agency 'a'/);
  });

  it('updates the vocabulary after a write', () => {
    const index = build();
    expect(index.search({ text: 'blankets' }).total).toBe(0);
    index.upsert([entry({ id: '10', name: 'Blankets and Coats' })]);
    expect(ids(index.search({ text: 'blankets' }))).toEqual(['10']);
    expect(ids(index.search({ text: 'blankest' }))).toEqual(['10']);
  });

  it('collapses results to one per cluster', () => {
    const index = SearchIndex.create(':memory:');
    index.upsert([
      entry({ id: 'x1', name: 'Harbor Shelter', clusterId: 'c1' }),
      entry({ id: 'x2', agency: 'b', name: 'Harbor House Shelter', clusterId: 'c1' }),
      entry({ id: 'x3', name: 'Other Shelter' }),
    ]);
    expect(index.search({ text: 'shelter' }).total).toBe(3);
    const r = index.search({ text: 'harbor shelter', collapseClusters: true });
    expect(r.total).toBe(2);
    expect(r.results.map((x) => x.source.recordId)).toEqual(['x1', 'x3']);
    expect(r.results[0]!.clusterId).toBe('c1');
  });
});

describe('SearchIndex files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-search-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is written to a file and reopened read-only', () => {
    const path = join(dir, 'index.sqlite');
    const index = SearchIndex.create(path);
    index.upsert(fixtures.map(entry));
    index.close();
    expect(() => SearchIndex.create(path)).toThrow(/already exists/);
    const reader = SearchIndex.open(path, { readonly: true });
    expect(ids(reader.search({ text: 'shelter' }))).toEqual(['4']);
    expect(() => reader.upsert([entry({ id: '11', name: 'x' })])).toThrow(/readonly/);
    reader.close();
  });

  it('opens an index it wrote, and refuses anything else', () => {
    const path = join(dir, 'other.sqlite');
    SearchIndex.create(path).close();
    expect(() => SearchIndex.open(path).close()).not.toThrow();
    expect(() => SearchIndex.open(join(dir, 'missing.sqlite'))).toThrow();
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    expect(() => SearchIndex.open(empty)).toThrow(
      /not a search index of schema \d+ \(found none\)/,
    );
    const text = join(dir, 'text.sqlite');
    writeFileSync(text, 'not a database at all, but long enough for SQLite to read a header');
    expect(() => SearchIndex.open(text)).toThrow(/not a search index/);
  });
});

describe('SearchIndex.contentVersion', () => {
  it('is the same for an index updated in place and one built at once, and moves with the content', () => {
    const all = fixtures.map(entry);
    const atOnce = SearchIndex.create(':memory:');
    atOnce.upsert(all);
    const inSteps = SearchIndex.create(':memory:');
    inSteps.upsert([...all].reverse().slice(0, 3));
    inSteps.upsert(
      all.map((e) => ({ ...e, service: { ...e.service, name: `${e.service.name} (old)` } })),
    );
    inSteps.upsert(all);
    expect(inSteps.contentVersion()).toBe(atOnce.contentVersion());
    inSteps.remove([all[0]!.service.id]);
    expect(inSteps.contentVersion()).not.toBe(atOnce.contentVersion());
  });
});
