/**
 * The directory's search page in headless Chromium, on a real Weir server over the real
 * exports: typing a query shows results with their organization, phone, address, hours,
 * source agency and date; a result opens its page; facets narrow and pages turn; a ZIP code
 * gives distances; the page works with JavaScript off; an XSS attempt in the query or the
 * path is shown as text and never runs. Leaves a screenshot in .test-projects/ (ignored: it
 * shows records of the unlicensed exports, which must not be committed).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../bench/_browser.js';
import {
  noRealData,
  realDataTitle,
  realDirectory,
  type Served,
  serveDirectory,
} from './api-fixture.js';

const SHOTS = fileURLToPath(new URL('../.test-projects/', import.meta.url));
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>"\'';

describe.skipIf(noRealData)(realDataTitle('the search page in a browser'), () => {
  let served: Served;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    served = await serveDirectory(realDirectory());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  async function open(path: string, javaScript = true): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: javaScript,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(served.url(path));
    return page;
  }

  it('finds services as one types a query, shows what a caller needs, and opens a result', async () => {
    const page = await open('/');
    await page.fill('#q', 'food pantry');
    await page.fill('#near', '20001');
    await Promise.all([page.waitForURL(/q=food\+pantry/), page.press('#q', 'Enter')]);
    const results = page.locator('ol.results > li');
    expect(await results.count()).toBe(10);
    await expect
      .poll(() => page.locator('.summary').textContent())
      .toMatch(/services for “food pantry” within 5 mi of 20001/);
    const first = results.first();
    expect(await first.locator('h3 a').textContent()).toBeTruthy();
    const text = (await page.locator('ol.results').textContent())!;
    expect(text).toMatch(/Phone\(\d{3}\) \d{3}-\d{4}/);
    expect(text).toMatch(/Address.*, (Washington|San Francisco)/);
    expect(text).toMatch(/Hours(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/);
    expect(text).toMatch(/Distance\d+(\.\d)? mi/);
    expect(text).toMatch(
      /Source: DC 211 \(iCarol\/ReferNET export\)( · last updated \d{1,2} \w{3} \d{4})?/,
    );
    expect(await page.locator('.facets li').count()).toBeGreaterThan(3);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}search-page.png`, fullPage: false });
    const name = (await first.locator('h3 a').textContent())!;
    await Promise.all([page.waitForURL(/\/service\//), first.locator('h3 a').click()]);
    expect(await page.locator('h1').textContent()).toContain(name);
    expect(await page.locator('.detail').textContent()).toMatch(/Source: .* · record .* line \d+/);
    const json = page.locator('a', { hasText: 'HSDS JSON' });
    expect(await json.getAttribute('href')).toMatch(/\/apps\/directory\/hsds\/services\//);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('narrows by a category and turns pages', async () => {
    const page = await open('/?q=shelter');
    const total = Number(
      (await page.locator('.summary').textContent())!.match(/^([\d,]+)/)![1]!.replace(/,/g, ''),
    );
    expect(total).toBeGreaterThan(10);
    const facet = page.locator('.facets li a').first();
    const facetName = (await facet.textContent())!;
    await Promise.all([page.waitForURL(/[?&]t=/), facet.click()]);
    expect(await page.locator('.facets li.on').textContent()).toContain(facetName);
    const narrowed = Number(
      (await page.locator('.summary').textContent())!.match(/^([\d,]+)/)![1]!.replace(/,/g, ''),
    );
    expect(narrowed).toBeLessThanOrEqual(total);
    const unfiltered = await open('/?q=shelter');
    await Promise.all([unfiltered.waitForURL(/page=2/), unfiltered.locator('a[rel=next]').click()]);
    expect(await unfiltered.locator('nav.pages').textContent()).toMatch(/Page 2 of/);
    expect(await unfiltered.locator('a[rel=prev]').count()).toBe(1);
    const past = await open('/?q=shelter&page=9999');
    await Promise.all([
      past.waitForURL((u) => !u.search.includes('page=')),
      past.locator('text=Back to the first page').click(),
    ]);
    expect(await past.locator('ol.results > li').count()).toBe(10);
    await past.context().close();
    await page.context().close();
    await unfiltered.context().close();
  });

  it('works without JavaScript: the form and the links are plain HTML', async () => {
    const page = await open('/', false);
    expect(await page.locator('#locate').isVisible()).toBe(false);
    await page.fill('#q', 'legal aid');
    await Promise.all([page.waitForURL(/q=legal\+aid/), page.click('button[type=submit]')]);
    expect(await page.locator('ol.results > li').count()).toBeGreaterThan(0);
    await Promise.all([
      page.waitForURL(/\/service\//),
      page.locator('ol.results h3 a').first().click(),
    ]);
    expect(await page.locator('h1').count()).toBe(1);
    await page.context().close();
  });

  it('shows an XSS attempt in the query as text, and runs none of it', async () => {
    const page = await open('/');
    await page.fill('#q', XSS);
    await Promise.all([page.waitForURL(/q=/), page.press('#q', 'Enter')]);
    expect(await page.inputValue('#q')).toBe(XSS);
    expect(await page.locator('.summary').textContent()).toContain(`for “${XSS}”`);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    // Through the near field and the path too.
    const near = await open(`/?near=${encodeURIComponent(XSS)}&t=${encodeURIComponent(XSS)}`);
    expect(await near.locator('.notice').first().textContent()).toMatch(/type a 5-digit ZIP code/);
    expect(await near.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    const path = await open(`/service/${encodeURIComponent(XSS)}`);
    expect(await path.locator('.notice').textContent()).toMatch(/No service has this address/);
    expect(await path.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    const response = await fetch(served.url(`/?q=${encodeURIComponent(XSS)}`));
    const csp = response.headers.get('Content-Security-Policy')!;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(csp).not.toMatch(/unsafe-inline/);
    const body = await response.text();
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    for (const p of [page, near, path]) await p.context().close();
  });
});
