/**
 * partitions-scale: planning 100 assets × 100,000 daily partitions with full history, and
 * recording 100,000 partition materializations.
 *
 * Planning. 100 partitioned assets in a chain-like graph (each reads the one before it;
 * every tenth reads the last 7 days of it through `lastNMapping(7)`, the rest by identity),
 * 100,000 daily partitions each (1750-01-01 … 2023-10-16). Full history is the partition
 * index a log holds after every partition of every asset was materialized: 10,000,000
 * `asset_state` rows, written here with one INSERT per row in the migration-3 schema (ids
 * as a real history would give them: each asset's partitions after its parents', so all is
 * fresh), plus a later correction: 100 days of the first asset rematerialized with new data,
 * and one asset's code changed for 1,000 partitions. Replaying 10 M events through
 * `append` would take minutes and ~5 GB of event bodies without changing what planning reads.
 *
 * Measured, through `planMaterialization()` (observe sources, read every partitioned asset's
 * state, resolve staleness of every partition, plan): cold (no snapshot yet: all 10 M rows
 * are read from SQLite and the snapshots written), warm (snapshots in .weir/cache/partitions,
 * topped up with rows changed since: the target, ≤ 1 s and ≤ 1 GiB), and warm after a real
 * `append` that corrects one more partition (the catch-up path). The stale partitions found
 * are checked against what the history implies. Baseline in the same run: reading the 100
 * snapshot files (the bytes a warm plan must at least read).
 *
 * Recording. 100,000 `asset:materialized` events of one partitioned asset with realistic
 * provenance, appended in transactions of 1,000 through `SqliteEventLog.append` (indexes
 * included); and, as a run records them, one transaction per step (step:started, then the
 * materialization). Baseline: the same JSON bodies inserted into a bare table with no index.
 * Target: ≥ 20,000 events/s.
 *
 * Run: npm run bench -- partitions-scale [--assets N] [--partitions N]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  type AnyAssetDefinition,
  type AssetDefinition,
  asset,
  dailyPartitions,
  defineProject,
  lastNMapping,
  many,
  openInstance,
  planMaterialization,
  SqliteEventLog,
  type WeirEvent,
} from 'weir';
import { partitionMaterialization } from './_fixtures.js';
import { gc, table } from './_report.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const ASSETS = option('assets', 100);
const PARTITIONS = option('partitions', 100_000);
const RECORD = 100_000;
const PLAN_TARGET_MS = 1000;
const MEMORY_TARGET = 1024 ** 3;
const EVENTS_TARGET = 20_000;
const START = Date.UTC(1750, 0, 1);
const DAY = 86_400_000;
const CORRECTED = { from: 50_000, count: 100 };
const CODE_CHANGED = { asset: 37, from: 10_000, count: 1_000 };

const dayKey = (i: number) => new Date(START + i * DAY).toISOString().slice(0, 10);
const keyOf = (a: number) => `chain/a${String(a).padStart(3, '0')}`;
const windowOf = (a: number) => (a > 0 && a % 10 === 0 ? 7 : 1);

function buildProject() {
  const days = dailyPartitions({ start: dayKey(0), end: dayKey(PARTITIONS) });
  const assets: AssetDefinition<string, number>[] = [];
  for (let a = 0; a < ASSETS; a++) {
    const previous = assets[a - 1];
    const code = a === CODE_CHANGED.asset ? 'v2' : 'v1';
    assets.push(
      previous === undefined
        ? asset({ key: keyOf(a), partitions: days, codeVersion: code, materialize: () => 1 })
        : windowOf(a) > 1
          ? asset({
              key: keyOf(a),
              partitions: days,
              codeVersion: code,
              ins: { up: many(previous, lastNMapping(7)) },
              materialize: (_ctx, { up }) => up.size,
            })
          : asset({
              key: keyOf(a),
              partitions: days,
              codeVersion: code,
              ins: { up: previous },
              materialize: (_ctx, { up }) => up + 1,
            }),
    );
  }
  return defineProject({ assets: assets as AnyAssetDefinition[] });
}

/** Writes the partition index of a full history straight into asset_state (see the header). */
function seedHistory(path: string): { lastId: number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO asset_state (asset_key, partition, materialization_id, materialization_summary,
       usable_id, data_version, data_changed_id, inputs_as_of, code_version, updated_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const idOf = (a: number, p: number) => 1 + a * PARTITIONS + p;
  let lastId = idOf(ASSETS - 1, PARTITIONS - 1);
  const correctionBase = lastId;
  db.transaction(() => {
    for (let a = 0; a < ASSETS; a++) {
      const key = keyOf(a);
      for (let p = 0; p < PARTITIONS; p++) {
        const corrected =
          a === 0 && p >= CORRECTED.from && p < CORRECTED.from + CORRECTED.count
            ? correctionBase + 1 + (p - CORRECTED.from)
            : 0;
        const id = corrected || idOf(a, p);
        const asOf = a === 0 ? 0 : idOf(a - 1, p);
        const code =
          a === CODE_CHANGED.asset &&
          p >= CODE_CHANGED.from &&
          p < CODE_CHANGED.from + CODE_CHANGED.count
            ? 'v1'
            : a === CODE_CHANGED.asset
              ? 'v2'
              : 'v1';
        const version = `sha-${a}-${p}${corrected ? '-corrected' : ''}`;
        const summary = `{"id":${id},"runId":"seed","timestamp":${START},"materialization":{"dataVersion":"${version}","codeVersion":"${code}","inputs":{},"startedAt":0,"endedAt":0,"artefact":{"format":"json","location":"objects/00/seed","type":"blob"}}}`;
        insert.run(key, dayKey(p), id, summary, id, version, id, asOf, code, id);
      }
    }
  })();
  lastId = correctionBase + CORRECTED.count;
  // Each asset's newest row points at a real event, as in a real log: snapshots are checked
  // against the event they cover.
  const insertEvent = db.prepare(
    `INSERT INTO events (id, type, run_id, asset_key, partition, timestamp, body) VALUES (?, 'asset:materialized', 'seed', ?, ?, ?, ?)`,
  );
  const event = (id: number, assetKey: string, partition: string) =>
    insertEvent.run(
      id,
      assetKey,
      partition,
      START,
      JSON.stringify({
        type: 'asset:materialized',
        runId: 'seed',
        assetKey,
        partition,
        timestamp: START,
      }),
    );
  event(lastId, keyOf(0), dayKey(CORRECTED.from + CORRECTED.count - 1));
  for (let a = 0; a < ASSETS; a++) event(idOf(a, PARTITIONS - 1), keyOf(a), dayKey(PARTITIONS - 1));
  db.close();
  return { lastId };
}

/**
 * The stale partitions the seeded history implies, by brute force over every partition and
 * every partition it reads (independent of Weir's bitsets and mappings): a partition is
 * stale when its code changed, or an upstream day it reads changed after it read it, or an
 * upstream day it reads is stale. `fixed`: one more corrected day of the first asset.
 */
function expectedStale(fixed?: number): number {
  const idOf = (a: number, p: number) => 1 + a * PARTITIONS + p;
  const big = idOf(ASSETS, 0);
  const changedAt = (a: number, p: number) =>
    a === 0 && (p === fixed || (p >= CORRECTED.from && p < CORRECTED.from + CORRECTED.count))
      ? big
      : idOf(a, p);
  let previous = new Uint8Array(PARTITIONS);
  let total = 0;
  for (let a = 1; a < ASSETS; a++) {
    const stale = new Uint8Array(PARTITIONS);
    const w = windowOf(a);
    for (let p = 0; p < PARTITIONS; p++) {
      let s =
        a === CODE_CHANGED.asset &&
        p >= CODE_CHANGED.from &&
        p < CODE_CHANGED.from + CODE_CHANGED.count;
      const asOf = idOf(a - 1, p);
      for (let u = Math.max(0, p - w + 1); u <= p && !s; u++) {
        s = changedAt(a - 1, u) > asOf || previous[u] === 1;
      }
      if (s) {
        stale[p] = 1;
        total++;
      }
    }
    previous = stale;
  }
  return total;
}

async function plan(project: ReturnType<typeof buildProject>, dir: string) {
  const instance = openInstance({ dir });
  try {
    gc();
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const started = performance.now();
    const { plan: result, states } = await planMaterialization(project, {
      instance,
      now: Date.UTC(2030, 0, 1),
    });
    const ms = performance.now() - started;
    clearInterval(sampler);
    const after = process.memoryUsage();
    peak = Math.max(peak, after.rss);
    let stale = 0;
    let missing = 0;
    for (const state of states.values()) {
      stale += state.partitions?.stale.count ?? 0;
      missing += state.partitions?.missing.count ?? 0;
    }
    let planned = 0;
    for (const p of result.partitions.values()) planned += p.planned.count;
    return { ms, peak, heap: after.heapUsed + after.arrayBuffers, stale, missing, planned };
  } finally {
    await instance.close();
  }
}

function recordEvents(dir: string) {
  const path = join(dir, 'record.db');
  const log = new SqliteEventLog(path);
  const materialization = (i: number) => partitionMaterialization(i, dayKey(i));
  const events = Array.from({ length: RECORD }, (_, i) => materialization(i));

  const bare = new Database(join(dir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = bare.prepare('INSERT INTO events (body) VALUES (?)');
  const insertBatch = bare.transaction((batch: WeirEvent[]) => {
    for (const event of batch) insert.run(JSON.stringify(event));
  });
  gc();
  let started = performance.now();
  for (let i = 0; i < RECORD; i += 1000) insertBatch(events.slice(i, i + 1000));
  const bareMs = performance.now() - started;
  bare.close();

  gc();
  started = performance.now();
  for (let i = 0; i < RECORD; i += 1000) log.appendSync(events.slice(i, i + 1000));
  const batchedMs = performance.now() - started;

  // As a run records them: step:started, then the materialization, one transaction each.
  const steps = 20_000;
  gc();
  started = performance.now();
  for (let i = 0; i < steps; i++) {
    const event = materialization(RECORD + i) as Extract<WeirEvent, { type: 'asset:materialized' }>;
    log.appendSync([
      {
        type: 'step:started',
        runId: 'bench',
        assetKey: event.assetKey,
        partition: event.partition,
        timestamp: Date.now(),
        attempt: 1,
      },
    ]);
    log.appendSync([event]);
  }
  const perStepMs = performance.now() - started;
  void log.close();
  return { bareMs, batchedMs, perStepMs, steps };
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-partitions-'));
  try {
    // Recording first: it is cheap and independent of the big log.
    const rec = recordEvents(root);
    const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
    const bareRate = perSecond(RECORD, rec.bareMs);
    const batchedRate = perSecond(RECORD, rec.batchedMs);
    const stepRate = perSecond(rec.steps * 2, rec.perStepMs);
    process.stdout.write(
      `partitions-scale: node ${process.version}\n\nrecording ${RECORD.toLocaleString('en')} partition materializations (SQLite, WAL, synchronous=NORMAL)\n${table(
        ['how', 'events/s', 'vs bare insert', `target ≥ ${EVENTS_TARGET.toLocaleString('en')}`],
        [
          [
            'baseline: bare table, no index, 1,000 per transaction',
            bareRate.toLocaleString('en'),
            '1.00x',
            '',
          ],
          [
            'SqliteEventLog.append, 1,000 per transaction (a single-run range, a bulk import)',
            batchedRate.toLocaleString('en'),
            `${(batchedRate / bareRate).toFixed(2)}x`,
            batchedRate >= EVENTS_TARGET ? 'PASS' : 'FAIL',
          ],
          [
            `one step per partition (${rec.steps.toLocaleString('en')} steps: step:started, then the materialization, a transaction each)`,
            stepRate.toLocaleString('en'),
            `${(stepRate / bareRate).toFixed(2)}x`,
            stepRate >= EVENTS_TARGET ? 'PASS' : 'FAIL',
          ],
        ],
      )}\n\n`,
    );

    const dir = join(root, '.weir');
    const project = buildProject();
    // Create the schema through the real log, then seed its index.
    await openInstance({ dir }).close();
    const seeding = performance.now();
    const { lastId } = seedHistory(join(dir, 'events.db'));
    const seedMs = performance.now() - seeding;
    const expected = expectedStale();

    const cold = await plan(project, dir);
    const snapshotFiles = readdirSync(join(dir, 'cache', 'partitions'));
    gc();
    let started = performance.now();
    let bytes = 0;
    for (const file of snapshotFiles)
      bytes += readFileSync(join(dir, 'cache', 'partitions', file)).byteLength;
    const readMs = performance.now() - started;
    const warm = [
      await plan(project, dir),
      await plan(project, dir),
      await plan(project, dir),
    ].sort((a, b) => a.ms - b.ms)[1]!;

    // A real correction through the log: one more day of the first asset gets new data.
    const log = new SqliteEventLog(join(dir, 'events.db'));
    const fixed = 10;
    started = Date.now();
    log.appendSync([
      {
        type: 'asset:materialized',
        runId: 'bench-fix',
        assetKey: keyOf(0),
        partition: dayKey(fixed),
        timestamp: Date.now(),
        materialization: {
          dataVersion: 'sha-fixed',
          codeVersion: 'v1',
          inputs: {},
          configHash: '',
          artefact: {
            format: 'json',
            location: 'objects/00/fixed',
            contentHash: 'x',
            size: 1,
            type: 'blob',
          },
          startedAt: started,
          endedAt: started,
          host: 'bench',
          weirVersion: '0.0.0',
          metadata: {},
        },
      },
    ]);
    await log.close();
    const catchUp = await plan(project, dir);
    const expectedAfter = expectedStale(fixed);

    const total = ASSETS * PARTITIONS;
    const row = (name: string, r: Awaited<ReturnType<typeof plan>>, target: boolean) => [
      name,
      r.ms.toFixed(0),
      `${(r.ms / readMs).toFixed(1)}x`,
      `${(r.peak / 1024 ** 2).toFixed(0)}`,
      r.stale.toLocaleString('en'),
      target ? (r.ms <= PLAN_TARGET_MS && r.peak <= MEMORY_TARGET ? 'PASS' : 'FAIL') : '',
    ];
    process.stdout.write(
      `planning ${ASSETS} assets × ${PARTITIONS.toLocaleString('en')} daily partitions = ${total.toLocaleString('en')} partitions with full history ` +
        `(index seeded in ${(seedMs / 1000).toFixed(1)} s; newest event id ${lastId.toLocaleString('en')})\n${table(
          [
            'planMaterialization()',
            'ms',
            'vs read snapshots',
            'process peak RSS MB',
            'stale found',
            `target ≤ ${PLAN_TARGET_MS} ms, ≤ 1 GiB`,
          ],
          [
            ['baseline: read the snapshot files', readMs.toFixed(0), '1.0x', '', '', ''],
            row('cold: 10 M rows from SQLite, snapshots written', cold, false),
            row('warm: snapshots + rows changed since (median of 3)', warm, true),
            row('warm after one more corrected partition', catchUp, true),
          ],
        )}\n` +
        `snapshots: ${snapshotFiles.length} files, ${(bytes / 1024 ** 2).toFixed(0)} MB\n` +
        `stale partitions expected ${expected.toLocaleString('en')}, found ${warm.stale.toLocaleString('en')}: ${expected === warm.stale ? 'OK' : 'MISMATCH'}; ` +
        `after the correction expected ${expectedAfter.toLocaleString('en')}, found ${catchUp.stale.toLocaleString('en')}: ${expectedAfter === catchUp.stale ? 'OK' : 'MISMATCH'}\n` +
        `planned to run: ${catchUp.planned.toLocaleString('en')} partitions; missing ${catchUp.missing}\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
