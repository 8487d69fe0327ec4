/**
 * The lineage view in headless chromium against a real server: states drawn as recorded,
 * selecting a node shows it, a materialization launched from the panel turns the node fresh
 * without a reload, search and the selection filter work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset, check, defineProject, materialize } from 'weir';
import { type Stage, stage } from './support/browser.js';

const failing = true;

function project() {
  const stations = asset({ key: 'raw/stations', group: 'raw', materialize: () => [{ id: 1 }] });
  const readings = asset({ key: 'raw/readings', group: 'raw', materialize: () => [{ v: 2 }] });
  const joined = asset({
    key: 'clean/joined',
    group: 'clean',
    ins: { stations, readings },
    materialize: (_ctx, { stations, readings }) => [...stations, ...readings],
  });
  const broken = asset({
    key: 'clean/broken',
    group: 'clean',
    ins: { readings },
    materialize: () => {
      if (failing) throw new Error('the feed is down');
      return 1;
    },
  });
  const checked = asset({
    key: 'clean/checked',
    group: 'clean',
    ins: { readings },
    checks: [
      check({ name: 'enough_rows', evaluate: () => ({ passed: false, message: 'only 1 row' }) }),
    ],
    materialize: (_ctx, { readings }) => readings,
  });
  const report = asset({
    key: 'marts/report',
    group: 'marts',
    ins: { joined },
    materialize: (_ctx, { joined }) => joined.length,
  });
  return defineProject({ assets: [stations, readings, joined, broken, checked, report] });
}

let s: Stage;
beforeAll(async () => {
  s = await stage(project(), {
    prepare: async (instance) => {
      await materialize(project(), {
        instance,
        selection: 'raw/stations,raw/readings,clean/broken,clean/checked',
      });
    },
  });
  await s.page.goto(s.server.url);
  await s.page.waitForSelector('canvas[data-drawn="6"]');
}, 60_000);
afterAll(async () => s?.close());

const stateOf = (key: string) => s.page.evaluate((k) => window.__weirGraph?.stateOf(k), key);

async function clickNode(key: string) {
  const position = await s.page.evaluate((k) => window.__weirGraph?.screenOf(k), key);
  const box = (await s.page.locator('canvas').boundingBox())!;
  await s.page.mouse.click(box.x + position![0], box.y + position![1]);
}

describe('the lineage view', () => {
  it('draws each asset in its recorded state, with counts in the legend', async () => {
    expect(await stateOf('raw/stations')).toBe('fresh');
    expect(await stateOf('clean/broken')).toBe('failed');
    expect(await stateOf('clean/joined')).toBe('missing');
    expect(await stateOf('clean/checked')).toBe('failing');
    const legend = await s.page.locator('.graph-legend').innerText();
    expect(legend).toMatch(/fresh\s*2/);
    expect(legend).toMatch(/check failing\s*1/);
    expect(legend).toMatch(/failed\s*1/);
    expect(s.pageErrors).toEqual([]);
  });

  it('selects a node on click and shows why it is in its state', async () => {
    await clickNode('clean/broken');
    const panel = s.page.locator('aside.graph-panel');
    await expect.poll(() => panel.locator('h2').innerText()).toBe('clean/broken');
    expect(await panel.locator('.pill').innerText()).toBe('failed');
    expect(await panel.innerText()).toMatch(/the feed is down/);
  });

  it('opens the asset page from the panel, and comes back', async () => {
    await clickNode('raw/readings');
    const panel = s.page.locator('aside.graph-panel');
    await expect.poll(() => panel.locator('h2').innerText()).toBe('raw/readings');
    await panel.getByRole('link', { name: 'Open asset' }).click();
    await expect.poll(() => s.page.url()).toMatch(/\/assets\/raw%2Freadings$/);
    await expect.poll(() => s.page.locator('h1').innerText()).toBe('raw/readings');
    await s.page.goBack();
    await s.page.waitForSelector('canvas[data-drawn="6"]');
  });

  it('launches a materialization from the panel and the node turns fresh without a reload', async () => {
    await clickNode('clean/joined');
    const panel = s.page.locator('aside.graph-panel');
    await expect.poll(() => panel.locator('h2').innerText()).toBe('clean/joined');
    await panel.getByRole('button', { name: 'Materialize' }).click();
    await expect
      .poll(() =>
        panel
          .locator('.graph-panel-launch')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/Run \S+ started/);
    await expect.poll(() => stateOf('clean/joined'), { timeout: 10_000 }).toBe('fresh');
    await expect.poll(() => stateOf('marts/report')).toBe('missing');
  });

  it('finds an asset by key and filters by a selection', async () => {
    await s.page.getByLabel('search assets').fill('report');
    await s.page.getByLabel('search assets').press('Enter');
    await expect
      .poll(() => s.page.locator('aside.graph-panel h2').innerText())
      .toBe('marts/report');
    await s.page.getByLabel('selection filter').fill('group:raw');
    await s.page.getByLabel('selection filter').press('Enter');
    await expect
      .poll(() => s.page.locator('.graph-toolbar').innerText())
      .toMatch(/2 of 6 selected/);
    await s.page.getByLabel('selection filter').fill('group:(');
    await s.page.getByLabel('selection filter').press('Enter');
    await expect
      .poll(() =>
        s.page
          .locator('.graph-filter-error')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/not applied/);
    // A filter that does not parse applies nothing (the previous one does not linger).
    expect(await s.page.locator('.graph-toolbar').innerText()).not.toMatch(/selected/);
    await s.page.getByLabel('selection filter').fill('');
    await s.page.getByLabel('selection filter').press('Enter');
    await expect.poll(() => s.page.locator('.graph-filter-error').count()).toBe(0);
  });

  it('says so when the server goes away', async () => {
    await s.server.close();
    await expect
      .poll(() => s.page.locator('.connection-lost').count(), { timeout: 15_000 })
      .toBe(1);
    expect(await s.page.locator('.connection-lost').innerText()).toMatch(/Lost contact/);
  });
});
