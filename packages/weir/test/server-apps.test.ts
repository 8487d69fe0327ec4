/**
 * Project apps (`app()`) on a real server: mounted at /apps/NAME/ with their sub-path, reading
 * assets' current values through the context (decoded once per materialization), behind the
 * same gate as the API (tokens, roles, Host), a throwing app a 500 that names it in the log
 * only, unknown apps 404, and no path out of the app's folder.
 */

import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  type AppContext,
  app,
  asset,
  defineProject,
  materialize,
  staticPartitions,
} from '../src/index.js';
import { OPERATOR, testServer, VIEWER } from './support/test-server.js';

let version = 1;

const counts = asset({
  key: 'shared/counts',
  materialize: () => ({ version, items: ['a', 'b'] }),
});
const byState = asset({
  key: 'by_state',
  partitions: staticPartitions(['CA', 'WA']),
  materialize: (ctx) => ({ state: ctx.partition.key }),
});
const folder = asset({
  key: 'folder',
  io: 'files',
  materialize: async (ctx) => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(ctx.outputPath, 'hello');
  },
});
const never = asset({ key: 'never', materialize: () => 1 });

/** What the echo app saw of its last request. */
const seen: { request?: Request; ctx?: AppContext } = {};

const echo = app({
  name: 'echo',
  description: 'Says what it received',
  fetch: async (request, ctx) => {
    seen.request = request;
    seen.ctx = ctx;
    const url = new URL(request.url);
    const body = request.method === 'POST' ? await request.text() : undefined;
    return Response.json({
      path: url.pathname,
      search: url.search,
      basePath: ctx.basePath,
      role: ctx.role,
      method: request.method,
      authorization: request.headers.get('Authorization'),
      body,
    });
  },
});

const values = app({
  name: 'values',
  fetch: async (request, ctx) => {
    const url = new URL(request.url);
    try {
      switch (url.pathname) {
        case '/counts': {
          const current = await ctx.value(counts);
          // Typed by the definition: `version` is a number.
          const v: number = current.value.version;
          return Response.json({
            version: v,
            id: current.materializationId,
            at: current.materializedAt,
          });
        }
        case '/state':
          return Response.json((await ctx.value(byState, { partition: 'WA' })).value);
        case '/folder': {
          const { value } = await ctx.value(folder);
          return Response.json({ path: value.path, exists: existsSync(value.path) });
        }
        case '/never':
          return Response.json(await ctx.value('never'));
        default:
          return new Response('no such page', { status: 404 });
      }
    } catch (error) {
      return Response.json({ message: (error as Error).message }, { status: 404 });
    }
  },
});

const broken = app({
  name: 'broken',
  fetch: (request) => {
    if (new URL(request.url).pathname === '/not-a-response') {
      return { status: 200 } as unknown as Response;
    }
    throw new Error('secret detail in the stack');
  },
});

const headers = app({
  name: 'headers',
  fetch: (request) =>
    new URL(request.url).pathname === '/own-csp'
      ? new Response('<p>hi</p>', {
          headers: {
            'Content-Type': 'text/html',
            'Content-Security-Policy': "default-src 'none'; form-action 'self'",
          },
        })
      : Response.redirect('http://localhost/elsewhere', 302),
});

const project = () =>
  defineProject({
    assets: [counts, byState, folder, never],
    apps: [echo, values, broken, headers],
  });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const json = async (response: Response) => (await response.json()) as Record<string, any>;

