/**
 * The HSDS 3.0 API of the directory app, on a real Weir server over the real exports: every
 * answer validated against the response schema the specification's OpenAPI document gives
 * for its path (the compiled JSON Schemas it `$ref`s, with Ajv's JSON Schema 2020-12), the
 * paginated envelope's arithmetic, search through the index (only services open to referral),
 * records by id whatever their status, 404s, 400s for bad parameters, and 503 until the
 * directory has been built.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from 'weir';
import { type DirectoryView, IndexHandle, SearchUnavailable } from '../src/api/data.js';
import {
  COMPILED_DIR,
  noRealData,
  OPENAPI_PATH,
  realDataTitle,
  realDirectory,
  type Served,
  serveDirectory,
} from './api-fixture.js';

const SPEC_BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';
const DOC_ID = 'https://weir.invalid/hsds-openapi.json';

/** A validator of the 200 response of `GET path` as the OpenAPI document declares it. */
function responseValidators(): (path: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS: its function is the default export, or that export's `default`.
  const add = addFormats as unknown as ((a: Ajv2020) => void) & { default?: (a: Ajv2020) => void };
  (add.default ?? add)(ajv);
  for (const file of readdirSync(COMPILED_DIR).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(COMPILED_DIR, file), 'utf8'));
    ajv.addSchema(schema, `${SPEC_BASE}compiled/${file}`);
  }
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
  ajv.addSchema(doc, DOC_ID);
  const compiled = new Map<string, ValidateFunction>();
  return (path) => {
    let validate = compiled.get(path);
    if (validate === undefined) {
      const pointer = `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/get/responses/200/content/application~1json/schema`;
      validate = ajv.compile({ $ref: `${DOC_ID}${pointer}` });
      compiled.set(path, validate);
    }
    return validate;
  };
}

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked by the schemas, then field by field
type Body = any;

