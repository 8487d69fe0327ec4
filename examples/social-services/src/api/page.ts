/**
 * The search page, rendered on the server: a form (what, near which ZIP code or point, how
 * far), results with organization, phones, address, opening hours, the agency each came from
 * and when it last changed, taxonomy facets, pages; and a page per service. Plain links and a
 * GET form, so it works without JavaScript; every value passes through `html`, which escapes.
 */
import type { NearFilter } from '@weir/hsds';
import { AGENCIES } from '../agencies.js';
import type { DirectoryService } from '../directory-types.js';
import {
  type DirectoryView,
  type Found,
  type Searcher,
  SearchUnavailable,
  termsOf,
} from './data.js';
import {
  addressesOf,
  formatDate,
  formatMiles,
  formatPhone,
  hoursOf,
  phoneLabel,
  plainText,
  truncate,
} from './format.js';
import { type Html, html, queryString } from './html.js';

export const PER_PAGE = 10;
/** The largest page number kept as asked (any larger one is past the last page anyway). */
const MAX_PAGE = 1_000_000_000;
/** The distances offered, in miles. */
export const WITHIN_MILES = [1, 2, 5, 10, 25, 50] as const;
const DEFAULT_WITHIN = 5;
const KM_PER_MILE = 1.609344;

/** What the form asked. */
export interface PageQuery {
  q: string;
  taxonomy: string[];
  near: string;
  within: number;
  page: number;
}

