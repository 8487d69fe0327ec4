// Running a search: the query planned against the vocabulary; the matching rowids (from FTS5)
// filtered by status, taxonomy and distance (box, then haversine) against the in-memory catalog,
// which gives the total and the facets; then only the page ranked by weighted BM25 in SQLite — records matching
// every concept of the query first, as the ranking's `match` says — and described.
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
  /** How many records match before the filters. */
  raw: number;
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
    this.matches = db
      .prepare<[string], number>('SELECT rowid FROM text WHERE text MATCH ?')
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
    if (text === '') {
      browse = Array.from(catalog.rowids).filter(keep);
    } else {
      tiers = this.tiers(plan, vocabulary, keep, catalog.size);
      if (tiers.length > 0 && tiers[0]!.ids.length === 0) tiers.shift();
      if (this.ranking.match !== 'any' && tiers[0]?.kind === 'any') matched = 'any';
      if (tiers.length === 0) matched = 'none';
    }
    const lists = browse ? [browse] : tiers.map((t) => t.ids);
    const total = query.collapseClusters
      ? countClusters(lists, catalog)
      : lists.reduce((n, l) => n + l.length, 0);
    let ranked: Ranked[];
    if (browse) {
      // In rowid order: only as many as the page needs, unless clusters must be collapsed.
      const upTo = query.collapseClusters ? browse.length : offset + limit;
      const listed = browse.slice(0, upTo).map((rowid) => ({ rowid, score: 0 }));
      ranked = query.collapseClusters ? collapse(listed, catalog) : listed;
    } else {
      ranked = this.rank(tiers, offset + limit, query.collapseClusters === true, catalog);
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
   * The tiers of the result, in rank order: for `all-first`, the records matching every concept,
   * then those matching some; for `all-then-any`, all, or any when all finds nothing.
   */
  private tiers(
    plan: QueryPlan,
    vocabulary: Vocabulary,
    keep: (rowid: number) => boolean,
    size: number,
  ): Tier[] {
    const all = planExpression(plan, vocabulary, 'all');
    const any = planExpression(plan, vocabulary, 'any');
    const tier = (
      kind: Tier['kind'],
      expression: string | undefined,
      exclude?: number,
    ): Tier | undefined => {
      if (expression === undefined) return undefined;
      const raw = this.matches.all(expression);
      const marks = this.marksFor(size);
      const stamp = ++this.stamp;
      const ids: number[] = [];
      for (const r of raw) {
        if ((exclude === undefined || marks[r] !== exclude) && keep(r)) {
          marks[r] = stamp;
          ids.push(r);
        }
      }
      return { kind, expression, ids, stamp, raw: raw.length };
    };
    const several = plan.concepts.length > 1 && all !== any;
    const mode = this.ranking.match;
    const out: (Tier | undefined)[] = [];
    if (mode === 'any') out.push(tier('any', any));
    else if (mode === 'all' || !several) out.push(tier('all', all));
    else {
      const first = tier('all', all);
      out.push(first);
      if (mode === 'all-first' || first === undefined || first.ids.length === 0)
        out.push(tier('any', any, first?.stamp));
    }
    return out.filter((t): t is Tier => t !== undefined);
  }

  /** The first `needed` records of the tiers, best first (one per cluster when collapsing). */
  private rank(
    tiers: readonly Tier[],
    needed: number,
    collapsing: boolean,
    catalog: Catalog,
  ): Ranked[] {
    const out: Ranked[] = [];
    const seen = new Set<string>();
    for (const t of tiers) {
      if (out.length >= needed) break;
      const share = t.ids.length / Math.max(t.raw, 1);
      const marks = this.marks!;
      const keep = (r: number) => marks[r] === t.stamp;
      let want = needed - out.length;
      for (;;) {
        const got = this.ranker.best(t.expression, keep, want, t.raw, share);
        const fresh = collapsing ? collapse(got, catalog, new Set(seen)) : got;
        if (fresh.length >= needed - out.length || got.length < want) {
          const taken = fresh.slice(0, needed - out.length);
          out.push(...taken);
          for (const r of taken) seen.add(clusterKey(r.rowid, catalog));
          break;
        }
        want *= 4;
      }
    }
    return out;
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
    if (tests.length === 1) return tests[0]!;
    return (rowid) => tests.every((t) => t(rowid));
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
