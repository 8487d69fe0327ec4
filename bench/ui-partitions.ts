/**
 * ui-partitions: the partition map of an asset with 100,000 hourly partitions in mixed states
 * (fresh, stale, missing, failed), in headless chromium.
 *
 * Measures GET /api/assets/KEY/partitions (the map as one letter per partition) against
 * reading the asset's partition rows from the log (eventLog.partitionStates), and the asset
 * page's Partitions tab from navigation until the map is drawn, against fetching and parsing
 * the same map in the page. Target (issue 17): drawn ≤ 1 s at 100,000 partitions.
 *
 * The history: one real materialization of the first partition, then its event copied to
 * 90% of the partitions through `eventLog.append` (a tenth of those with an older code version,
 * so stale), and a failed attempt on every 97th.
 *
 * Run: npm run bench -- ui-partitions [--partitions N] [--repeats N]
 *   (needs the UI built: npm run build -w packages/ui)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  asset,
  defineProject,
  hourlyPartitions,
  materialize,
  openInstance,
  type StoredEvent,
  type WeirEvent,
} from 'weir';
import { startServer } from 'weir/server';
import { CHROMIUM, CHROMIUM_ARGS } from './_browser.js';
import { median, option, table } from './_report.js';

const KEY = 'series/hourly';
const START = Date.UTC(2014, 0, 1);
const HOUR = 3_600_000;

const keyAt = (i: number) => new Date(START + i * HOUR).toISOString().slice(0, 16);

export interface PartitionsRow {
  measurement: string;
  ms: number;
  baselineMs: number | undefined;
  target: string;
}

export async function uiPartitionsBench(count: number, repeats: number): Promise<PartitionsRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-partitions-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  const project = defineProject({
    assets: [
      asset({
        key: KEY,
        partitions: hourlyPartitions({ start: keyAt(0), end: keyAt(count) }),
        materialize: (ctx) => ctx.partition.key,
      }),
    ],
  });
  const rows: PartitionsRow[] = [];
  try {
    const first = await materialize(project, { instance, partitions: { keys: [keyAt(0)] } });
    const template = (
      await instance.eventLog.events({ runId: first.runId!, types: ['asset:materialized'] })
    )[0] as StoredEvent<'asset:materialized'>;
    const { id: _id, ...base } = template;
    const batch: WeirEvent[] = [];
    const flush = async () => {
      await instance.eventLog.append(batch.splice(0));
    };
    for (let i = 1; i < count; i++) {
      if (i % 10 === 9) continue; // missing
      const partition = keyAt(i);
      if (i % 97 === 0) {
        batch.push({
          type: 'step:failed',
          runId: first.runId!,
          assetKey: KEY,
          partition,
          timestamp: base.timestamp,
          attempt: 1,
          error: { name: 'Error', message: 'bench' },
        });
      } else {
        const codeVersion = i % 10 === 3 ? 'older-code' : base.materialization.codeVersion;
        batch.push({
          ...base,
          partition,
          materialization: { ...base.materialization, codeVersion, dataVersion: `bench-${i}` },
        });
      }
      if (batch.length >= 5_000) await flush();
    }
    await flush();
    const server = await startServer({ project, instance, port: 0, log: () => {} });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    try {
      const path = `/api/assets/${encodeURIComponent(KEY)}/partitions`;
      const samples = {
        rows: [] as number[],
        endpoint: [] as number[],
        drawn: [] as number[],
        parse: [] as number[],
      };
      let letters = '';
      for (let r = 0; r < repeats; r++) {
        let t = performance.now();
        await instance.eventLog.partitionStates(KEY);
        samples.rows.push(performance.now() - t);
        t = performance.now();
        letters = ((await (await fetch(new URL(path, server.url))).json()) as { letters: string })
          .letters;
        samples.endpoint.push(performance.now() - t);
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        t = performance.now();
        await page.goto(
          new URL(`/assets/${encodeURIComponent(KEY)}?tab=partitions`, server.url).href,
        );
        await page.waitForSelector(`canvas.map-canvas[data-drawn="${count}"]`, { timeout: 60_000 });
        samples.drawn.push(performance.now() - t);
        samples.parse.push(
          await page.evaluate(async (url) => {
            const t0 = performance.now();
            await (await fetch(url)).json();
            return performance.now() - t0;
          }, path),
        );
        await page.close();
      }
      const states = { f: 0, s: 0, m: 0, x: 0 } as Record<string, number>;
      for (const letter of letters) states[letter] = (states[letter] ?? 0) + 1;
      const rowsMs = median(samples.rows);
      const parseMs = median(samples.parse);
      rows.push({
        measurement: `baseline: eventLog.partitionStates (${count} partitions)`,
        ms: rowsMs,
        baselineMs: rowsMs,
        target: '',
      });
      rows.push({
        measurement: `GET …/partitions (${states.f} fresh, ${states.s} stale, ${states.m} missing, ${states.x} failed)`,
        ms: median(samples.endpoint),
        baselineMs: rowsMs,
        target: '',
      });
      rows.push({
        measurement: 'browser baseline: fetch + parse the map in the page',
        ms: parseMs,
        baselineMs: parseMs,
        target: '',
      });
      rows.push({
        measurement: 'browser: navigation until the map is drawn',
        ms: median(samples.drawn),
        baselineMs: parseMs,
        target: `≤ 1000: ${median(samples.drawn) <= 1000 ? 'PASS' : 'FAIL'}`,
      });
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await instance.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  const count = Number(option('partitions') ?? 100_000);
  const rows = await uiPartitionsBench(count, Number(option('repeats') ?? 5));
  console.log(
    `ui-partitions: node ${process.version}, ${new Date().toISOString().slice(0, 10)}, medians`,
  );
  console.log(
    table(
      ['measurement', 'ms', 'vs baseline', 'target'],
      rows.map((r) => [
        r.measurement,
        r.ms.toFixed(1),
        r.baselineMs === undefined ? '' : `${(r.ms / r.baselineMs).toFixed(1)}x`,
        r.target,
      ]),
    ),
  );
}

if (process.argv[1]?.endsWith('ui-partitions.mjs')) await main();
