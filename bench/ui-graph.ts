/**
 * ui-graph: the lineage view at 2,000 and 10,000 assets with history, server and browser.
 *
 * Server (in-process, real HTTP): GET /api/graph warm — with nothing new (a 304 to its ETag),
 * after one event that reaches one asset, and after the clock moved (body rebuilt) — against
 * serialising the same nodes and edges with no state (JSON.stringify of keys, kinds, groups,
 * edges). GET /api/graph/layout: its first call (the layout computed) and later ones (kept).
 * Target (issue 17): graph endpoint ≤ 100 ms warm at 10,000.
 *
 * Browser (headless Debian chromium, playwright-core): navigation until the canvas has drawn
 * every node, against the same page fetching and parsing /api/graph alone; frame times while
 * panning with the whole graph in view and at reading zoom; the JS heap after drawing.
 * Targets: drawn ≤ 2 s at 10,000; p95 frame ≤ 33 ms while panning.
 *
 * The projects: layers of 100 assets, each reading two of the layer above, 10 layers per group,
 * one real materialization then HISTORY − 1 recorded forced runs.
 *
 * Run: npm run bench -- ui-graph [--sizes 2000,10000] [--repeats N] [--history N] [--no-browser]
 *   (needs the UI built: npm run build -w packages/ui)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { defineProject, materialize, openInstance } from 'weir';
import { startServer } from 'weir/server';
import { CHROMIUM, CHROMIUM_ARGS } from './_browser.js';
import { appendHistory, layeredAssets } from './_fixtures.js';
import { median, option, table } from './_report.js';

const WIDTH = 100;

export interface UiGraphOptions {
  sizes: number[];
  repeats: number;
  history: number;
  browser: boolean;
  width?: number;
}

export interface UiGraphRow {
  size: number;
  measurement: string;
  ms: number;
  baselineMs: number | undefined;
  target: string;
}

const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? Number.NaN;

export async function uiGraphBench(options: UiGraphOptions): Promise<UiGraphRow[]> {
  const rows: UiGraphRow[] = [];
  for (const size of options.sizes) rows.push(...(await oneSize(size, options)));
  return rows;
}

async function oneSize(size: number, options: UiGraphOptions): Promise<UiGraphRow[]> {
  const width = Math.min(options.width ?? WIDTH, size);
  const layers = Math.ceil(size / width);
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-ui-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  const project = defineProject({ assets: layeredAssets(layers, width, 10) });
  const rows: UiGraphRow[] = [];
  const row = (measurement: string, ms: number, baselineMs: number | undefined, target = '') =>
    rows.push({ size: layers * width, measurement, ms, baselineMs, target });
  try {
    const first = await materialize(project, { instance });
    await appendHistory(instance, first.runId!, options.history);
    const server = await startServer({ project, instance, port: 0, log: () => {} });
    try {
      const url = (path: string) => new URL(path, server.url);
      const timed = async (path: string, headers: Record<string, string> = {}) => {
        const t = performance.now();
        const response = await fetch(url(path), { headers });
        const text = await response.text();
        return { ms: performance.now() - t, response, text };
      };
      const cold = await timed('/api/graph');
      const graph = JSON.parse(cold.text) as {
        nodes: Array<{ key: string; kind: string; group: string | null }>;
        edges: unknown;
      };
      const bare = () => {
        const t = performance.now();
        JSON.stringify({
          nodes: graph.nodes.map(({ key, kind, group }) => ({ key, kind, group })),
          edges: graph.edges,
        });
        return performance.now() - t;
      };
      const samples = {
        bare: [] as number[],
        notModified: [] as number[],
        oneEvent: [] as number[],
        clock: [] as number[],
      };
      const leaf = graph.nodes[graph.nodes.length - 1]!.key;
      for (let r = 0; r < options.repeats; r++) {
        samples.bare.push(bare());
        const current = await timed('/api/graph');
        samples.notModified.push(
          (await timed('/api/graph', { 'If-None-Match': current.response.headers.get('ETag')! }))
            .ms,
        );
        await instance.eventLog.append([
          {
            type: 'asset:observed',
            assetKey: leaf,
            partition: '',
            timestamp: Date.now(),
            observation: { dataVersion: `bench-${r}`, metadata: {} },
          },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 120)); // the hub hears of it
        samples.oneEvent.push((await timed('/api/graph')).ms);
        await new Promise((resolve) => setTimeout(resolve, 1_050 - (Date.now() % 1_000))); // next second: body rebuilt
        samples.clock.push((await timed('/api/graph')).ms);
      }
      const bareMs = median(samples.bare);
      row('baseline: JSON.stringify nodes + edges, no state', bareMs, bareMs);
      row('GET /api/graph, first call (cold status)', cold.ms, bareMs);
      row(
        'GET /api/graph, unchanged (304 to its ETag)',
        median(samples.notModified),
        bareMs,
        verdict(median(samples.notModified), 100),
      );
      row(
        'GET /api/graph after 1 event (warm)',
        median(samples.oneEvent),
        bareMs,
        verdict(median(samples.oneEvent), 100),
      );
      row(
        'GET /api/graph, clock moved (warm, body rebuilt)',
        median(samples.clock),
        bareMs,
        verdict(median(samples.clock), 100),
      );
      const layoutFirst = await timed('/api/graph/layout');
      const layoutKept = await timed('/api/graph/layout');
      row('GET /api/graph/layout, first (computed)', layoutFirst.ms, bareMs);
      row('GET /api/graph/layout, later (kept)', layoutKept.ms, bareMs);
      if (options.browser)
        rows.push(...(await browserRows(server.url, layers * width, options.repeats)));
    } finally {
      await server.close();
    }
  } finally {
    await instance.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function browserRows(base: string, size: number, repeats: number): Promise<UiGraphRow[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const rows: UiGraphRow[] = [];
  try {
    const loads: number[] = [];
    const dataOnly: number[] = [];
    let page: Page | undefined;
    for (let r = 0; r < Math.max(3, Math.min(repeats, 5)); r++) {
      await page?.close();
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const t = performance.now();
      await page.goto(base);
      await page.waitForSelector(`canvas[data-drawn="${size}"]`, { timeout: 60_000 });
      loads.push(performance.now() - t);
      dataOnly.push(
        await page.evaluate(async () => {
          const t0 = performance.now();
          await (await fetch('/api/graph', { cache: 'no-store' } as RequestInit)).json();
          return performance.now() - t0;
        }),
      );
    }
    const baseline = median(dataOnly);
    rows.push({
      size,
      measurement: 'browser baseline: fetch + parse /api/graph in the page',
      ms: baseline,
      baselineMs: baseline,
      target: '',
    });
    rows.push({
      size,
      measurement: 'browser: navigation until every node is drawn',
      ms: median(loads),
      baselineMs: baseline,
      target: verdict(median(loads), 2_000),
    });
    for (const [label, zoom] of [
      ['whole graph in view', undefined],
      ['reading zoom (cards)', 0.8],
    ] as const) {
      const frames = await panFrames(page!, zoom);
      rows.push({
        size,
        measurement: `browser: frame while panning, ${label} (p95; median ${median(frames).toFixed(1)})`,
        ms: p95(frames),
        baselineMs: undefined,
        target: verdict(p95(frames), 33),
      });
    }
    const client = await page!.context().newCDPSession(page!);
    await client.send('Performance.enable');
    await client.send('HeapProfiler.collectGarbage');
    const { metrics } = (await client.send('Performance.getMetrics')) as {
      metrics: Array<{ name: string; value: number }>;
    };
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    rows.push({
      size,
      measurement: `browser: JS heap after drawing (MB): ${(heap / 1e6).toFixed(1)}`,
      ms: Number.NaN,
      baselineMs: undefined,
      target: '',
    });
  } finally {
    await browser.close();
  }
  return rows;
}

/** Drags the canvas for ~60 frames and returns the draw time of each (ms). */
async function panFrames(page: Page, zoom: number | undefined): Promise<number[]> {
  await page.evaluate((scale) => {
    const probe = (globalThis as unknown as PageGlobals).__weirGraph;
    if (scale !== undefined) probe.setView({ x: -2000, y: -300, scale });
    probe.frames.length = 0;
  }, zoom);
  const box = (await page.locator('canvas').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) {
    await page.mouse.move(x + Math.sin(i / 6) * 300, y + Math.cos(i / 6) * 150);
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          (globalThis as unknown as PageGlobals).requestAnimationFrame(() => resolve(undefined)),
        ),
    );
  }
  await page.mouse.up();
  return page.evaluate(() => [...(globalThis as unknown as PageGlobals).__weirGraph.frames]);
}