describe.skipIf(noRealData)(realDataTitle('the HSDS API of the directory app'), () => {
  let served: Served;
  let validator: (path: string) => ValidateFunction;

  beforeAll(async () => {
    validator = responseValidators();
    // Compiling the document's schemas (a megabyte each, nested) takes seconds: done here once.
    for (const path of [
      '/',
      '/services',
      '/services/{id}',
      '/organizations',
      '/organizations/{id}',
    ]) {
      validator(path);
    }
    served = await serveDirectory(realDirectory());
  }, 180_000);
  afterAll(async () => {
    await served?.close();
  });

  async function get(path: string, expected = 200): Promise<{ body: Body; response: Response }> {
    const response = await fetch(served.url(`/hsds${path}`));
    expect(response.status, `${path}: ${response.status}`).toBe(expected);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    return { body: await response.json(), response };
  }

  /** The body is what the document declares for `specPath`; the errors are shown when it is not. */
  function expectValid(specPath: string, body: Body): void {
    const validate = validator(specPath);
    const ok = validate(body);
    expect(ok ? [] : validate.errors!.slice(0, 5)).toEqual([]);
  }

  it('validates with the document’s schemas: a wrong body fails them', () => {
    expect(validator('/services/{id}')({ id: 'x', name: 'no status' })).toBe(false);
    expect(validator('/services')({ total_items: 'many', contents: [] })).toBe(false);
    expect(validator('/services')({ total_items: 1, contents: [{ id: 'x', name: 'y' }] })).toBe(
      false,
    );
    expect(
      validator('/organizations/{id}')({
        id: 'x',
        name: 'y',
        description: 'z',
        email: 'not an email',
      }),
    ).toBe(false);
  });

  it('answers / with the API’s HSDS version and the document it follows', async () => {
    const { body } = await get('/');
    expectValid('/', body);
    expect(body).toEqual({
      version: '3.0',
      profile: expect.stringMatching(/^https:\/\//),
      openapi_url:
        'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
    });
  });

  it('lists every service, paginated, as the document’s Page of service_list items', async () => {
    const total = served.directory.services.length;
    const first = (await get('/services?per_page=50')).body;
    expectValid('/services', first);
    expect(first).toMatchObject({
      total_items: total,
      total_pages: Math.ceil(total / 50),
      page_number: 1,
      size: 50,
      first_page: true,
      last_page: false,
      empty: false,
    });
    // One-to-one fields only: no phones, schedules or locations in a listing.
    expect(first.contents[0].phones).toBeUndefined();
    expect(first.contents[0].service_at_locations).toBeUndefined();
    expect(first.contents[0].organization).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
    });
    const lastPage = Math.ceil(total / 50);
    const last = (await get(`/services?per_page=50&page=${lastPage}`)).body;
    expectValid('/services', last);
    expect(last).toMatchObject({ page_number: lastPage, first_page: false, last_page: true });
    expect(last.size).toBe(total - (lastPage - 1) * 50);
    const beyond = (await get(`/services?per_page=50&page=${lastPage + 1}`)).body;
    expect(beyond).toMatchObject({ size: 0, empty: true, last_page: true, contents: [] });
    // Without a search, inactive services are listed too, with their status (a client keeps a copy in step).
    const all = (await get(`/services?per_page=100&page=1`)).body;
    expect(all.total_items).toBe(total);
    const full = (await get('/services?per_page=3&full=true')).body;
    expectValid('/services', full);
    expect(full.contents.some((s: Body) => Array.isArray(s.attributes))).toBe(true);
  });

  it('searches through the index: ranked, only services open to referral, valid pages', async () => {
    const { body } = await get('/services?search=food%20pantry&per_page=10');
    expectValid('/services', body);
    expect(body.total_items).toBeGreaterThan(5);
    expect(body.size).toBe(10);
    const byId = new Map(served.directory.services.map((s) => [s.service.id, s]));
    for (const item of body.contents) {
      expect(byId.get(item.id)?.searchable, item.name).toBe(true);
    }
    expect(body.contents.map((s: Body) => `${s.name} ${s.description ?? ''}`).join(' ')).toMatch(
      /food|pantry|meal/i,
    );
    const second = (await get('/services?search=food%20pantry&per_page=10&page=2')).body;
    expectValid('/services', second);
    expect(second.contents.map((s: Body) => s.id)).not.toContain(body.contents[0].id);
    const none = (await get('/services?search=zzzqqqxxyy')).body;
    expect(none).toMatchObject({ total_items: 0, total_pages: 0, empty: true, contents: [] });
    expectValid('/services', none);
  });

  it('filters by organization, taxonomy term and modification date', async () => {
    const s = served.directory.services.find(
      (x) => (x.service.attributes ?? []).length > 0 && x.searchable,
    )!;
    const org = s.service.organization!.id;
    const byOrg = (await get(`/services?organization_id=${org}&per_page=100`)).body;
    expectValid('/services', byOrg);
    expect(byOrg.total_items).toBeGreaterThan(0);
    expect(byOrg.contents.every((x: Body) => x.organization_id === org)).toBe(true);
    const term = s.service.attributes![0]!.taxonomy_term_id!;
    const byTerm = (await get(`/services?taxonomy_term_id=${term}&per_page=100`)).body;
    expect(byTerm.contents.map((x: Body) => x.id)).toContain(s.service.id);
    // On or after the date (parameters/modified_after); a service whose modification time is
    // unknown is kept: it may have changed since, and a client keeping a copy must not miss it.
    const undated = served.directory.services.filter(
      (x) => (x.service.last_modified ?? x.updatedAt) === undefined,
    ).length;
    const recent = (await get('/services?modified_after=2100-01-01')).body;
    expect(recent.total_items).toBe(undated);
  });

  it('a search means the same with a filter: the index finds the words, the filters narrow', async () => {
    const all = async (query: string) => {
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const { body } = await get(`/services?${query}&per_page=100&page=${page}`);
        expectValid('/services', body);
        ids.push(...body.contents.map((x: Body) => x.id));
        if (body.last_page) return { total: body.total_items as number, ids };
      }
    };
    // "comida" is Spanish for food: only the index's synonyms find it.
    const alone = await all('search=comida');
    expect(alone.total).toBeGreaterThan(100);
    const since = await all('search=comida&modified_after=1900-01-01');
    expect(since).toEqual(alone);
    const byId = new Map(served.directory.services.map((x) => [x.service.id, x]));
    const first = byId.get(alone.ids[0]!)!;
    const org = first.service.organization!.id;
    const byOrg = await all(`search=comida&organization_id=${encodeURIComponent(org)}`);
    expect(byOrg.total).toBeGreaterThan(0);
    expect(byOrg.ids).toEqual(
      alone.ids.filter((id) => byId.get(id)!.service.organization?.id === org),
    );
    const term = served.directory.services
      .filter((x) => alone.ids.includes(x.service.id))
      .flatMap((x) => x.service.attributes ?? [])
      .find((a) => a.taxonomy_term_id !== undefined)!.taxonomy_term_id!;
    const byTerm = await all(`search=comida&taxonomy_term_id=${encodeURIComponent(term)}`);
    expect(byTerm.total).toBeGreaterThan(0);
    expect(byTerm.ids).toEqual(
      alone.ids.filter((id) =>
        (byId.get(id)!.service.attributes ?? []).some((a) => a.taxonomy_term_id === term),
      ),
    );
  });

  it('gives any service by id, fully nested, inactive ones with their status', async () => {
    const active = served.directory.services.find(
      (s) => s.searchable && (s.service.phones ?? []).length > 0,
    )!;
    const { body, response } = await get(`/services/${active.service.id}`);
    expectValid('/services/{id}', body);
    expect(body.id).toBe(active.service.id);
    expect(body.phones.length).toBeGreaterThan(0);
    expect(body.organization.id).toBe(active.service.organization!.id);
    // Unchanged: a 304 to its ETag.
    const again = await fetch(served.url(`/hsds/services/${active.service.id}`), {
      headers: { 'If-None-Match': response.headers.get('ETag')! },
    });
    expect(again.status).toBe(304);
    const hidden = served.directory.services.filter((s) => !s.searchable);
    expect(hidden.length).toBeGreaterThan(0);
    for (const s of hidden.slice(0, 20)) {
      const { body } = await get(`/services/${s.service.id}`);
      expectValid('/services/{id}', body);
      expect(body.status).toBe(s.service.status);
    }
    const sample = served.directory.services.filter((_, i) => i % 97 === 0);
    for (const s of sample)
      expectValid('/services/{id}', (await get(`/services/${s.service.id}`)).body);
  });

  it('lists organizations and gives one with its services', async () => {
    const list = (await get('/organizations?per_page=25')).body;
    expectValid('/organizations', list);
    expect(list.total_items).toBe(served.directory.organizations.length);
    const searched = (
      await get(`/organizations?search=${encodeURIComponent(list.contents[3].name)}`)
    ).body;
    expectValid('/organizations', searched);
    expect(searched.contents.map((o: Body) => o.id)).toContain(list.contents[3].id);
    const org = served.directory.services.find((s) => s.service.organization !== undefined)!.service
      .organization!;
    const one = (await get(`/organizations/${org.id}`)).body;
    expectValid('/organizations/{id}', one);
    expect(one.services.length).toBeGreaterThan(0);
    expect(one.services[0].phones).toBeUndefined();
    const full = (await get(`/organizations/${org.id}?full_service=true`)).body;
    expectValid('/organizations/{id}', full);
    const withPhones = full.services.find((s: Body) => s.phones !== undefined);
    if (withPhones !== undefined) expect(withPhones.phones.length).toBeGreaterThan(0);
  });

  it('answers 404 for unknown records and endpoints, 400 for bad parameters, 405 for writes', async () => {
    for (const path of [
      '/services/no-such-id',
      '/organizations/no-such-id',
      '/taxonomies',
      '/services/a/b',
    ]) {
      const { body } = await get(path, 404);
      expect(body.error.code).toBe('E_NOT_FOUND');
    }
    for (const query of [
      'page=0',
      'page=x',
      'per_page=1000',
      'per_page=-1',
      'full=maybe',
      'modified_after=yesterday',
    ]) {
      const { body } = await get(`/services?${query}`, 400);
      expect(body.error.message).toMatch(/must be/);
    }
    const post = await fetch(served.url('/hsds/services'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('Allow')).toBe('GET, HEAD');
    for (const [method, path] of [
      ['POST', '/'],
      ['DELETE', '/'],
      ['DELETE', '/hsds/services'],
      ['POST', '/hsds/'],
    ] as const) {
      // Weir's server refuses a write without a JSON body (415) before the app sees it.
      const response = await fetch(served.url(path), {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('Allow'), `${method} ${path}`).toBe('GET, HEAD');
    }
  });

  it('a page past the last one says so, however far past', async () => {
    for (const page of [10_000, 99_999, 123_456_789_012]) {
      const response = await fetch(served.url(`/?q=food&page=${page}`));
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text, `page ${page}`).toContain('This page is past the last one.');
    }
  });
});

