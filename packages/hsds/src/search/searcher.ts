// Running a search: the query planned against the vocabulary; then, tier by tier, one pass of
// FTS5 over the matches that filters them by status, taxonomy and distance (box, then haversine)
// against the in-memory catalog, collects those kept (the total and the facets) and has SQLite
// rank only them by weighted BM25, as many as the page needs — records matching every concept of
// the query first, as the ranking's `match` says; then the page described.
import type Database from 'better-sqlite3';
import type { SourceRef } from '../map/mapped.js';
import type { Catalog } from './catalog.js';
import { type ServiceSummary, TEXT_COLUMNS } from './document.js';
import { planExpression, planQuery, type QueryPlan } from './query-plan.js';
import { type Ranked, Ranker } from './ranker.js';
import type { Ranking } from './ranking.js';
import type { SynonymTable } from './synonym-table.js';
import type { SearchQuery, SearchResponse, SearchResult } from './types.js';
import type { Vocabulary } from './vocabulary.js';

type Db = Database.Database;

interface PageRow {
  id: string;
  summary: string;
  source: string;
}

/** One ranked tier of the result: the records matching `expression` that are in `ids`. */
interface Tier {
  kind: 'all' | 'any';
  expression: string;
  /** The matching rowids that pass the filters; `marks[r] === stamp` says r is one of them. */
  ids: number[];
  stamp: number;
}

export class Searcher {
  /**
   * Tier membership by rowid, reused from search to search: a tier stamps its rowids with a
   * number of its own, so nothing is cleared and no mask is allocated per search.
   */
  private marks?: Uint32Array;
  private stamp = 0;
  private readonly ranker: Ranker;
  private readonly matches;
  private readonly page;

  constructor(
    db: Db,
    private readonly ranking: Ranking,
    private readonly synonyms: SynonymTable,
  ) {
    const weights = TEXT_COLUMNS.map((c) => ranking.weights[c]).join(', ');
    this.ranker = new Ranker(db, `bm25(text, ${weights})`);
    // One JSON array rather than a row per match: better-sqlite3 builds a JavaScript value per
    // row stepped, and for 27,000 matches that took 3.7 ms against 2.2 ms for the array parsed.
    this.matches = db
      .prepare<[string], string>('SELECT json_group_array(rowid) FROM text WHERE text MATCH ?')
      .pluck();
    this.page = db.prepare<[number], PageRow>(
      'SELECT id, summary, source FROM services WHERE rowid = ?',
    );
  }

  search(query: SearchQuery, vocabulary: Vocabulary, catalog: Catalog): SearchResponse {
    const limit = Math.max(0, Math.floor(query.limit ?? 10));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const text = query.text?.trim() ?? '';
    const plan: QueryPlan =
      text === ''
        ? { concepts: [], corrections: [] }
        : planQuery(text, vocabulary, this.synonyms, this.ranking);
    const keep = this.filter(query, catalog);
    let matched: 'all' | 'any' | 'none' = this.ranking.match === 'any' ? 'any' : 'all';
    let tiers: Tier[] = [];
    let browse: number[] | undefined;
    let ranked: Ranked[] = [];
    if (text === '') {
      browse = [];
      for (const r of catalog.rowids) if (keep(r)) browse.push(r);
    } else {
      ({ tiers, ranked } = this.tiersAndRank(
        plan,
        vocabulary,
        keep,
        catalog,
        offset + limit,
        query.collapseClusters === true,
      ));
      if (tiers.length > 0 && tiers[0]!.ids.length === 0) tiers.shift();
      if (this.ranking.match !== 'any' && tiers[0]?.kind === 'any') matched = 'any';
      if (tiers.length === 0) matched = 'none';
    }
    const lists = browse ? [browse] : tiers.map((t) => t.ids);
    const total = query.collapseClusters
      ? countClusters(lists, catalog)
      : lists.reduce((n, l) => n + l.length, 0);
    if (browse) {
      // In rowid order: only as many as the page needs, unless clusters must be collapsed.
      const upTo = query.collapseClusters ? browse.length : offset + limit;
      const listed = browse.slice(0, upTo).map((rowid) => ({ rowid, score: 0 }));
      ranked = query.collapseClusters ? collapse(listed, catalog) : listed;
    }
    const page = ranked.slice(offset, offset + limit);
    return {
      total,
      results: page.map((r) => this.describe(r, query, catalog)),
      facets: { taxonomy: catalog.facets(lists, query.facetLimit ?? 20) },
      interpreted: {
        concepts: plan.concepts.map((c) => ({
          words: c.words,
          alternatives: c.phrases.map((p) => p.join(' ')),
        })),
        corrections: plan.corrections,
        matched,
      },
    };
  }

