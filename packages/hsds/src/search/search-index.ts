// The search index of mapped services: an SQLite file (or memory) holding an FTS5 table with
// weighted columns, the taxonomy terms, the locations and the records themselves; in memory
// beside it, once per write, the vocabulary and the catalog a search filters and counts with.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Catalog } from './catalog.js';
import type { SearchEntry } from './document.js';
import { DEFAULT_RANKING, type Ranking } from './ranking.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';
import { Searcher } from './searcher.js';
import { SynonymTable } from './synonym-table.js';
import type { SearchQuery, SearchResponse, WriteCounts } from './types.js';
import { Vocabulary } from './vocabulary.js';
import { IndexWriter } from './writer.js';

export interface IndexOptions {
  /** How to rank; the defaults are measured best on the judged queries. */
  ranking?: Partial<Ranking>;
  synonyms?: SynonymTable;
}

export interface OpenOptions extends IndexOptions {
  readonly?: boolean;
}

export class SearchIndex {
  private readonly searcher: Searcher;
  private readonly synonyms: SynonymTable;
  private writer?: IndexWriter;
  private vocabulary?: Vocabulary;
  private catalog?: Catalog;

  private constructor(
    private readonly db: Database.Database,
    options: IndexOptions,
  ) {
    this.synonyms = options.synonyms ?? new SynonymTable();
    this.searcher = new Searcher(db, { ...DEFAULT_RANKING, ...options.ranking }, this.synonyms);
  }

  /** A new, empty index in a file that does not exist yet (or is empty), or `':memory:'`. */
  static create(path: string, options: IndexOptions = {}): SearchIndex {
    if (path !== ':memory:' && existsSync(path) && statSync(path).size > 0)
      throw new Error(`${path} already exists: SearchIndex.open() it, or remove it first`);
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.exec(SCHEMA);
    return new SearchIndex(db, options);
  }

  /** An index written before, to search (`readonly`) or to update. */
  static open(path: string, options: OpenOptions = {}): SearchIndex {
    const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
    let version: string | undefined;
    try {
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meta'").get();
      version = hasMeta
        ? (db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as string)
        : undefined;
    } catch (error) {
      db.close();
      throw new Error(`${path} is not a search index: ${(error as Error).message}`);
    }
    if (version !== SCHEMA_VERSION) {
      db.close();
      throw new Error(
        `${path} is not a search index of schema ${SCHEMA_VERSION} (found ${version ?? 'none'}): rebuild it`,
      );
    }
    return new SearchIndex(db, options);
  }

  /** Adds records, and replaces those whose id is indexed and whose content changed. */
  upsert(entries: Iterable<SearchEntry>): WriteCounts {
    return this.write((w) => w.upsert(entries));
  }

  /** Removes records by `service.id`; returns how many were indexed. */
  remove(ids: Iterable<string>): number {
    return this.write((w) => w.remove(ids));
  }

  /** Removes every record of an agency; returns how many. */
  removeWhere(where: { agency: string }): number {
    return this.write((w) => w.removeAgency(where.agency));
  }

  /** An agency's new export, incrementally: added, changed, removed; unchanged left alone. */
  replaceAgency(agency: string, entries: readonly SearchEntry[]): WriteCounts {
    return this.write((w) => w.replaceAgency(agency, entries));
  }

  search(query: SearchQuery): SearchResponse {
    this.catalog ??= new Catalog(this.db);
    return this.searcher.search(query, this.terms(), this.catalog);
  }

  /** The stored record, as it was indexed. */
  get(id: string): SearchEntry | undefined {
    const row = this.db.prepare('SELECT entry FROM services WHERE id = ?').get(id) as
      | { entry: string }
      | undefined;
    return row === undefined ? undefined : (JSON.parse(row.entry) as SearchEntry);
  }

  /** How many records, and how many of them are offered in search. */
  count(): { services: number; searchable: number } {
    return this.db
      .prepare(
        'SELECT count(*) AS services, coalesce(sum(searchable), 0) AS searchable FROM services',
      )
      .get() as { services: number; searchable: number };
  }

  /**
   * A SHA-256 of every record the index holds, in id order, with the schema version: equal for
   * two indexes that hold the same records however they were written (the file's bytes are
   * not: pages depend on the order of writes). What an asset keeping an index uses as its data
   * version, so a rebuild from scratch proves an incremental update (`weir verify --reproduce`).
   */
  contentVersion(): string {
    const hash = createHash('sha256').update(`${SCHEMA_VERSION}\n`);
    for (const row of this.db.prepare('SELECT id, entry FROM services ORDER BY id').iterate()) {
      const { id, entry } = row as { id: string; entry: string };
      hash.update(`${id}\0${entry}\n`);
    }
    return hash.digest('hex');
  }

  /** Merges the full-text index's segments: smaller and faster to query after many writes. */
  optimize(): void {
    this.db.exec("INSERT INTO text (text) VALUES ('optimize')");
  }

  close(): void {
    this.db.close();
  }

  /** The indexed terms, read once after each write (fts5vocab scans the whole index). */
  private terms(): Vocabulary {
    if (this.vocabulary === undefined) {
      const rows = this.db.prepare('SELECT term, doc FROM vocab').raw(true).all() as [
        string,
        number,
      ][];
      this.vocabulary = new Vocabulary(rows, this.synonyms.singleTermKeys());
    }
    return this.vocabulary;
  }

  private write<T>(f: (writer: IndexWriter) => T): T {
    this.writer ??= new IndexWriter(this.db);
    this.vocabulary = undefined;
    this.catalog = undefined;
    return f(this.writer);
  }
}
