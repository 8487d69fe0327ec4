// What a search asks and what it answers.
import type { SourceRef } from '../map/mapped.js';
import type { ServiceSummary } from './document.js';

export interface NearFilter {
  latitude: number;
  longitude: number;
  radiusKm: number;
}

export interface SearchQuery {
  /** What the person typed; empty lists every record the filters let through. */
  text?: string;
  /** AIRS/211 codes; a record matches one of them or a code beneath it (`BD-1800` → `BD-1800.2000`). */
  taxonomy?: readonly string[];
  /** Only records offered in search (active, not "do not refer"). Default true. */
  searchableOnly?: boolean;
  /** Only records with a location within `radiusKm` of the point. */
  near?: NearFilter;
  /** One result per entity-resolution cluster (its best). Default false. */
  collapseClusters?: boolean;
  /** Default 10. */
  limit?: number;
  offset?: number;
  /** How many taxonomy facets to return, most frequent first. Default 20. */
  facetLimit?: number;
}

export interface SearchResult {
  /** The service's id (`service.id`). */
  id: string;
  /** Higher is better: −BM25 with the column weights. 0 when the query has no text. */
  score: number;
  /** Distance to the nearest of its locations, when the query had `near`. */
  distanceKm?: number;
  clusterId?: string;
  service: ServiceSummary;
  source: SourceRef;
}

export interface FacetCount {
  code: string;
  name: string;
  count: number;
}

export interface SearchResponse {
  /** Matching records (clusters, when collapsed) over all pages. */
  total: number;
  results: SearchResult[];
  /** Counted over the whole result set, not the page. */
  facets: { taxonomy: FacetCount[] };
  /** How the text was read: its concepts with their alternatives, and the corrections made. */
  interpreted: {
    concepts: { words: string[]; alternatives: string[] }[];
    corrections: { from: string; to: string }[];
    /** `any` when requiring every concept found nothing and one was enough. */
    matched: 'all' | 'any' | 'none';
  };
}

/** What a write did: records added, replaced with new content, given again unchanged, removed. */
export interface WriteCounts {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}