function verdict(ms: number, target: number): string {
  return `≤ ${target}: ${ms <= target ? 'PASS' : 'FAIL'}`;
}

/** What the page exposes for measurement (GraphCanvas.tsx), and what a frame wait needs. */
interface PageGlobals {
  __weirGraph: {
    frames: number[];
    setView: (view: { x: number; y: number; scale: number }) => void;
  };
  requestAnimationFrame(callback: () => void): void;
}

async function main(): Promise<void> {
  const sizes = (option('sizes') ?? '2000,10000').split(',').map(Number);
  const rows = await uiGraphBench({
    sizes,
    repeats: Number(option('repeats') ?? 5),
    history: Number(option('history') ?? 5),
    browser: !process.argv.includes('--no-browser'),
  });
  console.log(
    `ui-graph: node ${process.version}, ${new Date().toISOString().slice(0, 10)}, medians`,
  );
  console.log(
    table(
      ['measurement', 'assets', 'ms', 'vs baseline', 'target'],
      rows.map((r) => [
        r.measurement,
        String(r.size),
        Number.isNaN(r.ms) ? '' : r.ms.toFixed(1),
        r.baselineMs === undefined || Number.isNaN(r.ms)
          ? ''
          : `${(r.ms / r.baselineMs).toFixed(1)}x`,
        r.target,
      ]),
    ),
  );
}

if (process.argv[1]?.endsWith('ui-graph.mjs')) await main();
