/**
 * fault-injection: the long version of the fault tests in packages/weir/test (cli-faults,
 * integrity, verify): many rounds of damage on one instance, each checked for what Weir must
 * promise.
 *
 * A project of 30 assets (a chain, a fan-out, a partitioned asset of 10 days and a reader of
 * all of them) is materialized once. Then, per round:
 * - 1 to 3 random current artefacts get one byte flipped (half keep their modification
 *   time, so only hashing can tell): `verify()` must report exactly those as corrupt, and
 *   `verify({ repair: true })` must repair every one (the project is deterministic), after
 *   which a forced run of everything must succeed;
 * - every 10th round, a random leaf page of the events or asset_state table is damaged in the
 *   closed log: opening and reading must either work or fail with E_STORAGE_CORRUPT (never
 *   another error), and `recoverEventLog()` must give a log that reads again.
 *
 * Reports counts and time per round, and PASS when every promise held.
 *
 * Run: npm run bench -- fault-injection [--rounds N]
 */
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  type AnyAssetDefinition,
  type AssetDefinition,
  asset,
  assetStatus,
  dailyPartitions,
  defineProject,
  type EmbeddedInstance,
  many,
  materialize,
  openInstance,
  recoverEventLog,
  verify,
  WeirError,
} from 'weir';
import { median, option, table } from './_report.js';

function project() {
  const assets: AnyAssetDefinition[] = [];
  let previous: AssetDefinition<string, { step: number; values: number[] }> = asset({
    key: 'chain/c00',
    materialize: () => ({ step: 0, values: [1.5, 2.5] }),
  });
  assets.push(previous);
  for (let i = 1; i < 10; i++) {
    const upstream = previous;
    previous = asset({
      key: `chain/c${String(i).padStart(2, '0')}`,
      ins: { upstream },
      materialize: (_ctx, { upstream }) => ({
        step: upstream.step + 1,
        values: upstream.values.map((v) => v * 2),
      }),
    });
    assets.push(previous);
  }
  const root = previous;
  for (let i = 0; i < 17; i++) {
    assets.push(
      asset({
        key: `fan/f${String(i).padStart(2, '0')}`,
        ins: { root },
        materialize: (_c, { root }) => root.values.map((v) => v + i),
      }),
    );
  }
  const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-11' });
  const daily = asset({
    key: 'daily/level',
    partitions: days,
    materialize: (ctx) => ({ day: ctx.partition.key, level: ctx.partition.key.length * 0.25 }),
  });
  const report = asset({
    key: 'daily/report',
    ins: { days: many(daily) },
    materialize: (_c, { days }) => [...days.values()].map((d) => d.level),
  });
  assets.push(daily, report);
  return defineProject({ assets });
}

interface Artefact {
  location: string;
  path: string;
}

async function currentArtefacts(instance: EmbeddedInstance): Promise<Artefact[]> {
  const report = await verify(project(), { instance });
  const root = join(instance.dir, 'artefacts');
  return [...new Set(report.artefacts.map((a) => a.location))].map((location) => ({
    location,
    path: join(root, location),
  }));
}

function flip(path: string, keepMtime: boolean): void {
  const before = statSync(path);
  const bytes = readFileSync(path);
  const at = Math.floor(Math.random() * bytes.length);
  bytes[at] = (bytes[at]! + 1 + Math.floor(Math.random() * 254)) % 256;
  chmodSync(path, 0o644);
  writeFileSync(path, bytes);
  chmodSync(path, 0o444);
  if (keepMtime) utimesSync(path, before.atime, before.mtime);
}

function damageRandomPage(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  const table = Math.random() < 0.5 ? 'events' : 'asset_state';
  const pages = db
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'")
    .pluck()
    .all(table) as number[];
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const page = pages[Math.floor(Math.random() * pages.length)]!;
  const bytes = readFileSync(dbPath);
  bytes.fill(0xff, (page - 1) * size, (page - 1) * size + 8);
  writeFileSync(dbPath, bytes);
  return `${table} page ${page}`;
}

async function main(): Promise<void> {
  const rounds = Number(option('rounds') ?? 50);
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-faults-'));
  const dir = join(root, '.weir');
  const failures: string[] = [];
  const counts = {
    flipped: 0,
    detected: 0,
    repaired: 0,
    damaged: 0,
    unreadable: 0,
    recovered: 0,
    lost: 0,
  };
  const times: number[] = [];
  let instance = openInstance({ dir });
  try {
    await materialize(project(), { instance });
    for (let round = 1; round <= rounds; round++) {
      const started = performance.now();
      const artefacts = await currentArtefacts(instance);
      const victims = [...artefacts]
        .sort(() => Math.random() - 0.5)
        .slice(0, 1 + Math.floor(Math.random() * 3));
      for (const victim of victims) flip(victim.path, Math.random() < 0.5);
      counts.flipped += victims.length;
      const found = await verify(project(), { instance });
      const corrupt = new Set(
        found.artefacts.filter((a) => a.status === 'corrupt').map((a) => a.location),
      );
      counts.detected += victims.filter((v) => corrupt.has(v.location)).length;
      if (corrupt.size !== victims.length)
        failures.push(`round ${round}: ${victims.length} flipped, ${corrupt.size} found corrupt`);
      const repair = await verify(project(), { instance, repair: true });
      counts.repaired += new Set(
        repair.artefacts.filter((a) => a.repair?.repaired).map((a) => a.location),
      ).size;
      const after = await verify(project(), { instance });
      if (after.artefacts.some((a) => a.status !== 'intact'))
        failures.push(`round ${round}: not intact after repair`);
      const forced = await materialize(project(), { instance, force: true });
      if (forced.status !== 'success') failures.push(`round ${round}: forced run ${forced.status}`);
      if (round % 10 === 0) {
        await instance.close();
        const where = damageRandomPage(join(dir, 'events.db'));
        counts.damaged += 1;
        try {
          instance = openInstance({ dir });
          await assetStatus(project(), { instance, observe: false });
          await instance.eventLog.events({ limit: 100_000 });
          await instance.close();
        } catch (error) {
          if (!(error instanceof WeirError) || error.code !== 'E_STORAGE_CORRUPT')
            failures.push(`round ${round}: ${where}: ${String(error)}`);
          counts.unreadable += 1;
          await instance.close().catch(() => {});
        }
        const recovery = await recoverEventLog(dir);
        counts.recovered += 1;
        counts.lost += recovery.lost.length;
        instance = openInstance({ dir });
        await assetStatus(project(), { instance, observe: false });
        await materialize(project(), { instance });
      }
      times.push(performance.now() - started);
    }
  } finally {
    await instance.close().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`fault-injection: node ${process.version}, ${rounds} rounds\n\n`);
  process.stdout.write(
    `${table(
      ['what', 'count'],
      [
        ['artefacts flipped', String(counts.flipped)],
        ['  found corrupt by verify', String(counts.detected)],
        ['  repaired by verify --repair', String(counts.repaired)],
        ['log pages damaged', String(counts.damaged)],
        ['  reads that failed (E_STORAGE_CORRUPT)', String(counts.unreadable)],
        ['  recoveries', String(counts.recovered)],
        ['  events lost in them', String(counts.lost)],
      ],
    )}\n\nmedian round: ${median(times).toFixed(0)} ms\n`,
  );
  process.stdout.write(
    failures.length === 0 ? 'PASS: every promise held\n' : `FAIL:\n${failures.join('\n')}\n`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

await main();
