/**
 * End-to-end harness for the web UI: builds the UI when its sources are newer than the build,
 * makes a real project on a real embedded instance in a temporary folder, materializes it a
 * few times with changing data (so history, diffs, checks and partition states exist), starts
 * a real server on a free port, and launches headless Chromium against it. No mocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  type AnyAssetDefinition,
  asset,
  check,
  dailyPartitions,
  defineProject,
  hourlyPartitions,
  type Instance,
  materialize,
  openInstance,
  type ProjectDefinition,
  schedule,
  sensor,
} from '../../../weir/src/index.js';
import { type RunningServer, startServer } from '../../../weir/src/server/index.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuilt } from './browser.js';

export const XSS_DESCRIPTION =
  'Untrusted text: <img src=x onerror=window.__xss=1> and <script>window.__xss=2</script> stay text.';

/** What the fixture project's assets read; the harness changes it between materializations. */
export const world = {
  version: 1,
  columns: { id: 'number', stage: 'number' } as Record<string, string>,
  slowSteps: 5,
  slowDelayMs: 250,
  /** Hourly partitions whose range fails (for the partition map's failed state). */
  failHours: new Set<string>(),
  hourlyScale: 1,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FixtureOptions {
  /** Hourly partitions of `series/hourly` (default 0: none). */
  hours?: number;
}

/** The project the UI is exercised on: a small lineage with every feature a page shows. */
export function fixtureProject(options: FixtureOptions = {}): ProjectDefinition {
  const raw = asset({
    key: 'raw/readings',
    group: 'raw',
    description: 'Stage readings as delivered by the telemetry feed, one row per reading.',
    owners: ['team:hydrology'],
    kinds: ['table'],
    tags: { layer: 'raw', source: 'telemetry' },
    materialize: (ctx) => {
      const rows = Array.from({ length: world.version * 10 }, (_, i) => ({
        id: i,
        stage: (i % 7) * 0.3,
      }));
      ctx.addMetadata({
        rowCount: rows.length,
        maxStageM: Math.max(...rows.map((r) => r.stage)),
        schema: { columns: world.columns },
      });
      return rows;
    },
  });
  const clean = asset({
    key: 'clean/readings',
    group: 'clean',
    description: 'Readings with a physically possible stage (≥ 0 m), deduplicated.',
    owners: ['team:hydrology', 'ana@example.org'],
    kinds: ['table'],
    ins: { raw },
    freshness: { maxLag: '6h' },
    checks: [
      check({
        name: 'not_empty',
        description: 'at least one reading',
        evaluate: (_ctx, rows: Array<{ id: number }>) => rows.length > 0,
      }),
      check({
        name: 'volume_drift',
        severity: 'warn',
        description: 'row count within 50% of the previous',
        evaluate: (_ctx, rows: Array<{ id: number }>) => ({
          passed: rows.length < 15,
          message: `${rows.length} rows`,
        }),
      }),
    ],
    materialize: (ctx, { raw }) => {
      const rows = raw.filter((r) => r.id % 2 === 0);
      ctx.log.info('filtered readings', { kept: rows.length, dropped: raw.length - rows.length });
      ctx.addMetadata({ rowCount: rows.length, schema: { columns: world.columns } });
      return rows;
    },
  });
  const daily = asset({
    key: 'clean/daily',
    group: 'clean',
    description: 'Daily peaks per station.',
    partitions: dailyPartitions({ start: '2026-01-01', end: '2026-03-01' }),
    materialize: (ctx) => ({ day: ctx.partition.key, peak: world.version }),
  });
  const report = asset({
    key: 'reports/summary',
    group: 'reports',
    description: 'A one-line summary of the clean readings.',
    ins: { clean },
    materialize: (_ctx, { clean }) => ({ readings: clean.length }),
  });
  const slow = asset({
    key: 'ops/slow_logger',
    group: 'ops',
    description: 'Logs a line every quarter of a second: the run page streams them live.',
    materialize: async (ctx) => {
      for (let i = 1; i <= world.slowSteps; i++) {
        ctx.log.info(`slow tick ${i} of ${world.slowSteps}`, { i });
        await sleep(world.slowDelayMs);
      }
      return { ticks: world.slowSteps };
    },
  });
  const untrusted = asset({
    key: 'ops/untrusted',
    group: 'ops',
    description: XSS_DESCRIPTION,
    tags: { note: '<b>bold?</b>' },
    materialize: () => ({ ok: true }),
  });
  const assets: AnyAssetDefinition[] = [raw, clean, daily, report, slow, untrusted];
  if (options.hours) {
    const start = '2023-01-01';
    const end = new Date(Date.UTC(2023, 0, 1) + options.hours * 3_600_000)
      .toISOString()
      .slice(0, 13);
    const hourly = hourlyPartitions({ start, end: `${end}:00` });
    const gauge = asset({
      key: 'series/gauge_hourly',
      group: 'series',
      description: 'Hourly gauge readings, one partition per hour.',
      partitions: hourly,
      backfillPolicy: 'single-run',
      materialize: (ctx) =>
        Object.fromEntries(ctx.partitions.keys.map((k) => [k, world.hourlyScale])),
    });
    const polished = asset({
      key: 'series/polished_hourly',
      group: 'series',
      description: 'Hourly readings with spikes removed and gaps filled.',
      partitions: hourly,
      backfillPolicy: 'single-run',
      ins: { gauge },
      materialize: (ctx, { gauge }) =>
        Object.fromEntries(
          ctx.partitions.keys.map((k) => {
            if (world.failHours.has(k)) throw new Error(`gauge offline at ${k}`);
            return [k, Number(gauge.get(k) ?? 0) * 2];
          }),
        ),
    });
    assets.push(gauge, polished);
  }
  return defineProject({
    assets,
    sensors: [sensor({ name: 'inbox', interval: '1m', poll: () => ({}) })],
    schedules: [schedule({ name: 'nightly', cron: '0 3 * * *', selection: 'raw/readings+' })],
  });
}

export interface E2E {
  url: string;
  instance: Instance;
  project: ProjectDefinition;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Calls the API of the server (as the operator, on an open local server). */
  api: <T>(path: string, init?: RequestInit) => Promise<T>;
  close: () => Promise<void>;
}

/** Materializes the fixture a few times with changing data, then serves it and opens a browser. */
export async function startE2E(
  options: FixtureOptions & { viewport?: { width: number; height: number } } = {},
): Promise<E2E> {
  const built = ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'weir-ui-e2e-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  world.version = 1;
  world.columns = { id: 'number', stage: 'number' };
  const project = fixtureProject(options);
  const run = (selection: string, extra: Record<string, unknown> = {}) =>
    materialize(project, { instance, selection, ...extra });
  await run('raw/readings, clean/readings, ops/untrusted');
  world.version = 2;
  world.columns = { id: 'number', stage: 'number', site: 'string' };
  await run('raw/readings, clean/readings', { force: true });
  world.version = 3;
  await run('raw/readings', { force: true });
  await run('clean/daily', { partitions: { from: '2026-01-01', to: '2026-01-20' } });
  await run('clean/daily', { partitions: { from: '2026-02-01', to: '2026-02-05' } });
  if (options.hours) await partitionStory(project, instance, options.hours);
  const server = await startServer({ project, instance, port: 0, pollMs: 20, log: () => {} });
  await built;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const headers = new Headers(init.headers);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    const response = await fetch(new URL(path, server.url), { ...init, headers });
    return (await response.json()) as T;
  };
  return {
    url: server.url.replace(/\/$/, ''),
    instance,
    project,
    server,
    browser,
    page,
    api,
    async close() {
      await browser.close().catch(() => {});
      await server.close();
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Hourly partitions in every state: most fresh, a range stale (its upstream moved), a range
 * failed, the newest missing.
 */
async function partitionStory(project: ProjectDefinition, instance: Instance, hours: number) {
  const key = (i: number) =>
    new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toISOString().slice(0, 16);
  const range = (a: number, b: number) => ({ from: key(a), to: key(b) });
  const chunk = 2000;
  const done = Math.floor(hours * 0.82);
  for (let a = 0; a < done; a += chunk) {
    await materialize(project, {
      instance,
      selection: 'series/gauge_hourly+',
      partitions: range(a, Math.min(done, a + chunk) - 1),
    });
  }
  // An upstream correction makes a stretch of the downstream stale.
  world.hourlyScale = 2;
  for (const [a, b] of [
    [Math.floor(hours * 0.3), Math.floor(hours * 0.38)],
    [Math.floor(hours * 0.61), Math.floor(hours * 0.63)],
  ] as const) {
    await materialize(project, {
      instance,
      selection: 'series/gauge_hourly',
      partitions: range(a, b),
      force: true,
    });
  }
  // A sensor outage: a stretch that fails.
  const [fa, fb] = [Math.floor(hours * 0.86), Math.floor(hours * 0.89)];
  for (let i = fa; i <= fb; i++) world.failHours.add(key(i));
  await materialize(project, {
    instance,
    selection: 'series/gauge_hourly+',
    partitions: range(fa, fb),
  }).catch(() => {});
}
