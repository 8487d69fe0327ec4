// The search's one-pass ranking (the filter inside the ranking statement, the matches collected
// in the same pass) against a reference written the plain way: every match of the tier's
// expression scored by SQLite and sorted, then filtered, tiered and paged in JavaScript. On
// generated records, with filters that drop most of the best matches (a small circle, a
// taxonomy, inactive records), pages beyond the first, and clusters collapsed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Service } from '../src/model/index.js';
import {
  DEFAULT_RANKING,
  type NearFilter,
  quotePhrase,
  type SearchEntry,
  SearchIndex,
  type SearchQuery,
  TEXT_COLUMNS,
} from '../src/search/index.js';

const WORDS = [
  'food',
  'pantry',
  'shelter',
  'meals',
  'clinic',
  'legal',
  'housing',
  'youth',
  'counseling',
  'senior',
  'center',
  'clothing',
  'church',
  'family',
  'emergency',
  'health',
  'dental',
  'training',
  'women',
  'community',
];
const CODES: [string, string][] = [
  ['BD-1800.2000', 'Food Pantries'],
  ['BD-5000.8300', 'Soup Kitchens'],
  ['BH-1800.8500', 'Homeless Shelter'],
  ['FT-3000', 'Legal Services'],
];

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function records(n: number): SearchEntry[] {
  const next = random(11);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const words = (k: number) => Array.from({ length: k }, pick).join(' ');
  return Array.from({ length: n }, (_, i) => {
    const code = CODES[Math.floor(next() * CODES.length)]!;
    const service: Service = {
      id: `svc-${i}`,
      name: `${words(1 + Math.floor(next() * 3))} ${i}`,
      status: 'active',
      description: words(3 + Math.floor(next() * 8)),
      organization: { id: `org-${i % 17}`, name: words(2), description: '' },
      attributes: [
        {
          id: `attr-${i}`,
          taxonomy_term: { id: `term-${code[0]}`, code: code[0], name: code[1], description: '' },
        },
      ],
      service_at_locations: [
        {
          id: `sal-${i}`,
          location: {
            id: `loc-${i}`,
            location_type: 'physical',
            latitude: 38.9 + (next() - 0.5) * 0.1,
            longitude: -77.03 + (next() - 0.5) * 0.1,
          },
        },
      ],
    };
    const clustered = next() < 0.3;
    return {
      service,
      source: { agency: 'a', layout: 'generated', file: 'x.csv', line: i + 2, recordId: `${i}` },
      searchable: next() > 0.2,
      ...(clustered ? { clusterId: `c${i % 7}` } : {}),
    };
  });
}

describe('one-pass ranking', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-search-ranking-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'index.sqlite');
  const writer = SearchIndex.create(path);
  writer.upsert(records(600));
  writer.close();
  const index = SearchIndex.open(path, { readonly: true });
  const db = new Database(path, { readonly: true });
  afterAll(() => {
    index.close();
    db.close();
  });
  const weights = TEXT_COLUMNS.map((c) => DEFAULT_RANKING.weights[c]).join(', ');
  const scored = db
    .prepare<[string], [number, number]>(
      `SELECT rowid, -bm25(text, ${weights}) AS score FROM text WHERE text MATCH ? ORDER BY score DESC, rowid`,
    )
    .raw(true);
  const rows = db.prepare('SELECT rowid, id, cluster_id FROM services').raw(true).all() as [
    number,
    string,
    string | null,
  ][];
  const idOf = new Map(rows.map(([r, id]) => [r, id]));
  const clusterOf = new Map(rows.map(([, id, c]) => [id, c ?? `\u0000${id}`]));

  /** The plain way: score every match, sort, then filter, tier, collapse and page. */
  function reference(query: SearchQuery, limit: number, offset: number) {
    const passing = new Set(
      index
        .search({ ...query, text: '', limit: 1e6, facetLimit: 0, collapseClusters: false })
        .results.map((r) => r.id),
    );
    const { concepts } = index.search({ ...query, limit: 0 }).interpreted;
    const groups = concepts.map((c) => {
      const quoted = c.alternatives.map((a) => quotePhrase(a.split(' ')));
      return quoted.length === 1 ? quoted[0]! : `(${quoted.join(' OR ')})`;
    });
    const all = groups.join(' AND ');
    const any = groups.join(' OR ');
    const expressions = groups.length > 1 ? [all, any] : [all];
    const out: { id: string; score: number }[] = [];
    const taken = new Set<string>();
    for (const e of expressions) {
      for (const [rowid, score] of scored.all(e)) {
        const id = idOf.get(rowid)!;
        if (passing.has(id) && !taken.has(id)) {
          taken.add(id);
          out.push({ id, score });
        }
      }
    }
    const seen = new Set<string>();
    const listed = query.collapseClusters
      ? out.filter((r) => {
          const cluster = clusterOf.get(r.id)!;
          if (seen.has(cluster)) return false;
          seen.add(cluster);
          return true;
        })
      : out;
    return { total: listed.length, page: listed.slice(offset, offset + limit) };
  }

  const near = (radiusKm: number): NearFilter => ({ latitude: 38.9, longitude: -77.03, radiusKm });
  const texts = [
    'food',
    'shelter',
    'comida',
    'senior center',
    'legal clinic',
    'youth counseling women',
    'dental health',
  ];
  const filters: Omit<SearchQuery, 'text'>[] = [
    {},
    { near: near(0.6) },
    { near: near(2.5) },
    { taxonomy: ['BH-1800'] },
    { taxonomy: ['FT-3000'], near: near(1.5) },
  ];

  it('finds what scoring every match and filtering afterwards finds, in the same order', () => {
    let compared = 0;
    for (const text of texts) {
      for (const filter of filters) {
        for (const collapseClusters of [false, true]) {
          for (const [limit, offset] of [
            [10, 0],
            [5, 12],
            [3, 0],
          ] as const) {
            const query: SearchQuery = { text, ...filter, collapseClusters };
            const got = index.search({ ...query, limit, offset });
            const want = reference(query, limit, offset);
            const label = JSON.stringify({ query, limit, offset });
            expect(got.total, label).toBe(want.total);
            expect(
              got.results.map((r) => r.id),
              label,
            ).toEqual(want.page.map((r) => r.id));
            got.results.forEach((r, i) => {
              expect(r.score, label).toBeCloseTo(want.page[i]!.score, 9);
            });
            if (want.page.length > 0) compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(150);
  });
});