export function pageQuery(params: URLSearchParams): PageQuery {
  const within = Number(params.get('within'));
  const page = Number(params.get('page'));
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    taxonomy: params
      .getAll('t')
      .map((t) => t.slice(0, 40))
      .filter(Boolean)
      .slice(0, 10),
    near: (params.get('near') ?? '').trim().slice(0, 60),
    within: (WITHIN_MILES as readonly number[]).includes(within) ? within : DEFAULT_WITHIN,
    // Any page from 1 on: one past the last says so (a very large one is the largest kept).
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

/** `20001` (a ZIP code the directory has addresses in) or `38.9,-77.03`. */
function nearOf(view: DirectoryView, query: PageQuery): NearFilter | string | undefined {
  if (query.near === '') return undefined;
  const radiusKm = query.within * KM_PER_MILE;
  const point = /^(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$/.exec(query.near);
  if (point !== null) {
    const latitude = Number(point[1]);
    const longitude = Number(point[2]);
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)
      return { latitude, longitude, radiusKm };
  }
  const zip = /^\d{5}$/.exec(query.near)?.[0];
  if (zip !== undefined) {
    const centre = view.zipCentres.get(zip);
    if (centre !== undefined) return { ...centre, radiusKm };
    return `No service in the directory has an address in ZIP code ${zip}, so distances from it are unknown: try a neighbouring one.`;
  }
  return 'Near: type a 5-digit ZIP code, or a latitude and longitude such as 38.90,-77.03.';
}

/**
 * The search page, and whether the search asked for could be made (`unavailable`: the search
 * index cannot be read; the page says so, and a listing without words still works).
 */
export function searchPage(
  view: DirectoryView,
  search: Searcher,
  query: PageQuery,
  base: string,
): { body: Html; unavailable: boolean } {
  const near = nearOf(view, query);
  const problem = typeof near === 'string' ? near : undefined;
  let found: Found;
  let unavailable = false;
  try {
    found = search(view, {
      text: query.q,
      taxonomy: query.taxonomy,
      ...(typeof near === 'object' ? { near } : {}),
      limit: PER_PAGE,
      offset: (query.page - 1) * PER_PAGE,
    });
  } catch (error) {
    if (!(error instanceof SearchUnavailable)) throw error;
    unavailable = true;
    found = {
      total: 0,
      services: [],
      distances: new Map(),
      facets: [],
      corrections: [],
      engine: 'plain',
    };
  }
  const pages = Math.max(1, Math.ceil(found.total / PER_PAGE));
  const link = (changes: Partial<PageQuery>) => {
    const q = { ...query, ...changes };
    return `${base}/${queryString({
      q: q.q,
      t: q.taxonomy,
      near: q.near,
      within: q.near === '' ? undefined : q.within,
      page: q.page === 1 ? undefined : q.page,
    })}`;
  };
  const summary = [
    `${found.total.toLocaleString('en-US')} ${found.total === 1 ? 'service' : 'services'}`,
    query.q === '' ? '' : ` for “${query.q}”`,
    typeof near === 'object' ? ` within ${query.within} mi of ${query.near}` : '',
  ].join('');
  const body = html`
<form class="search" method="get" action="${base}/" role="search">
  <div><label for="q">What do you need?</label>
    <input id="q" name="q" type="search" value="${query.q}" placeholder="food, shelter, help with rent…" autofocus></div>
  <div><label for="near">Near (ZIP code)</label>
    <input id="near" name="near" value="${query.near}" placeholder="20001" autocomplete="postal-code"></div>
  <div><label for="within">Within</label>
    <select id="within" name="within">${WITHIN_MILES.map(
      (m) =>
        html`<option value="${m}"${m === query.within ? html` selected` : ''}>${m} mi</option>`,
    )}</select></div>
  ${query.taxonomy.map((t) => html`<input type="hidden" name="t" value="${t}">`)}
  <button type="button" id="locate" class="secondary" hidden>Use my location</button>
  <button type="submit">Search</button>
</form>
${problem === undefined ? '' : html`<p class="notice" role="alert">${problem}</p>`}
${unavailable ? html`<p class="notice" role="alert">Search is unavailable right now. Please try again later; <a href="${base}/">the list of all services</a> still works.</p>` : ''}
${found.engine === 'plain' && !unavailable ? html`<p class="notice">The search index has not been built yet: results are a plain match of the words, without ranking or spelling help.</p>` : ''}
<p class="summary" aria-live="polite">${summary}${
    found.corrections.length > 0
      ? html` · searched for ${found.corrections.map((c, i) => html`${i > 0 ? ', ' : ''}<strong>${c.to}</strong> (not “${c.from}”)`)}`
      : ''
  }${query.page > 1 ? ` · page ${query.page} of ${pages}` : ''}</p>
<div class="layout">
  <aside class="facets" aria-label="Categories">
    <h2>Categories</h2>
    ${
      found.facets.length === 0
        ? html`<p>None</p>`
        : html`<ul>${found.facets.map((f) => {
            const on = query.taxonomy.includes(f.code);
            const taxonomy = on
              ? query.taxonomy.filter((t) => t !== f.code)
              : [...query.taxonomy, f.code];
            return html`<li${on ? html` class="on"` : ''}><a href="${link({ taxonomy, page: 1 })}" title="${f.code}">${on ? '✓ ' : ''}${f.name}</a><span class="count">${f.count}</span></li>`;
          })}</ul>`
    }
    ${query.taxonomy.length > 0 ? html`<p><a href="${link({ taxonomy: [], page: 1 })}">Clear categories</a></p>` : ''}
  </aside>
  <section aria-label="Results">
    ${
      found.services.length > 0 || unavailable
        ? ''
        : found.total > 0
          ? html`<p>This page is past the last one. <a href="${link({ page: 1 })}">Back to the first page</a>.</p>`
          : html`<p>No services match. Try fewer words, another category or a wider distance.</p>`
    }
    <ol class="results">${found.services.map((s) => resultCard(s, found.distances.get(s.service.id), base))}</ol>
    ${
      pages > 1
        ? html`<nav class="pages" aria-label="Pages">
      ${query.page > 1 ? html`<a rel="prev" href="${link({ page: query.page - 1 })}">← Previous</a>` : ''}
      <span>Page ${query.page} of ${pages}</span>
      ${query.page < pages ? html`<a rel="next" href="${link({ page: query.page + 1 })}">Next →</a>` : ''}
    </nav>`
        : ''
    }
  </section>
</div>`;
  const title = query.q === '' ? 'Find services' : `${query.q} – services`;
  return { body: layout(title, body, view, base), unavailable };
}

function resultCard(s: DirectoryService, distanceKm: number | undefined, base: string): Html {
  const service = s.service;
  const phones = (service.phones ?? []).filter((p) => p.type !== 'fax').slice(0, 2);
  const address = addressesOf(service)[0];
  const hours = hoursOf(service).slice(0, 2);
  const description = truncate(plainText(service.description), 280);
  return html`<li class="result">
  <h3><a href="${base}/service/${encodeURIComponent(service.id)}">${service.name}</a>${statusBadge(service.status)}</h3>
  ${service.organization?.name ? html`<p class="org">${service.organization.name}</p>` : ''}
  ${description === '' ? '' : html`<p class="desc">${description}</p>`}
  <dl class="facts">
    ${phones.length > 0 ? html`<dt>Phone</dt><dd>${phones.map((p, i) => html`${i > 0 ? ' · ' : ''}<a href="tel:${p.number}">${formatPhone(p.number)}</a>${phoneLabel(p) ? ` (${phoneLabel(p)})` : ''}`)}</dd>` : ''}
    ${address === undefined ? '' : html`<dt>Address</dt><dd>${address}</dd>`}
    ${hours.length > 0 ? html`<dt>Hours</dt><dd>${hours.join('; ')}</dd>` : ''}
    ${distanceKm === undefined ? '' : html`<dt>Distance</dt><dd>${formatMiles(distanceKm)}</dd>`}
  </dl>
  <p class="meta">${sourceLine(s)}</p>
</li>`;
}

function statusBadge(status: string): Html | string {
  return status === 'active' ? '' : html`<span class="badge off">${status}</span>`;
}

function sourceLine(s: DirectoryService): string {
  const agency = AGENCIES[s.source.agency]?.name ?? s.source.agency;
  const updated = formatDate(s.updatedAt ?? s.service.last_modified);
  return `Source: ${agency}${updated === undefined ? '' : ` · last updated ${updated}`}`;
}

/** Everything the directory holds on one service, and the other agencies that list it. */
export function servicePage(view: DirectoryView, s: DirectoryService, base: string): Html {
  const service = s.service;
  const phones = service.phones ?? [];
  const addresses = addressesOf(service);
  const hours = hoursOf(service);
  const terms = termsOf(s);
  const others = (view.byEntity.get(s.entityId) ?? []).filter((o) => o.service.id !== service.id);
  const text = (label: string, value: string | undefined) =>
    value === undefined || value.trim() === ''
      ? ''
      : html`<h2>${label}</h2><p class="desc">${plainText(value)}</p>`;
  const body = html`
<p><a href="${base}/">← Search</a></p>
<article class="detail">
  <h1>${service.name}${statusBadge(service.status)}</h1>
  ${service.organization?.name ? html`<p class="org">${service.organization.name}</p>` : ''}
  ${service.status === 'active' && s.searchable ? '' : html`<p class="notice">This service is not offered in search (${s.searchable ? service.status : `${service.status}, not open to referral`}).</p>`}
  ${text('About', service.description)}
  <dl class="facts">
    ${phones.map((p) => html`<dt>${p.type === 'fax' ? 'Fax' : 'Phone'}</dt><dd><a href="tel:${p.number}">${formatPhone(p.number)}</a>${phoneLabel(p) ? ` (${phoneLabel(p)})` : ''}</dd>`)}
    ${addresses.map((a) => html`<dt>Address</dt><dd>${a}</dd>`)}
    ${hours.map((h) => html`<dt>Hours</dt><dd>${h}</dd>`)}
    ${service.url ? html`<dt>Website</dt><dd><a href="${safeUrl(service.url)}" rel="noopener noreferrer">${service.url}</a></dd>` : ''}
    ${service.email ? html`<dt>Email</dt><dd>${service.email}</dd>` : ''}
    ${
      (service.languages ?? []).length > 0
        ? html`<dt>Languages</dt><dd>${(service.languages ?? [])
            .map((l) => l.name)
            .filter(Boolean)
            .join(', ')}</dd>`
        : ''
    }
  </dl>
  ${text('Who can use it', service.eligibility_description)}
  ${text('How to apply', service.application_process)}
  ${text('Fees', service.fees_description)}
  ${terms.length > 0 ? html`<h2>Categories</h2><ul class="terms">${terms.map((t) => html`<li title="${t.code}">${t.name}</li>`)}</ul>` : ''}
  ${
    others.length > 0
      ? html`<h2>Also listed by</h2><ul>${others.map((o) => html`<li><a href="${base}/service/${encodeURIComponent(o.service.id)}">${o.service.name}</a> — ${AGENCIES[o.source.agency]?.name ?? o.source.agency}</li>`)}</ul>`
      : ''
  }
  <p class="meta">${sourceLine(s)} · record ${s.source.recordId} of ${s.source.file}, line ${s.source.line} · <a href="${base}/hsds/services/${encodeURIComponent(service.id)}">HSDS JSON</a></p>
</article>`;
  return layout(service.name, body, view, base);
}

/** Only http(s) links become links: a `javascript:` URL in an export stays text. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

export function notFoundPage(view: DirectoryView | undefined, message: string, base: string): Html {
  return layout(
    'Not found',
    html`<p><a href="${base}/">← Search</a></p><p class="notice">${message}</p>`,
    view,
    base,
  );
}

function layout(title: string, body: Html, view: DirectoryView | undefined, base: string): Html {
  const agencies = view === undefined ? 0 : Object.keys(view.directory.agencies).length;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Connect211</title>
<link rel="stylesheet" href="${base}/static/style.css">
<script src="${base}/static/near.js" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="${base}/">Connect211</a><span class="tagline">Find social services near you</span></header>
<main>${body}</main>
<footer>${
    view === undefined
      ? ''
      : `${view.directory.services.length.toLocaleString('en-US')} services from ${agencies} ${agencies === 1 ? 'agency' : 'agencies'}, merged ${formatDate(view.materializedAt)} · `
  }<a href="${base}/hsds/">HSDS 3.0 API</a></footer>
</body>
</html>`;
}
