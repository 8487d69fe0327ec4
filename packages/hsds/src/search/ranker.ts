// The best matches of an FTS5 expression by weighted BM25 that pass a filter. SQLite sorts in
// its own code (ORDER BY … LIMIT k): asking for a few more than the page needs, and more again
// when the filter drops too many, costs far less than scoring every match into JavaScript.
import type Database from 'better-sqlite3';

export interface Ranked {
  rowid: number;
  score: number;
}

export class Ranker {
  private readonly top;

  constructor(db: Database.Database, bm25: string) {
    this.top = db.prepare<[string, number], [number, number]>(
      `SELECT rowid, -${bm25} AS score FROM text WHERE text MATCH ? ORDER BY score DESC, rowid LIMIT ?`,
    );
  }

  /**
   * The first `needed` matches of `expression` that `keep` accepts, best first. `share` is the
   * part of its `matches` expected to pass the filter (known from the counts), so that the first
   * request is large enough; SQLite scores every match either way, so a larger k costs little.
   */
  best(
    expression: string,
    keep: (rowid: number) => boolean,
    needed: number,
    matches: number,
    share: number,
  ): Ranked[] {
    if (needed <= 0 || matches === 0) return [];
    let k = Math.ceil((needed / Math.max(share, 1e-6)) * 1.5) + 10;
    for (;;) {
      const all = k >= matches;
      const rows = this.top.raw(true).all(expression, all ? -1 : k);
      const out: Ranked[] = [];
      for (const [rowid, score] of rows) {
        if (keep(rowid)) out.push({ rowid, score });
        if (out.length === needed) return out;
      }
      if (all) return out;
      k *= 4;
    }
  }
}
