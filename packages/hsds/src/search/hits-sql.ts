// The SQL that finds and ranks the matching records of a search: FTS5 MATCH expressions bound
// as parameters (never spliced), the status, taxonomy and distance filters, weighted BM25.
import { boundingBox } from './geo.js';
import type { SearchQuery } from './types.js';

export type Param = string | number;

/** What to match: `main` finds the records; `exact` adds its BM25; `complete` ranks its records first. */
export interface MatchExpressions {
  main?: string;
  exact?: string;
  complete?: string;
}

/**
 * A statement returning `[rowid, score, cluster_id, complete]` rows, best first. `bm25` is the
 * ranking function call (`bm25(text, 10, 5, …)`).
 */
export function hitsQuery(
  match: MatchExpressions,
  query: SearchQuery,
  bm25: string,
): { sql: string; params: Param[] } {
  const where: string[] = [];
  const filterParams: Param[] = [];
  if (query.searchableOnly ?? true) where.push('s.searchable = 1');
  const codes = query.taxonomy ?? [];
  if (codes.length > 0) {
    // A code and those beneath it: every code that starts with it, through the index.
    const ranges = codes.map(() => '(t.code >= ? AND t.code < ?)').join(' OR ');
    where.push(`EXISTS (SELECT 1 FROM terms t WHERE t.service = s.rowid AND (${ranges}))`);
    for (const code of codes) filterParams.push(code, `${code}\u{10FFFF}`);
  }
  if (query.near !== undefined) {
    const { latitude, longitude, radiusKm } = query.near;
    const box = boundingBox(latitude, longitude, radiusKm);
    where.push(
      `s.rowid IN (SELECT p.service FROM points_box b JOIN points p ON p.rowid = b.id
        WHERE b.max_lat >= ? AND b.min_lat <= ? AND b.max_lon >= ? AND b.min_lon <= ?
        AND haversine_km(p.latitude, p.longitude, ?, ?) <= ?)`,
    );
    filterParams.push(
      box.minLat,
      box.maxLat,
      box.minLon,
      box.maxLon,
      latitude,
      longitude,
      radiusKm,
    );
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  if (match.main === undefined) {
    return {
      sql: `SELECT s.rowid, 0, s.cluster_id, 1 FROM services s ${filter} ORDER BY s.rowid`,
      params: filterParams,
    };
  }
  const scored = `(SELECT rowid, -${bm25} AS score FROM text WHERE text MATCH ?)`;
  const params: Param[] = [match.main];
  let joins = '';
  if (match.exact !== undefined) {
    joins += ` LEFT JOIN ${scored} x ON x.rowid = h.rowid`;
    params.push(match.exact);
  }
  if (match.complete !== undefined) {
    joins += ' LEFT JOIN (SELECT rowid FROM text WHERE text MATCH ?) a ON a.rowid = h.rowid';
    params.push(match.complete);
  }
  const score = match.exact === undefined ? 'h.score' : 'h.score + coalesce(x.score, 0)';
  const complete = match.complete === undefined ? '1' : 'a.rowid IS NOT NULL';
  return {
    sql: `SELECT s.rowid, ${score} AS score, s.cluster_id, ${complete} AS complete
      FROM ${scored} h JOIN services s ON s.rowid = h.rowid${joins}
      ${filter}
      ORDER BY complete DESC, score DESC, s.rowid`,
    params: [...params, ...filterParams],
  };
}
