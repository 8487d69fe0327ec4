/**
 * event-append: how fast the event log records, against a bare table measured in the same run.
 *
 * - baseline: the same JSON bodies into a table with no index, 1,000 per transaction;
 * - batched: `append` of 1,000 partition materializations per call (a single-run range, an import);
 * - one partition per step, as a run records it: the unit's claim (`startSteps`: its lease and
 *   step:started), then its materialization; steps one after another, and 8 steps in flight
 *   at once (group commit: appends issued together share a transaction);
 * - lease overhead: `startSteps` against appending the same step:started events with `append`.
 *
 * Targets (issue 15): ≥ 50,000 events/s batched; ≥ 20,000 partitions/s one per step.
 *
 * Run: npm run bench -- event-append [--events N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventLog, type WeirEvent } from 'weir';
import { gc, median, table } from './_report.js';

const args = process.argv.slice(2);
const EVENTS = Number(args[args.indexOf('--events') + 1] ?? 0) || 100_000;
const STEPS = Math.max(1_000, Math.floor(EVENTS / 5));
const REPEATS = 3;

const day = (i: number) =>
  new Date(Date.UTC(1900, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

function materialized(i: number, runId = 'bench'): WeirEvent {
  return {
    type: 'asset:materialized',
    runId,
    assetKey: 'gauges/day_summary',
    partition: day(i),
    timestamp: Date.now(),
    materialization: {
      dataVersion: `sha256-${i.toString(16).padStart(58, '0')}`,
      codeVersion: 'a1b2c3d4e5f60718',
      inputs: {
        'gauges/readings': { dataVersion: `sha256-${'r'.repeat(58)}`, eventId: 7 },
        'gauges/stations': { dataVersion: `sha256-${'s'.repeat(58)}`, eventId: 9 },
      },
      configHash: 'c0ffee',
      artefact: {
        format: 'json',
        location: `objects/ab/${i.toString(16).padStart(64, 'a')}`,
        contentHash: `${i}`,
        size: 321,
        type: 'blob',
      },
      startedAt: Date.now(),
      endedAt: Date.now(),
      host: 'bench-host',
      weirVersion: '0.0.0',
      metadata: { rows: 3 },
    },
  };
}

const started = (i: number, runId = 'bench'): WeirEvent => ({
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

function timed(fn: () => void): number {
  gc();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timedAsync(fn: () => Promise<void>): Promise<number> {
  gc();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-append-'));
  const rows: Record<string, number[]> = { bare: [], batched: [], serial: [], grouped: [] };
  const lease: Record<string, number[]> = { append: [], startSteps: [] };
  try {
    for (let r = 0; r < REPEATS; r++) {
      const events = Array.from({ length: EVENTS }, (_, i) => materialized(i));
      const bare = new Database(join(dir, `bare-${r}.db`));
      bare.pragma('journal_mode = WAL');
      bare.pragma('synchronous = NORMAL');
      bare.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      const insert = bare.prepare('INSERT INTO events (body) VALUES (?)');
      const batch = bare.transaction((list: WeirEvent[]) => {
        for (const event of list) insert.run(JSON.stringify(event));
      });
      rows.bare!.push(
        timed(() => {
          for (let i = 0; i < EVENTS; i += 1000) batch(events.slice(i, i + 1000));
        }),
      );
      bare.close();

      const log = new SqliteEventLog(join(dir, `log-${r}.db`));
      rows.batched!.push(
        timed(() => {
          for (let i = 0; i < EVENTS; i += 1000) log.appendSync(events.slice(i, i + 1000));
        }),
      );

      // One partition per step, steps one after another: claim, then materialization.
      await log.append([runStarted(`serial-${r}`)]);
      const offset = EVENTS;
      rows.serial!.push(
        await timedAsync(async () => {
          for (let i = 0; i < STEPS; i++) {
            const p = offset + i;
            const claim = await log.startSteps({
              events: [started(p, `serial-${r}`)],
              expected: [
                { assetKey: 'gauges/day_summary', partition: day(p), materializationId: 0 },
              ],
            });
            if (claim.status !== 'started') throw new Error('not started');
            await log.append([materialized(p, `serial-${r}`)]);
          }
        }),
      );

      // Eight steps in flight at once, as a run at concurrency 8 records them.
      await log.append([runStarted(`grouped-${r}`)]);
      const base = EVENTS + STEPS;
      let next = 0;
      rows.grouped!.push(
        await timedAsync(async () => {
          const worker = async () => {
            for (let i = next++; i < STEPS; i = next++) {
              const p = base + i;
              const claim = await log.startSteps({
                events: [started(p, `grouped-${r}`)],
                expected: [
                  { assetKey: 'gauges/day_summary', partition: day(p), materializationId: 0 },
                ],
              });
              if (claim.status !== 'started') throw new Error('not started');
              await log.append([materialized(p, `grouped-${r}`)]);
            }
          };
          await Promise.all(Array.from({ length: 8 }, worker));
        }),
      );

      // The claim alone: startSteps against a plain append of the same event.
      await log.append([runStarted(`lease-${r}`)]);
      const leaseBase = EVENTS + 2 * STEPS;
      lease.append!.push(
        timed(() => {
          for (let i = 0; i < STEPS; i++) log.appendSync([started(leaseBase + i, `lease-${r}`)]);
        }),
      );
      lease.startSteps!.push(
        await timedAsync(async () => {
          for (let i = 0; i < STEPS; i++) {
            const p = leaseBase + STEPS + i;
            await log.startSteps({
              events: [started(p, `lease-${r}`)],
              expected: [
                { assetKey: 'gauges/day_summary', partition: day(p), materializationId: 0 },
              ],
            });
          }
        }),
      );
      await log.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
  const bare = rate(EVENTS, median(rows.bare!));
  const line = (how: string, perSecond: number, what: string, target: number | undefined) => [
    how,
    perSecond.toLocaleString('en'),
    what,
    `${(perSecond / bare).toFixed(2)}x`,
    target === undefined ? '' : perSecond >= target ? 'PASS' : 'FAIL',
  ];
  const serial = rate(STEPS, median(rows.serial!));
  const grouped = rate(STEPS, median(rows.grouped!));
  process.stdout.write(
    `event-append: node ${process.version}, ${EVENTS.toLocaleString('en')} events, ${STEPS.toLocaleString('en')} steps, ${REPEATS} repeats (medians), SQLite WAL synchronous=NORMAL\n\n${table(
      ['how', 'per second', 'of', 'vs bare events/s', 'target'],
      [
        line('baseline: bare table, no index, 1,000 per transaction', bare, 'events', undefined),
        line(
          'append, 1,000 per call (batched)',
          rate(EVENTS, median(rows.batched!)),
          'events',
          50_000,
        ),
        line('one partition per step, one step at a time', serial, 'partitions', 20_000),
        line('one partition per step, 8 steps in flight', grouped, 'partitions', 20_000),
      ],
    )}\n`,
  );
  const perStep = (ms: number) => (ms * 1000) / STEPS;
  const plain = perStep(median(lease.append!));
  const claimed = perStep(median(lease.startSteps!));
  process.stdout.write(
    `\nlease overhead per step: startSteps ${claimed.toFixed(1)} µs vs append of the same step:started ${plain.toFixed(1)} µs: +${(claimed - plain).toFixed(1)} µs (${(claimed / plain).toFixed(2)}x)\n`,
  );
}

await main();