describe.skipIf(noRealData)(realDataTitle('the directory app before its assets are built'), () => {
  it('answers 503 until the directory exists, then a plain match until the index does', async () => {
    const directory = realDirectory();
    const bare = await serveDirectory(directory, 'none');
    try {
      const response = await fetch(bare.url('/hsds/services'));
      expect(response.status).toBe(503);
      expect(((await response.json()) as Body).error.message).toMatch(/not been built yet/);
      expect((await fetch(bare.url('/'))).status).toBe(503);
      // The API's description needs no data.
      expect((await fetch(bare.url('/hsds/'))).status).toBe(200);
    } finally {
      await bare.close();
    }
    const half = await serveDirectory(directory, 'directory');
    try {
      const response = await fetch(half.url('/hsds/services?search=Food&per_page=5'));
      const body = (await response.json()) as Body;
      expect(body.total_items).toBeGreaterThan(0);
      for (const s of body.contents) {
        expect(
          `${s.name} ${s.description ?? ''} ${s.organization?.name ?? ''}`.toLowerCase(),
        ).toContain('food');
      }
      const page = await (await fetch(half.url('/?q=food'))).text();
      expect(page).toMatch(/search index has not been built yet/);
    } finally {
      await half.close();
    }
  }, 120_000);
});

describe.skipIf(noRealData)(realDataTitle('the directory app with a corrupt search index'), () => {
  it('answers searches 503 with a clear error, says so on the page, lists without search, logs once', async () => {
    const served = await serveDirectory(realDirectory());
    try {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (entry.name === 'index.sqlite') files.push(path);
        }
      };
      walk(dirname(served.instance.cacheDir!));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        chmodSync(file, 0o644);
        writeFileSync(file, 'this is not a SQLite database '.repeat(200));
      }
      const api = await fetch(served.url('/hsds/services?search=food'));
      expect(api.status, await api.clone().text()).toBe(503);
      expect(api.headers.get('Content-Type')).toMatch(/^application\/json/);
      const body = (await api.json()) as Body;
      expect(body.error.code).toBe('E_SEARCH_UNAVAILABLE');
      expect(body.error.message).toMatch(
        /^search is unavailable right now: the search index cannot be read \(.+\); listing without search still works$/,
      );
      const filtered = await fetch(served.url('/hsds/services?search=food&organization_id=x'));
      expect(filtered.status).toBe(503);
      const page = await fetch(served.url('/?q=food'));
      expect(page.status).toBe(503);
      const html = await page.text();
      expect(html).toContain('Search is unavailable right now.');
      expect(html).toContain('<form class="search"');
      // Listing without search still works.
      const listing = await fetch(served.url('/'));
      expect(listing.status).toBe(200);
      expect(await listing.text()).toMatch(/class="result"/);
      const services = await fetch(served.url('/hsds/services?per_page=5'));
      expect(services.status).toBe(200);
    } finally {
      await served.close();
    }
  }, 120_000);
});

