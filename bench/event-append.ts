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
import { SqliteEventLog } from 'weir';
import { gc, median, table } from './_report.js';
import {
  BATCH,
  claim,
  materialized,
  runStarted,
  sqliteBareTable,
  started,
  steps,
  timed,
} from './event-append-baseline.js';

const args = process.argv.slice(2);
const EVENTS = Number(args[args.indexOf('--events') + 1] ?? 0) || 100_000;
const STEPS = Math.max(1_000, Math.floor(EVENTS / 5));
const REPEATS = 3;

/** Milliseconds a synchronous `fn` takes, after a collection. */
function timedSync(fn: () => void): number {
  gc();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-append-'));
  const rows: Record<string, number[]> = { bare: [], batched: [], serial: [], grouped: [] };
  const lease: Record<string, number[]> = { append: [], startSteps: [] };
  try {
    for (let r = 0; r < REPEATS; r++) {
      const events = Array.from({ length: EVENTS }, (_, i) => materialized(i));
      rows.bare!.push(await sqliteBareTable(join(dir, `bare-${r}.db`), events));

      const log = new SqliteEventLog(join(dir, `log-${r}.db`));
      rows.batched!.push(
        timedSync(() => {
          for (let i = 0; i < EVENTS; i += BATCH) log.appendSync(events.slice(i, i + BATCH));
        }),
      );

      // One partition per step, steps one after another: claim, then materialization.
      await log.append([runStarted(`serial-${r}`)]);
      rows.serial!.push(await timed(() => steps(log, EVENTS, STEPS, `serial-${r}`, 1)));

      // Eight steps in flight at once, as a run at concurrency 8 records them.
      await log.append([runStarted(`grouped-${r}`)]);
      rows.grouped!.push(await timed(() => steps(log, EVENTS + STEPS, STEPS, `grouped-${r}`, 8)));

      // The claim alone: startSteps against a plain append of the same event.
      await log.append([runStarted(`lease-${r}`)]);
      const leaseBase = EVENTS + 2 * STEPS;
      lease.append!.push(
        timedSync(() => {
          for (let i = 0; i < STEPS; i++) log.appendSync([started(leaseBase + i, `lease-${r}`)]);
        }),
      );
      lease.startSteps!.push(
        await timed(async () => {
          for (let i = 0; i < STEPS; i++) await claim(log, leaseBase + STEPS + i, `lease-${r}`);
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
