// The plain BM25 baseline the ranking is measured against: the same text in one FTS5 column,
// FTS5's bm25() unweighted, the query's words as they are (any of them, as BM25 scores a bag
// of words), no synonyms, no correction, no plural forms. Same status filter as the search.
import Database from 'better-sqlite3';
import type { SourceRef } from '../map/mapped.js';
import { indexDocument, type SearchEntry, TEXT_COLUMNS } from './document.js';
import { anyOf } from './escape.js';
import { haversineKm } from './geo.js';
import { tokenize } from './tokens.js';
import type { NearFilter } from './types.js';

export interface PlainHit {
  id: string;
  score: number;
  source: Pick<SourceRef, 'agency' | 'recordId'>;
}

export class PlainIndex {
  private readonly db: Database.Database;
  private readonly query;
  /** Locations by rowid, for the distance filter (applied to the ranked matches, as the search does). */
  private readonly points = new Map<number, { latitude: number; longitude: number }[]>();

  constructor(path = ':memory:') {
    this.db = new Database(path);
    this.db.exec(`
      CREATE TABLE services (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, agency TEXT NOT NULL,
        record_id TEXT NOT NULL, searchable INTEGER NOT NULL);
      CREATE VIRTUAL TABLE plain USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
    `);
    this.query = this.db.prepare<
      [string, number, number],
      [number, string, string, string, number]
    >(
      `SELECT s.rowid, s.id, s.agency, s.record_id, h.score
       FROM (SELECT rowid, -bm25(plain) AS score FROM plain WHERE plain MATCH ?) h
       JOIN services s ON s.rowid = h.rowid WHERE s.searchable = 1
       ORDER BY h.score DESC, s.rowid LIMIT ? OFFSET ?`,
    );
  }

  /** Adds records (the baseline is built once, never updated). */
  add(entries: Iterable<SearchEntry>): void {
    const service = this.db.prepare(
      'INSERT INTO services (id, agency, record_id, searchable) VALUES (?, ?, ?, ?)',
    );
    const body = this.db.prepare('INSERT INTO plain (rowid, body) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const e of entries) {
        const doc = indexDocument(e);
        const { lastInsertRowid } = service.run(
          e.service.id,
          e.source.agency,
          e.source.recordId,
          e.searchable ? 1 : 0,
        );
        body.run(lastInsertRowid, TEXT_COLUMNS.map((c) => doc.text[c]).join('\n'));
        if (doc.points.length > 0) this.points.set(Number(lastInsertRowid), doc.points);
      }
    })();
  }

  search(
    text: string,
    options: { limit?: number; offset?: number; near?: NearFilter } = {},
  ): PlainHit[] {
    const { limit = 10, offset = 0, near } = options;
    const words = [...new Set(tokenize(text))];
    if (words.length === 0) return [];
    const expression = words.map((w) => anyOf([[w]])).join(' OR ');
    let rows = this.query.raw(true).all(expression, near ? -1 : limit, near ? 0 : offset);
    if (near !== undefined) {
      rows = rows
        .filter(([rowid]) =>
          (this.points.get(rowid) ?? []).some(
            (p) =>
              haversineKm(p.latitude, p.longitude, near.latitude, near.longitude) <= near.radiusKm,
          ),
        )
        .slice(offset, offset + limit);
    }
    return rows.map(([, id, agency, recordId, score]) => ({
      id,
      score,
      source: { agency, recordId },
    }));
  }

  close(): void {
    this.db.close();
  }
}
