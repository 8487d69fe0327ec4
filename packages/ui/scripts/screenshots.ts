/**
 * Writes the UI screenshots in docs/images (1440×900, device scale 1) from a real server on a
 * real instance: `npm run screenshots -w packages/ui` (vitest runs this file, see
 * vitest.screenshots.config.ts; the UI is built first when its sources changed).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, it } from 'vitest';
import { materialize } from '../../weir/src/index.js';
import { type E2E, startE2E, world } from '../test/support/e2e.js';

const IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E({ hours: 24 * 365 * 2 });
}, 600_000);

afterAll(async () => {
  await e2e?.close();
});

const asset = (key: string, tab?: string) =>
  `${e2e.url}/assets/${encodeURIComponent(key)}${tab ? `?tab=${tab}` : ''}`;

it('asset page with a diff', async () => {
  const { page } = e2e;
  // A longer history: the feed grows, then a new column arrives.
  for (const version of [4, 5]) {
    world.version = version;
    await materialize(e2e.project, {
      instance: e2e.instance,
      selection: 'raw/readings+1',
      force: true,
    });
  }
  world.version = 6;
  world.columns = { ...world.columns, quality: 'string' };
  await materialize(e2e.project, {
    instance: e2e.instance,
    selection: 'raw/readings',
    force: true,
  });
  await materialize(e2e.project, { instance: e2e.instance, selection: 'clean/readings' });
  await page.goto(asset('clean/readings', 'history'));
  const boxes = page.locator('.history-table input[type=checkbox]');
  await boxes.nth(1).waitFor();
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.locator('.diff .verdict').waitFor();
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${IMAGES}asset-diff.png` });
});

it('partition map', async () => {
  const { page } = e2e;
  await page.goto(asset('series/polished_hourly', 'partitions'));
  await page.locator('canvas.map-canvas').waitFor();
  await page.waitForTimeout(300);
  const box = (await page.locator('canvas.map-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.4);
  await page.waitForTimeout(400);
  await page.mouse.move(box.x + box.width * 0.62 + 1, box.y + box.height * 0.4);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${IMAGES}partitions.png` });
});

it('run page with Gantt and logs', async () => {
  const { page } = e2e;
  const launched = await e2e.api<{ runId: string }>('/api/runs', {
    method: 'POST',
    body: JSON.stringify({
      selection: '+reports/summary, ops/slow_logger, clean/daily',
      partitions: { from: '2026-01-01', to: '2026-01-16' },
      force: true,
    }),
  });
  await page.goto(`${e2e.url}/runs/${launched.runId}`);
  await page.locator('.log-line').nth(4).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(1800);
  await page.screenshot({ path: `${IMAGES}run.png` });
});

// With WEIR_REVIEW_SHOTS=DIR, the other pages too, for a look before a change is committed.
it.runIf(process.env.WEIR_REVIEW_SHOTS)('every other page', async () => {
  const { page } = e2e;
  const dir = process.env.WEIR_REVIEW_SHOTS!;
  const shots: Array<[string, string]> = [
    ['overview', asset('clean/readings')],
    ['history', asset('raw/readings', 'history')],
    ['checks', asset('clean/readings', 'checks')],
    ['plots', asset('raw/readings', 'plots')],
    ['daily', asset('clean/daily', 'partitions')],
    ['runs', `${e2e.url}/runs`],
    ['automation', `${e2e.url}/automation`],
    ['untrusted', asset('ops/untrusted')],
  ];
  for (const [name, url] of shots) {
    await page.goto(url);
    await page.waitForTimeout(700);
    await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
  }
  // The biggest run (thousands of steps), the map zoomed by a drag, and an unknown asset.
  const runs = await e2e.api<{ runs: Array<{ runId: string; selection: string }> }>(
    '/api/runs?limit=200',
  );
  const biggest = runs.runs.find((run) => run.selection === 'series/gauge_hourly+')!;
  await page.goto(`${e2e.url}/runs/${biggest.runId}`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${dir}/big-run.png` });
  await page.goto(asset('series/polished_hourly', 'partitions'));
  const canvas = page.locator('canvas.map-canvas');
  await canvas.waitFor();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 10, box.y + box.height * 0.28);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 10, box.y + box.height * 0.42, { steps: 5 });
  await page.mouse.up();
  await page.mouse.move(box.x + box.width / 2, box.y + 40);
  await page.waitForTimeout(700);
  await page.screenshot({ path: `${dir}/zoomed.png` });
  await page.goto(asset('raw/reading'));
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${dir}/unknown.png` });
});
