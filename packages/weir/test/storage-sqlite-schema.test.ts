/**
 * The SQLite event log's schema: a freshly migrated database matches the checked-in dump
 * `src/storage/sqlite/schema.sql`, and released migrations are never edited.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../src/index.js';
import { MIGRATIONS } from '../src/storage/sqlite/_migrations.js';
import { tempDir } from './helpers.js';

const SCHEMA_FILE = new URL('../src/storage/sqlite/schema.sql', import.meta.url);
const REGENERATE =
  'UPDATE_SCHEMA=1 npx vitest run packages/weir/test/storage-sqlite-schema.test.ts';

/** SQL without `--` comments (outside quotes) and with every run of whitespace one space. */
function normalise(sql: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += ' ';
      continue;
    }
    out += c;
  }
  return out.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
}

/** A CREATE TABLE statement with one column or constraint a line; others as they are. */
function layout(sql: string): string {
  const open = sql.indexOf('(');
  if (!sql.startsWith('CREATE TABLE') || open < 0) return sql;
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = start; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (c === ')' || (c === ',' && depth === 0)) {
      parts.push(sql.slice(start, i).trim());
      start = i + 1;
      if (c === ')') return `${sql.slice(0, open + 1)}\n  ${parts.join(',\n  ')}\n${sql.slice(i)}`;
    }
  }
  return sql;
}

/** The schema of a freshly migrated log: tables, then indexes, each by name. */
function dumpSchema(): string {
  const path = join(tempDir(), 'events.db');
  new SqliteEventLog(path).close();
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
       ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name`,
    )
    .pluck(true)
    .all() as string[];
  db.close();
  const statements = rows.map((sql) => `${layout(normalise(sql))};`);
  return `-- The SQLite event log's schema after every migration; regenerate with ${REGENERATE}\n${statements.join('\n\n')}\n`;
}

describe('SQLite event log schema', () => {
  it('matches the checked-in dump src/storage/sqlite/schema.sql', () => {
    const schema = dumpSchema();
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, schema);
    const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      checkedIn,
      `src/storage/sqlite/schema.sql differs from the schema the migrations make: if the change is intended, regenerate it with ${REGENERATE}`,
    ).toBe(schema);
  });

  it('never changes a released migration (existing logs have applied it already)', () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(MIGRATIONS.slice(0, 3).map((m) => [m.version, m.name, sha256(m.sql)])).toEqual([
      [1, 'events, asset and run indexes', RELEASED[0]],
      [2, 'asset_state: summaries, the usable materialization, checks and freshness', RELEASED[1]],
      [
        3,
        'partitions: change ids and code versions in asset_state, dynamic partitions, backfills',
        RELEASED[2],
      ],
    ]);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});

/** SHA-256 of the SQL of migrations 1 to 3 as released. */
const RELEASED = [
  '27c214c9df4119b4d778e1d37cd7b7084368f29fb6485fb85b2a9916850f79f0',
  '161c987cafd50371c21247ec0cb04be8b5aa8d8fe4676b4e476efdbba5b52d34',
  '2e6414ba77af830220d32411bc2bc18ca4af81d43b27258a8793d06a384ac372',
];
