// A judged query set (`examples/social-services/quality/judged-queries.json`) and the ranking
// quality of a search on it: nDCG@k and recall@k per query and on average.
import { mean, ndcgAt, recallAt } from './metrics.js';
import type { NearFilter } from './types.js';

export interface JudgedQuery {
  id: string;
  text: string;
  near?: NearFilter;
  /** Grades by record key (`judgedKey(agency, recordId)`); records not listed are 0. */
  judgments: Map<string, number>;
}

/** The key of a record in judgments: its agency and the export's own id. */
export function judgedKey(agency: string, recordId: string): string {
  return `${agency}\u0000${recordId}`;
}

interface JudgedFile {
  queries: {
    id: string;
    text: string;
    near?: NearFilter;
    judgments: Record<string, Record<string, number>>;
  }[];
}

/** Reads the judged-queries JSON (judgments: agency → record id → grade). */
export function parseJudgedQueries(json: string): JudgedQuery[] {
  const file = JSON.parse(json) as JudgedFile;
  return file.queries.map((q) => {
    const judgments = new Map<string, number>();
    for (const [agency, grades] of Object.entries(q.judgments)) {
      for (const [recordId, grade] of Object.entries(grades))
        judgments.set(judgedKey(agency, recordId), grade);
    }
    return { id: q.id, text: q.text, ...(q.near ? { near: q.near } : {}), judgments };
  });
}

export interface QueryQuality {
  id: string;
  ndcg: number;
  recall: number;
}

export interface Quality {
  ndcg: number;
  recall: number;
  queries: QueryQuality[];
}

/** nDCG@k and recall@k of `rank` (a query → the keys of its first k results) over the set. */
export function evaluate(
  queries: readonly JudgedQuery[],
  rank: (query: JudgedQuery) => string[],
  k = 10,
): Quality {
  const per = queries.map((q) => {
    const ranking = rank(q);
    return {
      id: q.id,
      ndcg: ndcgAt(ranking, q.judgments, k),
      recall: recallAt(ranking, q.judgments, k),
    };
  });
  return {
    ndcg: mean(per.map((p) => p.ndcg)),
    recall: mean(per.map((p) => p.recall)),
    queries: per,
  };
}
