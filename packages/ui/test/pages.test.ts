/**
 * The asset, runs, run and automation pages in headless Chromium against a real server on a
 * real instance (see support/e2e.ts): navigation, history and provenance, diffs, launching,
 * live logs, escaping, the partition map, pausing automation. One browser for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize } from '../../weir/src/index.js';
import { type E2E, startE2E, world, XSS_DESCRIPTION } from './support/e2e.js';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
}, 120_000);

afterAll(async () => {
  await e2e?.close();
});

const asset = (key: string, tab?: string) =>
  `${e2e.url}/assets/${encodeURIComponent(key)}${tab ? `?tab=${tab}` : ''}`;

interface RunView {
  run: { status: string };
}

describe('web UI pages', () => {
  it('goes from the runs list to a run page', async () => {
    const { page } = e2e;
    await page.goto(`${e2e.url}/runs`);
    const first = page.locator('.runs-table tbody tr').first();
    await first.waitFor();
    expect(await first.locator('.trigger').textContent()).toBe('manual');
    const runId = (await first.locator('a.run-link').textContent())!;
    await first.locator('a.run-link').click();
    await page.waitForURL(`**/runs/${runId}`);
    await expect.poll(() => page.locator('h1').textContent()).toContain(runId);
    await page.locator('canvas.gantt-canvas').waitFor();
    expect(await page.locator('.run-facts').textContent()).toMatch(/Selection/);
    expect(await page.locator('.run-summary').textContent()).toMatch(/materialized/);
    // The status filter.
    await page.goto(`${e2e.url}/runs`);
    await page.getByLabel('status filter').selectOption('failed');
    await page.getByText('No failed runs.').waitFor();
    await page.getByLabel('status filter').selectOption('success');
    await page.locator('.runs-table tbody tr').first().waitFor();
    const pills = await page.locator('.runs-table tbody .pill').allTextContents();
    expect(new Set(pills)).toEqual(new Set(['success']));
  });

  it('shows an asset with its history and the provenance of each materialization', async () => {
    const { page } = e2e;
    await page.goto(asset('clean/readings'));
    await page.locator('.asset-status-line .pill').waitFor();
    expect(await page.locator('.asset-status-line .pill').textContent()).toBe('stale');
    // Why stale, in words: the same causes as `weir why`.
    expect(await page.locator('.causes').textContent()).toMatch(/raw\/readings/);
    expect(await page.locator('.overview').textContent()).toMatch(/not_empty/);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.waitForURL('**/assets/clean%2Freadings?tab=history');
    const rows = page.locator('.history-table tbody tr[data-event]');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    // The newest materialization's provenance is open: the input's version links to the
    // materialization that produced it.
    const provenance = page.locator('fieldset.provenance').first();
    expect(await provenance.textContent()).toMatch(/raw\/readings/);
    expect(await provenance.textContent()).toMatch(/Host/);
    const versionLink = provenance.locator('a.version-link').first();
    const href = (await versionLink.getAttribute('href'))!;
    expect(href).toMatch(/^\/assets\/raw%2Freadings\?tab=history&event=\d+$/);
    await versionLink.click();
    await page.waitForURL(`**${href}`);
    const eventId = href.split('event=')[1]!;
    await page.locator(`.history-table tr.focused[data-event="${eventId}"]`).waitFor();
  });

  it('diffs two materializations: the input that moved, metadata deltas, a column added', async () => {
    const { page } = e2e;
    await page.goto(asset('clean/readings', 'history'));
    const boxes = page.locator('.history-table input[type=checkbox]');
    await boxes.nth(1).waitFor();
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const diff = page.locator('section.diff');
    await diff.locator('.verdict').waitFor();
    expect(await diff.locator('.verdict').textContent()).toMatch(
      /The data changed.*because raw\/readings moved on/,
    );
    const input = diff.locator('tr.input-moved');
    expect(await input.textContent()).toMatch(/raw\/readings.*moved/);
    expect(await input.locator('a[href*="event="]').count()).toBe(2);
    expect(await diff.locator('.metadata-diff').textContent()).toMatch(/rowCount5\s*10\+5/);
    expect(await diff.locator('.col-added').textContent()).toMatch(/site.*string.*column added/);
    // The diff has an address: reloading it shows the same diff.
    await expect.poll(() => page.url()).toMatch(/[?&]from=\d+&to=\d+/);
    const linked = page.url();
    await page.goto('about:blank');
    await page.goto(linked);
    await page.locator('section.diff .verdict').waitFor();
    expect(await page.locator('section.diff .verdict').textContent()).toMatch(
      /because raw\/readings moved on/,
    );
  });

  it('launches a materialization from the asset page and shows the run', async () => {
    const { page } = e2e;
    await page.goto(asset('reports/summary'));
    await page.locator('.asset-status-line .pill').waitFor();
    expect(await page.locator('.asset-status-line .pill').textContent()).toBe('missing');
    await page.getByRole('button', { name: 'Materialize' }).click();
    const launched = page.locator('.launched a');
    await launched.waitFor();
    const runId = (await launched.textContent())!;
    await launched.click();
    await page.waitForURL(`**/runs/${runId}`);
    await expect
      .poll(() => page.locator('h1 .pill').textContent(), { timeout: 10_000 })
      .toBe('success');
    expect(await page.locator('.run-reason').textContent()).toMatch(/api.*reports\/summary/);
    // Materialized now (stale still: it reads clean/readings, which is stale).
    await page.goto(asset('reports/summary', 'history'));
    await page.locator('.history-table tbody tr[data-event]').first().waitFor();
    expect(await page.locator('.asset-status-line .pill').textContent()).not.toBe('missing');
  });

  it('materializes a range of partitions from the asset page', async () => {
    const { page } = e2e;
    await page.goto(asset('clean/daily'));
    await page.getByLabel('from partition').fill('2026-02-10');
    await page.getByLabel('to partition').fill('2026-02-12');
    await page.getByRole('button', { name: 'Materialize' }).click();
    const launched = page.locator('.launched a');
    await launched.waitFor();
    await launched.click();
    await expect
      .poll(() => page.locator('h1 .pill').textContent(), { timeout: 10_000 })
      .toBe('success');
    expect(await page.locator('.run-facts').textContent()).toMatch(/2026-02-10 → 2026-02-12/);
    await expect.poll(() => page.locator('.step-legend').textContent()).toMatch(/3 materialized/);
  });

  it('streams the logs of a running run live', async () => {
    const { page } = e2e;
    world.slowSteps = 6;
    world.slowDelayMs = 250;
    const { runId } = await e2e.api<{ runId: string }>('/api/runs', {
      method: 'POST',
      body: JSON.stringify({ selection: 'ops/slow_logger', force: true }),
    });
    await page.goto(`${e2e.url}/runs/${runId}`);
    await page.getByText('slow tick 1 of 6').waitFor({ timeout: 5000 });
    // The first line is on screen while the run still runs.
    const during = await e2e.api<RunView>(`/api/runs/${runId}`);
    expect(during.run.status).toBe('running');
    expect(await page.locator('.logs').textContent()).not.toMatch(/slow tick 6 of 6/);
    await page.getByText('slow tick 6 of 6').waitFor({ timeout: 5000 });
    await expect
      .poll(() => page.locator('h1 .pill').textContent(), { timeout: 5000 })
      .toBe('success');
    // A step clicked in the timeline shows its logs alone.
    const canvas = page.locator('canvas.gantt-canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: 60, y: 28 + 12 } });
    await page.locator('section.step-detail').waitFor();
    expect(await page.locator('section.step-detail').textContent()).toMatch(/ops\/slow_logger/);
    expect(box.height).toBeGreaterThan(40);
  });

  it('cancels a run this server launched, and says where a run elsewhere must be stopped', async () => {
    const { page } = e2e;
    world.slowSteps = 40;
    world.slowDelayMs = 50;
    try {
      // A run of this process, not of the server: the server cannot cancel it (409).
      let elsewhere: string | undefined;
      const ended = materialize(e2e.project, {
        instance: e2e.instance,
        selection: 'ops/slow_logger',
        force: true,
        onEvent: (event) => {
          if (event.type === 'run:started') elsewhere = event.runId;
        },
      });
      await expect.poll(() => elsewhere).toBeDefined();
      await page.goto(`${e2e.url}/runs/${elsewhere}`);
      await page.getByRole('button', { name: 'Cancel run' }).click();
      await expect
        .poll(() => page.locator('.run-header .problem').textContent())
        .toMatch(/runs in another process/);
      await ended;
      // A run the server launched: cancelled from the page.
      const { runId } = await e2e.api<{ runId: string }>('/api/runs', {
        method: 'POST',
        body: JSON.stringify({ selection: 'ops/slow_logger', force: true }),
      });
      await page.goto(`${e2e.url}/runs/${runId}`);
      await page.getByRole('button', { name: 'Cancel run' }).click();
      await expect
        .poll(() => page.locator('h1 .pill').textContent(), { timeout: 10_000 })
        .toBe('cancelled');
    } finally {
      world.slowSteps = 5;
      world.slowDelayMs = 250;
    }
  });

  it('shows a description holding HTML as text and never runs it', async () => {
    const { page } = e2e;
    await page.goto(asset('ops/untrusted'));
    const description = page.locator('.description');
    await description.waitFor();
    expect(await description.textContent()).toBe(XSS_DESCRIPTION);
    expect(await page.locator('.overview .tag', { hasText: '<b>bold?</b>' }).count()).toBe(1);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"], .overview script, .overview b').count()).toBe(0);
  });

  it('draws the partition map of a partitioned asset and names the partition under the pointer', async () => {
    const { page } = e2e;
    await page.goto(asset('clean/daily', 'partitions'));
    const canvas = page.locator('canvas.map-canvas');
    await canvas.waitFor();
    const { counts } = await e2e.api<{ counts: Record<string, number> }>(
      '/api/assets/clean%2Fdaily/partitions',
    );
    expect(counts.fresh).toBeGreaterThan(0);
    expect(counts.missing).toBeGreaterThan(0);
    expect(await page.locator('.legend').textContent()).toContain(
      `fresh${counts.fresh}${((counts.fresh! / 59) * 100).toFixed(1)}%`,
    );
    // The canvas holds fresh (green) and missing (grey) cells.
    const colours = await canvas.evaluate((element: HTMLCanvasElement) => {
      const ctx = element.getContext('2d')!;
      const data = ctx.getImageData(0, 0, element.width, element.height).data;
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      return [...seen];
    });
    expect(colours).toContain('31,157,85');
    expect(colours).toContain('203,210,220');
    await canvas.hover({ position: { x: 3, y: 3 } });
    await expect
      .poll(() => page.locator('.map-tooltip').textContent(), { timeout: 5000 })
      .toMatch(/2026-01-01.*fresh/);
  });

  it('pauses and resumes a sensor', async () => {
    const { page } = e2e;
    await page.goto(`${e2e.url}/automation`);
    const row = page.locator('tr[data-name="inbox"]');
    await row.waitFor();
    expect(await page.locator('tr[data-name="nightly"]').textContent()).toMatch(/schedule/);
    expect(await row.locator('.pill').textContent()).toBe('active');
    await row.getByRole('button', { name: 'pause inbox' }).click();
    await expect.poll(() => row.locator('.pill').textContent()).toBe('paused');
    const list = await e2e.api<{ entries: Array<{ name: string; paused: boolean }> }>(
      '/api/automation',
    );
    expect(list.entries.find((e) => e.name === 'inbox')?.paused).toBe(true);
    await row.getByRole('button', { name: 'resume inbox' }).click();
    await expect.poll(() => row.locator('.pill').textContent()).toBe('active');
    await row.getByRole('button', { name: 'Ticks' }).click();
    await page.getByText('No ticks recorded yet.').waitFor();
  });
});
