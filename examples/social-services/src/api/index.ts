/**
 * `directory`: the merged directory served by Weir's own server (`weir serve`, `weir dev`) at
 * `/apps/directory/`: a search page at its root, a page per service at `service/{id}`, and the
 * Open Referral HSDS 3.0 API under `hsds/` (`hsds/services`, `hsds/services/{id}`,
 * `hsds/organizations`, `hsds/organizations/{id}`). It reads the `directory` asset's current
 * value and the `search_index` asset's file, each once per materialization.
 */
import { type AppContext, type AppDefinition, app } from 'weir';
import { directoryView, IndexHandle, NotBuilt, SearchUnavailable } from './data.js';
import { hsdsApi, problem } from './hsds-api.js';
import type { Html } from './html.js';
import { notFoundPage, pageQuery, searchPage, servicePage } from './page.js';
import { NEAR_SCRIPT, STYLE } from './static.js';

/** The page's policy: its own files only, forms to itself, no framing. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** A new instance of the app (its own open search index). */
export function createDirectoryApp(name = 'directory'): AppDefinition {
  const indexes = new IndexHandle();
  return app({
    name,
    description: 'Search the merged directory of social services; the HSDS 3.0 API under hsds/',
    fetch: (request, ctx) => route(request, ctx, indexes),
  });
}

export const directoryApp = createDirectoryApp();

async function route(request: Request, ctx: AppContext, indexes: IndexHandle): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  const base = ctx.basePath;
  try {
    if (path === '/hsds' || path.startsWith('/hsds/')) {
      return await hsdsApi(request, path.slice('/hsds'.length), ctx, indexes);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('this page only reads: use GET', {
        status: 405,
        headers: { Allow: 'GET, HEAD' },
      });
    }
    if (path === '/static/style.css') return asset(STYLE, 'text/css; charset=utf-8');
    if (path === '/static/near.js') return asset(NEAR_SCRIPT, 'text/javascript; charset=utf-8');
    if (path === '/') {
      const view = await directoryView(ctx);
      const search = await indexes.searcher(ctx);
      const { body, unavailable } = searchPage(view, search, pageQuery(url.searchParams), base);
      return page(body, unavailable ? 503 : 200);
    }
    const service = /^\/service\/([^/]+)$/.exec(path);
    if (service !== null) {
      const view = await directoryView(ctx);
      const id = decode(service[1]!);
      const found = id === undefined ? undefined : view.byId.get(id);
      if (found === undefined) {
        return page(
          notFoundPage(
            view,
            'No service has this address: it may have been removed from the directory.',
            base,
          ),
          404,
        );
      }
      return page(servicePage(view, found, base));
    }
    return page(notFoundPage(undefined, 'There is no page here.', base), 404);
  } catch (error) {
    if (error instanceof SearchUnavailable) {
      return problem(503, 'E_SEARCH_UNAVAILABLE', error.message, { 'Retry-After': '60' });
    }
    if (!(error instanceof NotBuilt)) throw error;
    return path.startsWith('/hsds')
      ? problem(503, 'E_NOT_BUILT', error.message, { 'Retry-After': '60' })
      : page(notFoundPage(undefined, error.message, base), 503);
  }
}

function page(body: Html, status = 200): Response {
  return new Response(body.text, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PAGE_CSP,
      'Cache-Control': 'no-cache',
    },
  });
}

function asset(text: string, type: string): Response {
  return new Response(text, { headers: { 'Content-Type': type, 'Cache-Control': 'max-age=3600' } });
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