  /**
   * The tiers of the result, in rank order — for `all-first`, the records matching every
   * concept, then those matching some; for `all-then-any`, all, or any when all finds nothing —
   * and the first `needed` records of them, best first (one per cluster when collapsing). A tier
   * the page still needs records from is collected and ranked in one pass (see ranker.ts);
   * the others are only collected.
   */
  private tiersAndRank(
    plan: QueryPlan,
    vocabulary: Vocabulary,
    keep: (rowid: number) => boolean,
    catalog: Catalog,
    needed: number,
    collapsing: boolean,
  ): { tiers: Tier[]; ranked: Ranked[] } {
    const all = planExpression(plan, vocabulary, 'all');
    const any = planExpression(plan, vocabulary, 'any');
    const out: Ranked[] = [];
    const seen = new Set<string>();
    const tier = (
      kind: Tier['kind'],
      expression: string | undefined,
      exclude?: number,
    ): Tier | undefined => {
      if (expression === undefined) return undefined;
      const marks = this.marksFor(catalog.size);
      const stamp = ++this.stamp;
      const ids: number[] = [];
      const collect = (r: number): boolean => {
        if ((exclude === undefined || marks[r] !== exclude) && keep(r)) {
          marks[r] = stamp;
          ids.push(r);
          return true;
        }
        return false;
      };
      const wanted = needed - out.length;
      if (wanted <= 0) {
        for (const r of JSON.parse(this.matches.get(expression) ?? '[]') as number[]) collect(r);
      } else {
        let want = wanted;
        let got = this.ranker.best(expression, collect, want);
        for (;;) {
          const fresh = collapsing ? collapse(got, catalog, new Set(seen)) : got;
          if (fresh.length >= wanted || got.length < want) {
            const taken = fresh.slice(0, wanted);
            out.push(...taken);
            for (const r of taken) seen.add(clusterKey(r.rowid, catalog));
            break;
          }
          want *= 4;
          got = this.ranker.best(expression, (r) => marks[r] === stamp, want);
        }
      }
      return { kind, expression, ids, stamp };
    };
    const several = plan.concepts.length > 1 && all !== any;
    const mode = this.ranking.match;
    const tiers: (Tier | undefined)[] = [];
    if (mode === 'any') tiers.push(tier('any', any));
    else if (mode === 'all' || !several) tiers.push(tier('all', all));
    else {
      const first = tier('all', all);
      tiers.push(first);
      if (mode === 'all-first' || first === undefined || first.ids.length === 0)
        tiers.push(tier('any', any, first?.stamp));
    }
    return { tiers: tiers.filter((t): t is Tier => t !== undefined), ranked: out };
  }

  private marksFor(size: number): Uint32Array {
    if (this.marks === undefined || this.marks.length < size || this.stamp > 0xfffffff0) {
      this.marks = new Uint32Array(size);
      this.stamp = 0;
    }
    return this.marks;
  }

  private filter(query: SearchQuery, catalog: Catalog): (rowid: number) => boolean {
    const tests: ((rowid: number) => boolean)[] = [];
    if (query.searchableOnly ?? true) tests.push(catalog.isSearchable);
    if (query.taxonomy !== undefined && query.taxonomy.length > 0)
      tests.push(catalog.hasCodeUnder(query.taxonomy));
    if (query.near !== undefined) tests.push(catalog.within(query.near));
    // Composed once, not `tests.every(…)` per rowid: the test runs for every match.
    if (tests.length === 0) return () => true;
    return tests.reduce((a, b) => (rowid) => a(rowid) && b(rowid));
  }

  private describe({ rowid, score }: Ranked, query: SearchQuery, catalog: Catalog): SearchResult {
    const row = this.page.get(rowid)!;
    const result: SearchResult = {
      id: row.id,
      score,
      service: JSON.parse(row.summary) as ServiceSummary,
      source: JSON.parse(row.source) as SourceRef,
    };
    const cluster = catalog.cluster(rowid);
    if (cluster !== undefined) result.clusterId = cluster;
    if (query.near !== undefined) {
      const d = catalog.distanceKm(rowid, query.near.latitude, query.near.longitude);
      if (d !== undefined) result.distanceKm = d;
    }
    return result;
  }
}

function clusterKey(rowid: number, catalog: Catalog): string {
  return catalog.cluster(rowid) ?? `\u0000${rowid}`;
}

/** The first of each cluster, in order; `seen` holds clusters already taken, and grows. */
function collapse(ranked: readonly Ranked[], catalog: Catalog, seen = new Set<string>()): Ranked[] {
  return ranked.filter((r) => {
    const key = clusterKey(r.rowid, catalog);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function countClusters(lists: readonly (readonly number[])[], catalog: Catalog): number {
  const keys = new Set<string>();
  for (const list of lists) for (const r of list) keys.add(clusterKey(r, catalog));
  return keys.size;
}
