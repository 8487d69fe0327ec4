// The best matches of an FTS5 expression by weighted BM25 that pass a filter, in one pass.
// The filter runs inside the statement, as a function SQLite calls with every match's rowid
// before it scores the row: BM25 (a `docsize` lookup per row) is computed only for the rows the
// filter keeps, and SQLite sorts them in its own code (ORDER BY … LIMIT k). The same call lets
// the caller see every match, so one pass over the doclists both ranks the page and collects
// the matches that give the total and the facets. (Asking SQLite for the best k of all matches
// and filtering in JavaScript afterwards scored every match, and had to ask again with a larger
// k whenever the filter dropped too many: a near-me query keeping 44 of 4,052 matches scored
// all 4,052 twice.)
import type Database from 'better-sqlite3';

export interface Ranked {
  rowid: number;
  score: number;
}

/** Called by SQLite with every match's rowid, in rowid order; true keeps it for ranking. */
export type Visitor = (rowid: number) => boolean;

/** The SQL function the ranking statement filters with (one per connection). */
const FILTER = 'weir_search_keep';

export class Ranker {
  private readonly top;
  private visitor: Visitor = () => true;

  constructor(db: Database.Database, bm25: string) {
    db.function(FILTER, { deterministic: false, directOnly: true }, (rowid) =>
      this.visitor(rowid as number) ? 1 : 0,
    );
    this.top = db
      .prepare<[string, number], [number, number]>(
        `SELECT rowid, -${bm25} AS score FROM text WHERE text MATCH ? AND ${FILTER}(rowid) ` +
          'ORDER BY score DESC, rowid LIMIT ?',
      )
      .raw(true);
  }

  /**
   * The best `k` matches of `expression` that `visit` accepts, best first. `visit` is called
   * once with every match of the expression (SQLite must see them all to sort), so a caller can
   * count and collect the matches in the same pass.
   */
  best(expression: string, visit: Visitor, k: number): Ranked[] {
    if (k <= 0) return [];
    this.visitor = visit;
    try {
      return this.top.all(expression, k).map(([rowid, score]) => ({ rowid, score }));
    } finally {
      this.visitor = () => true;
    }
  }
}
