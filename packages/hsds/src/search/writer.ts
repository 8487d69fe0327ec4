// Writing to the index: records added or replaced by id (unchanged ones skipped), removed by id
// or by agency, each call in one transaction.
import type Database from 'better-sqlite3';
import { indexDocument, type SearchEntry, TEXT_COLUMNS } from './document.js';
import type { WriteCounts } from './types.js';

type Db = Database.Database;

export class IndexWriter {
  private readonly find;
  private readonly insertService;
  private readonly insertText;
  private readonly insertTerm;
  private readonly insertPoint;
  private readonly deletePoints;
  private readonly deleteTerms;
  private readonly deleteText;
  private readonly deleteService;
  private readonly agencyRows;

  constructor(private readonly db: Db) {
    this.find = db.prepare<[string], { rowid: number; entry: string }>(
      'SELECT rowid, entry FROM services WHERE id = ?',
    );
    this.insertService = db.prepare(
      `INSERT INTO services (id, agency, record_id, cluster_id, searchable, summary, source, entry)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertText = db.prepare(
      `INSERT INTO text (rowid, ${TEXT_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(TEXT_COLUMNS.length)})`,
    );
    this.insertTerm = db.prepare(
      'INSERT OR IGNORE INTO terms (code, service, name) VALUES (?, ?, ?)',
    );
    this.insertPoint = db.prepare(
      'INSERT INTO points (service, latitude, longitude) VALUES (?, ?, ?)',
    );
    this.deletePoints = db.prepare('DELETE FROM points WHERE service = ?');
    this.deleteTerms = db.prepare('DELETE FROM terms WHERE service = ?');
    this.deleteText = db.prepare('DELETE FROM text WHERE rowid = ?');
    this.deleteService = db.prepare('DELETE FROM services WHERE rowid = ?');
    this.agencyRows = db.prepare<[string], { rowid: number; id: string }>(
      'SELECT rowid, id FROM services WHERE agency = ?',
    );
  }

  /** Adds new records and replaces changed ones (by `service.id`). */
  upsert(entries: Iterable<SearchEntry>): WriteCounts {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0, removed: 0 };
    this.db.transaction(() => {
      for (const entry of entries) this.upsertOne(entry, counts);
    })();
    return counts;
  }

  /** Removes the records with these ids; returns how many there were. */
  remove(ids: Iterable<string>): number {
    let removed = 0;
    this.db.transaction(() => {
      for (const id of ids) {
        const row = this.find.get(id);
        if (row !== undefined) {
          this.removeRow(row.rowid);
          removed++;
        }
      }
    })();
    return removed;
  }

  /** Removes every record of an agency; returns how many. */
  removeAgency(agency: string): number {
    let removed = 0;
    this.db.transaction(() => {
      for (const row of this.agencyRows.all(agency)) {
        this.removeRow(row.rowid);
        removed++;
      }
    })();
    return removed;
  }

  /**
   * Makes an agency's records exactly `entries`: new ones added, changed ones replaced, those
   * no longer exported removed, unchanged ones left alone. One transaction.
   */
  replaceAgency(agency: string, entries: readonly SearchEntry[]): WriteCounts {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0, removed: 0 };
    for (const e of entries) {
      if (e.source.agency !== agency)
        throw new TypeError(
          `replaceAgency('${agency}'): record ${e.service.id} is of agency '${e.source.agency}'`,
        );
    }
    this.db.transaction(() => {
      const keep = new Set(entries.map((e) => e.service.id));
      for (const row of this.agencyRows.all(agency)) {
        if (!keep.has(row.id)) {
          this.removeRow(row.rowid);
          counts.removed++;
        }
      }
      for (const entry of entries) this.upsertOne(entry, counts);
    })();
    return counts;
  }

  private upsertOne(entry: SearchEntry, counts: WriteCounts): void {
    const json = JSON.stringify(entry);
    const existing = this.find.get(entry.service.id);
    if (existing !== undefined) {
      if (existing.entry === json) {
        counts.unchanged++;
        return;
      }
      this.removeRow(existing.rowid);
      counts.updated++;
    } else {
      counts.added++;
    }
    const doc = indexDocument(entry);
    const { lastInsertRowid } = this.insertService.run(
      entry.service.id,
      entry.source.agency,
      entry.source.recordId,
      entry.clusterId ?? null,
      entry.searchable ? 1 : 0,
      JSON.stringify(doc.summary),
      JSON.stringify(entry.source),
      json,
    );
    const rowid = Number(lastInsertRowid);
    this.insertText.run(rowid, ...TEXT_COLUMNS.map((c) => doc.text[c]));
    for (const t of doc.taxonomy) this.insertTerm.run(t.code, rowid, t.name);
    for (const p of doc.points) {
      this.insertPoint.run(rowid, p.latitude, p.longitude);
    }
  }

  private removeRow(rowid: number): void {
    this.deletePoints.run(rowid);
    this.deleteTerms.run(rowid);
    this.deleteText.run(rowid);
    this.deleteService.run(rowid);
  }
}
