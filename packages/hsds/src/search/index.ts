// Full-text search over mapped services: SQLite FTS5 with weighted BM25, spelling correction,
// English/Spanish synonyms, taxonomy facets, status and distance filters; and the metrics the
// ranking is judged by.
export { type PlainHit, PlainIndex } from './baseline.js';
export { editDistance } from './distance.js';
export {
  type IndexDocument,
  indexDocument,
  type SearchEntry,
  type ServiceSummary,
  type TaxonomyRef,
  TEXT_COLUMNS,
  type TextColumn,
} from './document.js';
export { quotePhrase } from './escape.js';
export { boundingBox, haversineKm } from './geo.js';
export {
  evaluate,
  type JudgedQuery,
  judgedKey,
  parseJudgedQueries,
  type Quality,
  type QueryQuality,
} from './judged.js';
export { type Judgments, mean, ndcgAt, recallAt } from './metrics.js';
export {
  type Concept,
  type PlanOptions,
  planQuery,
  type QueryPlan,
  type SpellingMode,
} from './query-plan.js';
export { DEFAULT_RANKING, type Ranking } from './ranking.js';
export { type IndexOptions, type OpenOptions, SearchIndex } from './search-index.js';
export { SynonymTable } from './synonym-table.js';
export { EQUIVALENT, TRANSLATED } from './synonyms.js';
export { foldText, tokenize } from './tokens.js';
export type {
  FacetCount,
  NearFilter,
  SearchQuery,
  SearchResponse,
  SearchResult,
  WriteCounts,
} from './types.js';
export { type Correction, lightStem, Vocabulary } from './vocabulary.js';