/** A GET with a Host header of our choosing (fetch would not send one). */
function getWithHost(url: URL, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The raw request line as given, without a client normalising the path. */
function rawGet(url: URL, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('project apps', () => {
  it('serves an app at /apps/NAME/ with its sub-path and query, and redirects the bare name', async () => {
    const h = await testServer(project());
    const response = await h.call('/apps/echo/services/a%2Fb?page=2&q=x%20y');
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      path: '/services/a%2Fb',
      search: '?page=2&q=x%20y',
      basePath: '/apps/echo',
      role: 'operator',
      method: 'GET',
    });
    expect((await json(await h.call('/apps/echo/'))).path).toBe('/');
    const head = await h.call('/apps/echo/x', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(seen.request?.method).toBe('HEAD');
    expect(await head.text()).toBe('');
    const bare = await h.call('/apps/echo?x=1', { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('Location')).toBe('/apps/echo/?x=1');
  });

  it('lists the apps in the API and in the OpenAPI document', async () => {
    const h = await testServer(project());
    const { apps } = await json(await h.call('/api/apps'));
    expect(apps[0]).toEqual({
      name: 'echo',
      description: 'Says what it received',
      path: '/apps/echo/',
    });
    expect(apps.map((a: { name: string }) => a.name)).toEqual([
      'echo',
      'values',
      'broken',
      'headers',
    ]);
    expect(apps[1].description).toBeNull();
    const doc = await json(await h.call('/api/openapi.json'));
    expect(doc.paths['/api/apps']).toBeDefined();
  });

  it('gives an app the current value of an asset, decoded once per materialization', async () => {
    version = 1;
    const h = await testServer(project());
    const missing = await h.call('/apps/values/counts');
    expect(missing.status).toBe(404);
    expect((await json(missing)).message).toMatch(/has not been materialized yet/);
    await materialize(project(), { instance: h.instance, selection: '*' });
    const first = await json(await h.call('/apps/values/counts'));
    expect(first.version).toBe(1);
    expect(await json(await h.call('/apps/values/state'))).toEqual({ state: 'WA' });
    const files = await json(await h.call('/apps/values/folder'));
    expect(files.exists).toBe(true);
    // The same materialization: the same decoded object, not a new read.
    const a = await seenValue(h.call, counts);
    const b = await seenValue(h.call, counts);
    expect(a).toBe(b);
    version = 2;
    await materialize(project(), { instance: h.instance, selection: 'shared/counts', force: true });
    const second = await json(await h.call('/apps/values/counts'));
    expect(second.version).toBe(2);
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('answers 500 for an app that throws or answers no Response, naming it in the log only', async () => {
    const lines: string[] = [];
    const h = await testServer(project(), { log: (line) => lines.push(line) });
    const response = await h.call('/apps/broken/page');
    expect(response.status).toBe(500);
    const body = await json(response);
    expect(body.error.code).toBe('E_APP');
    expect(body.error.message).toBe("the app 'broken' failed on this request");
    expect(JSON.stringify(body)).not.toMatch(/secret|stack|at /);
    expect(
      lines.some((l) =>
        /^app 'broken' failed on GET \/apps\/broken\/page: Error: secret detail/.test(l),
      ),
    ).toBe(true);
    const odd = await h.call('/apps/broken/not-a-response');
    expect(odd.status).toBe(500);
    expect(lines.at(-1)).toMatch(/app 'broken' failed on .*returned an object .*not a Response/);
  });

  it('answers 404 for an unknown app, and for /apps itself', async () => {
    const h = await testServer(project());
    for (const path of ['/apps/nope/', '/apps/nope', '/apps/', '/apps', '/apps/ECHO/']) {
      const response = await h.call(path);
      expect(response.status, path).toBe(404);
      const body = await json(response);
      expect(body.error.code).toBe('E_NOT_FOUND');
      expect(body.error.hint).toMatch(/\/api\/apps: echo, values, broken, headers/);
    }
    const none = await testServer(defineProject({ assets: [] }));
    expect((await json(await none.call('/apps/echo/'))).error.hint).toMatch(/declares no apps/);
  });

  it('never lets a path leave the app: dot segments resolve before routing or are refused', async () => {
    const h = await testServer(project());
    // Resolved by the URL parser: not the app's any more (here the API's health).
    const up = await rawGet(h.url('/'), '/apps/echo/../../api/health');
    expect(JSON.parse(up.body)).toMatchObject({ ok: true });
    const encoded = await rawGet(h.url('/'), '/apps/echo/%2e%2e/%2E%2E/api/health');
    expect(JSON.parse(encoded.body)).toMatchObject({ ok: true });
    // Within the app, a path that would climb out of a folder the app may map it to: refused.
    for (const path of [
      '/apps/echo/..%2f..%2fsecret',
      '/apps/echo/a/..%5C..%5Csecret',
      '/apps/echo/a%00b',
    ]) {
      const response = await rawGet(h.url('/'), path);
      expect(response.status, path).toBe(400);
    }
    const inside = await rawGet(h.url('/'), '/apps/echo/a/../b');
    expect(JSON.parse(inside.body).path).toBe('/b');
  });

  it('keeps the server’s access rules: tokens, roles, Host; the token never reaches the app', async () => {
    const h = await testServer(project(), { tokens: true });
    const anonymous = await h.call('/apps/echo/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('WWW-Authenticate')).toMatch(/Bearer/);
    expect((await h.call('/apps/echo/', { token: 'wrong-token-0123456789' })).status).toBe(401);
    const viewer = await json(await h.call('/apps/echo/', { token: VIEWER }));
    expect(viewer).toMatchObject({ role: 'viewer', authorization: null });
    expect(seen.request?.headers.get('Authorization')).toBeNull();
    const post = { method: 'POST', body: JSON.stringify({ hello: 1 }) };
    expect((await h.call('/apps/echo/x', { ...post, token: VIEWER })).status).toBe(403);
    const operator = await h.call('/apps/echo/x', { ...post, token: OPERATOR });
    expect(await json(operator)).toMatchObject({
      role: 'operator',
      method: 'POST',
      body: '{"hello":1}',
    });
    const form = await h.call('/apps/echo/x', {
      method: 'POST',
      token: OPERATOR,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const open = await testServer(project());
    expect(await getWithHost(open.url('/apps/echo/'), 'evil.example:80')).toBe(403);
    expect(await getWithHost(open.url('/apps/echo/'), 'localhost')).toBe(200);
  });

  it('adds the security headers an app did not set, keeps those it did, and copes with immutable ones', async () => {
    const h = await testServer(project());
    const plain = await h.call('/apps/echo/');
    expect(plain.headers.get('Content-Security-Policy')).toMatch(/default-src 'self'/);
    expect(plain.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const own = await h.call('/apps/headers/own-csp');
    expect(own.headers.get('Content-Security-Policy')).toBe(
      "default-src 'none'; form-action 'self'",
    );
    expect(own.headers.get('X-Frame-Options')).toBe('DENY');
    const redirect = await h.call('/apps/headers/go', { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('Location')).toBe('http://localhost/elsewhere');
    expect(redirect.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });
});

/** The object the app received for `asset`, through a request (so through the server's cache). */
async function seenValue(
  call: (path: string) => Promise<Response>,
  definition: typeof counts,
): Promise<unknown> {
  await call('/apps/echo/');
  return (await seen.ctx!.value(definition)).value;
}
