// Running a search: the query planned against the vocabulary, the matching records (with the
// status, taxonomy and distance filters) ranked by weighted BM25 in SQLite, collapsed by
// cluster if asked, one page of them described, and taxonomy facets over all of them.
import type Database from 'better-sqlite3';
import type { SourceRef } from '../map/mapped.js';
import { type ServiceSummary, TEXT_COLUMNS } from './document.js';
import { hitsQuery, type MatchExpressions } from './hits-sql.js';
import { planExact, planExpression, planQuery, type QueryPlan } from './query-plan.js';
import type { Ranking } from './ranking.js';
import type { SynonymTable } from './synonym-table.js';
import type { FacetCount, SearchQuery, SearchResponse, SearchResult } from './types.js';
import type { Vocabulary } from './vocabulary.js';

type Db = Database.Database;
type Hit = [rowid: number, score: number, cluster: string | null, complete: number];

interface PageRow {
  id: string;
  cluster_id: string | null;
  summary: string;
  source: string;
}

export class Searcher {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly bm25: string;

  constructor(
    private readonly db: Db,
    private readonly ranking: Ranking,
    private readonly synonyms: SynonymTable,
  ) {
    this.bm25 = `bm25(text, ${TEXT_COLUMNS.map((c) => ranking.weights[c]).join(', ')})`;
  }

  search(query: SearchQuery, vocabulary: Vocabulary): SearchResponse {
    const limit = Math.max(0, Math.floor(query.limit ?? 10));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const text = query.text?.trim() ?? '';
    const plan: QueryPlan =
      text === ''
        ? { concepts: [], corrections: [] }
        : planQuery(text, vocabulary, this.synonyms, this.ranking);
    let matched: 'all' | 'any' | 'none' = this.ranking.match === 'any' ? 'any' : 'all';
    let hits: Hit[] = [];
    if (text === '') {
      hits = this.hits({}, query);
    } else {
      const all = planExpression(plan, vocabulary, 'all');
      const any = planExpression(plan, vocabulary, 'any');
      const exact = this.ranking.exactBoost ? planExact(plan, vocabulary) : undefined;
      const boost = exact === undefined ? {} : { exact };
      const several = plan.concepts.length > 1;
      const mode = this.ranking.match;
      if (mode === 'any' || mode === 'all-first') {
        const complete =
          mode === 'all-first' && several && all !== undefined ? { complete: all } : {};
        if (any !== undefined) hits = this.hits({ main: any, ...boost, ...complete }, query);
        if (hits[0]?.[3] === 0) matched = 'any';
      } else {
        if (all !== undefined) hits = this.hits({ main: all, ...boost }, query);
        if (hits.length === 0 && mode === 'all-then-any' && several && any !== undefined) {
          hits = this.hits({ main: any, ...boost }, query);
          matched = 'any';
        }
      }
      if (hits.length === 0) matched = 'none';
    }
    if (query.collapseClusters) hits = collapse(hits);
    const page = hits.slice(offset, offset + limit);
    return {
      total: hits.length,
      results: page.map((hit) => this.describe(hit, query)),
      facets: { taxonomy: this.facets(hits, query.facetLimit ?? 20) },
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

  private hits(match: MatchExpressions, query: SearchQuery): Hit[] {
    const { sql, params } = hitsQuery(match, query, this.bm25);
    return this.statement(sql)
      .raw(true)
      .all(...params) as Hit[];
  }

  private describe([rowid, score, cluster]: Hit, query: SearchQuery): SearchResult {
    const row = this.statement(
      'SELECT id, cluster_id, summary, source FROM services WHERE rowid = ?',
    ).get(rowid) as PageRow;
    const result: SearchResult = {
      id: row.id,
      score,
      service: JSON.parse(row.summary) as ServiceSummary,
      source: JSON.parse(row.source) as SourceRef,
    };
    if (cluster !== null) result.clusterId = cluster;
    if (query.near !== undefined) {
      const d = this.statement(
        'SELECT min(haversine_km(latitude, longitude, ?, ?)) AS d FROM points WHERE service = ?',
      ).get(query.near.latitude, query.near.longitude, rowid) as { d: number | null };
      if (d.d !== null) result.distanceKm = d.d;
    }
    return result;
  }

  private facets(hits: readonly Hit[], limit: number): FacetCount[] {
    if (hits.length === 0 || limit <= 0) return [];
    return this.statement(
      `SELECT code, max(name) AS name, count(*) AS count FROM terms
       WHERE service IN (SELECT value FROM json_each(?))
       GROUP BY code ORDER BY count DESC, code LIMIT ?`,
    ).all(JSON.stringify(hits.map((h) => h[0])), limit) as FacetCount[];
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}

function collapse(hits: readonly Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter(([, , cluster]) => {
    if (cluster === null) return true;
    if (seen.has(cluster)) return false;
    seen.add(cluster);
    return true;
  });
}
