/**
 * What the event-append benches share (event-append for SQLite, postgres-append for PostgreSQL
 * against SQLite): the events they append, the bare-table baseline each log is compared with
 * in the same run, and one step as a run records it.
 */
import Database from 'better-sqlite3';
import type { EventLog, WeirEvent } from 'weir';
import { partitionMaterialization } from './_fixtures.js';
import { gc } from './_report.js';

/** Rows per transaction of the baseline, and events per `append` of the batched case. */
export const BATCH = 1_000;

export const day = (i: number) =>
  new Date(Date.UTC(1900, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

export const materialized = (i: number, runId = 'bench') =>
  partitionMaterialization(i, day(i), runId);

export const started = (i: number, runId = 'bench'): WeirEvent => ({
  type: 'step:started',
  runId,
  assetKey: 'gauges/day_summary',
  partition: day(i),
  timestamp: Date.now(),
  attempt: 1,
});

export const runStarted = (runId: string): WeirEvent => ({
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

/** Milliseconds `fn` takes, after a collection. */
export async function timed(fn: () => Promise<void> | void): Promise<number> {
  gc();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * The baseline: the same events as JSON into a SQLite table with no index (WAL, synchronous
 * NORMAL, as the log), BATCH per transaction; the JSON is written in the timed loop, as the log
 * writes it in `append`. Milliseconds.
 */
export async function sqliteBareTable(path: string, events: readonly WeirEvent[]): Promise<number> {
  const bare = new Database(path);
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = bare.prepare('INSERT INTO events (body) VALUES (?)');
  const batch = bare.transaction((list: readonly WeirEvent[]) => {
    for (const event of list) insert.run(JSON.stringify(event));
  });
  try {
    return await timed(() => {
      for (let i = 0; i < events.length; i += BATCH) batch(events.slice(i, i + BATCH));
    });
  } finally {
    bare.close();
  }
}

/** The claim of the step of partition `p` (its lease and step:started). */
export async function claim(log: EventLog, p: number, runId: string): Promise<void> {
  const claimed = await log.startSteps({
    events: [started(p, runId)],
    expected: [{ assetKey: 'gauges/day_summary', partition: day(p), materializationId: 0 }],
  });
  if (claimed.status !== 'started') throw new Error(`step ${p} not started: ${claimed.status}`);
}

/** One step as a run records it: its claim, then its materialization. */
export async function step(log: EventLog, p: number, runId: string): Promise<void> {
  await claim(log, p, runId);
  await log.append([materialized(p, runId)]);
}

/** `steps` steps from partition `first`, `inFlight` at a time (1: one after another). */
export async function steps(
  log: EventLog,
  first: number,
  count: number,
  runId: string,
  inFlight: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await step(log, first + i, runId);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}
