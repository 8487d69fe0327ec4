// Ranking quality on the judged queries (examples/social-services/quality/judged-queries.json)
// over the real 211.csv and sf_211.csv exports, mapped by their layouts: nDCG@10 and recall@10
// of the search against the plain BM25 baseline (one concatenated column, FTS5 bm25(), no
// weights, synonyms or corrections), both printed; floors just below what was measured.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layouts, type MappedService, mapExport } from '../src/map/index.js';
import {
  evaluate,
  judgedKey,
  PlainIndex,
  parseJudgedQueries,
  type Quality,
  SearchIndex,
} from '../src/search/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const JUDGED = fileURLToPath(
  new URL('../../../examples/social-services/quality/judged-queries.json', import.meta.url),
);
const EXPORTS = [
  { agency: '211', file: '211.csv', layout: 'icarol-211' },
  { agency: 'sf-211', file: 'sf_211.csv', layout: 'icarol-211-extended' },
];

function mapped(): MappedService[] {
  return EXPORTS.flatMap(({ agency, file, layout }) => {
    const mapper = layouts[layout];
    if (mapper === undefined) throw new Error(`no layout ${layout}`);
    const bytes = readFileSync(socialData(`agencies/${file}`));
    return mapExport(mapper, { agency, file, bytes }).services;
  });
}

const pct = (x: number) => x.toFixed(3);

describe.skipIf(noSocialData)(socialDataTitle('search quality on the judged queries'), () => {
  it('ranks better than plain BM25', () => {
    const services = mapped();
    const queries = parseJudgedQueries(readFileSync(JUDGED, 'utf8'));
    const index = SearchIndex.create(':memory:');
    index.upsert(services);
    const plain = new PlainIndex();
    plain.add(services);
    const ours = evaluate(queries, (q) =>
      index
        .search({ text: q.text, ...(q.near ? { near: q.near } : {}), limit: 10 })
        .results.map((r) => judgedKey(r.source.agency, r.source.recordId)),
    );
    const base = evaluate(queries, (q) =>
      plain
        .search(q.text, { limit: 10, ...(q.near ? { near: q.near } : {}) })
        .map((h) => judgedKey(h.source.agency, h.source.recordId)),
    );
    const row = (name: string, r: Quality) =>
      `${name.padEnd(10)} ${pct(r.ndcg).padStart(8)} ${pct(r.recall).padStart(10)}`;
    const worst = ours.queries
      .map((q, i) => ({ ...q, base: base.queries[i]! }))
      .sort((a, b) => a.ndcg - b.ndcg)
      .slice(0, 5)
      .map((q) => `  ${q.id}: ${pct(q.ndcg)} (baseline ${pct(q.base.ndcg)})`);
    process.stdout.write(
      `search quality: ${queries.length} judged queries, ${services.length} services\n` +
        `ranking     nDCG@10  recall@10\n${row('search', ours)}\n${row('plain BM25', base)}\n` +
        `lowest nDCG@10:\n${worst.join('\n')}\n`,
    );
    expect(queries.length).toBeGreaterThanOrEqual(30);
    expect(ours.ndcg).toBeGreaterThan(0.89);
    expect(ours.recall).toBeGreaterThan(0.265);
    expect(ours.ndcg).toBeGreaterThan(base.ndcg + 0.2);
    expect(ours.recall).toBeGreaterThan(base.recall);
  }, 60_000);
});