describe.skipIf(noRealData)(realDataTitle('the search index handle'), () => {
  const directory = realDirectory();
  const view = { directory, byId: new Map(), zipCentres: new Map() } as unknown as DirectoryView;
  const params = { text: 'food', taxonomy: [], limit: 5, offset: 0 };

  function context(value: () => Promise<unknown>, logs: string[]): AppContext {
    return { value, log: (message: string) => logs.push(message) } as unknown as AppContext;
  }

  it('an index file that is not SQLite: searches are unavailable, listings plain, logged once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'broken-index-'));
    try {
      writeFileSync(join(folder, 'index.sqlite'), 'not a database '.repeat(500));
      const logs: string[] = [];
      const ctx = context(async () => ({ value: { path: folder }, materializationId: 7 }), logs);
      const handle = new IndexHandle();
      for (let k = 0; k < 3; k++) {
        const search = await handle.searcher(ctx);
        expect(() => search(view, params)).toThrow(SearchUnavailable);
        expect(() => search(view, params)).toThrow(/^search is unavailable right now: /);
        const listed = search(view, { ...params, text: '' });
        expect(listed.engine).toBe('plain');
        expect(listed.total).toBeGreaterThan(0);
      }
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/^the search index cannot be read, so searches answer 503/);
      handle.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('an artefact the server finds corrupt: the same, its hint in the log once', async () => {
    const logs: string[] = [];
    const corrupt = Object.assign(new Error('the artefact of search_index is corrupt'), {
      code: 'E_ARTEFACT_CORRUPT',
      hint: "make a new version with 'weir materialize search_index --force'",
    });
    const ctx = context(async () => {
      throw corrupt;
    }, logs);
    const handle = new IndexHandle();
    for (let k = 0; k < 3; k++) {
      const search = await handle.searcher(ctx);
      expect(() => search(view, params)).toThrow(SearchUnavailable);
    }
    expect(logs).toEqual([
      "the search index cannot be read, so searches answer 503 (listings still work): the artefact of search_index is corrupt; make a new version with 'weir materialize search_index --force'",
    ]);
  });
});
