/**
 * The Open Referral HSDS 3.0 API over the directory, as the specification's OpenAPI document
 * (schema/openapi.json) describes it: `GET /` (about this API), `GET /services` (paginated,
 * `search`, `taxonomy_term_id`, `taxonomy_id`, `organization_id`, `modified_after`, `full`),
 * `GET /services/{id}`, `GET /organizations` (paginated, `search`, `full`), and
 * `GET /organizations/{id}` (`full_service`). Listings hold the one-to-one fields
 * (compiled/service_list.json, organization_list.json); single records are fully nested.
 *
 * A listing with `search` (or a taxonomy filter) offers only services open to referral (active,
 * not "do not refer"); without, it lists every service with its status, so a client can keep
 * a copy in step. `search` always goes through the search index (synonyms, spelling), and the
 * other filters narrow its matches: adding a filter never changes what the words mean. When
 * the index cannot be read, a search answers 503 (a listing without `search` still works).
 * `modified_after` keeps a service whose modification time is unknown (see `passes`).
 * `/services/{id}` answers for any service.
 */
import type { Organization, Service } from '@weir/hsds';
import type { AppContext } from 'weir';
import type { DirectoryService } from '../directory-types.js';
import { type DirectoryView, directoryView, type IndexHandle } from './data.js';

/** The specification's own document, which this API follows. */
export const HSDS_OPENAPI_URL =
  'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json';
const HSDS_PROFILE_URL = 'https://docs.openreferral.org/en/latest/hsds/overview.html';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

class BadRequest extends Error {}

/** Answers a request under the API's base (`path` relative to it: `/services/42`). */
export async function hsdsApi(
  request: Request,
  path: string,
  ctx: AppContext,
  indexes: IndexHandle,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return problem(405, 'E_METHOD', 'this API only reads: use GET', { Allow: 'GET, HEAD' });
  }
  const url = new URL(request.url);
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  if (segments.length === 0) {
    return Response.json({
      version: '3.0',
      profile: HSDS_PROFILE_URL,
      openapi_url: HSDS_OPENAPI_URL,
    });
  }
  try {
    const view = await directoryView(ctx);
    const etag = `W/"${view.dataVersion.slice(0, 16)}-${view.materializationId}"`;
    const [collection, id, ...more] = segments;
    if (more.length > 0 || (collection !== 'services' && collection !== 'organizations')) {
      return problem(
        404,
        'E_NOT_FOUND',
        `no endpoint ${path}`,
        {},
        'the endpoints: /, /services, /services/{id}, /organizations, /organizations/{id}',
      );
    }
    if (id === undefined && collection === 'services') {
      // A search's results follow the index too, whose version the ETag does not hold.
      return json(await listServices(view, url.searchParams, ctx, indexes));
    }
    if (request.headers.get('If-None-Match') === etag) {
      return new Response(null, { status: 304, headers: { ETag: etag } });
    }
    const headers = { ETag: etag };
    if (id === undefined) return json(listOrganizations(view, url.searchParams), headers);
    if (collection === 'services') {
      const found = view.byId.get(id!);
      if (found === undefined) return problem(404, 'E_NOT_FOUND', `no service with id ${id}`);
      return json(found.service, headers);
    }
    const organization = view.organizationById.get(id!);
    if (organization === undefined) {
      return problem(404, 'E_NOT_FOUND', `no organization with id ${id}`);
    }
    return json(
      organizationFull(view, organization, flag(url.searchParams, 'full_service')),
      headers,
    );
  } catch (error) {
    if (error instanceof BadRequest) return problem(400, 'E_BAD_REQUEST', error.message);
    throw error;
  }
}

/** How many of a search's matches are read to filter them (more than any directory holds). */
const ALL_MATCHES = 1_000_000;

async function listServices(
  view: DirectoryView,
  params: URLSearchParams,
  ctx: AppContext,
  indexes: IndexHandle,
) {
  const { page, perPage } = paging(params);
  const full = flag(params, 'full');
  const text = params.get('search')?.trim() ?? '';
  const termIds = params.getAll('taxonomy_term_id').filter(Boolean);
  const taxonomyIds = params.getAll('taxonomy_id').filter(Boolean);
  const organizationId = params.get('organization_id') ?? undefined;
  const modifiedAfter = dateParam(params, 'modified_after');
  const shape = (s: DirectoryService) => (full ? s.service : serviceListItem(s.service));
  const filtered =
    termIds.length > 0 ||
    taxonomyIds.length > 0 ||
    organizationId !== undefined ||
    modifiedAfter !== undefined;
  const start = (page - 1) * perPage;
  if (text !== '') {
    // The text means what it means alone (the index: synonyms, spelling) whatever the filters:
    // they only narrow its matches, in the index's order.
    const search = await indexes.searcher(ctx);
    if (!filtered) {
      const found = search(view, { text, taxonomy: [], limit: perPage, offset: start });
      return envelope(found.total, page, perPage, found.services.map(shape));
    }
    const found = search(view, {
      text,
      // The index's own taxonomy filter narrows first, where the terms asked map to its codes.
      taxonomy: taxonomyIds.length === 0 ? indexCodesOf(view, termIds) : [],
      limit: ALL_MATCHES,
      offset: 0,
    });
    const matching = found.services.filter((s) =>
      passes(s, { termIds, taxonomyIds, organizationId, modifiedAfter }),
    );
    return envelope(
      matching.length,
      page,
      perPage,
      matching.slice(start, start + perPage).map(shape),
    );
  }
  // No text: the directory itself (with a taxonomy filter, searchable services only).
  const matching = view.directory.services.filter((s) => {
    if ((termIds.length > 0 || taxonomyIds.length > 0) && !s.searchable) return false;
    return passes(s, { termIds, taxonomyIds, organizationId, modifiedAfter });
  });
  return envelope(
    matching.length,
    page,
    perPage,
    matching.slice(start, start + perPage).map(shape),
  );
}

interface ServiceFilters {
  termIds: readonly string[];
  taxonomyIds: readonly string[];
  organizationId: string | undefined;
  modifiedAfter: number | undefined;
}

/**
 * Whether a service passes the listing's filters. `modified_after`: the document's "all
 * results modified on or after this datetime" (parameters/modified_after) says nothing of a
 * service whose modification time is unknown (no `last_modified`, no update date in its
 * export); such a service may have changed at any time, so it is listed rather than silently
 * dropped, and a client keeping a copy in step never misses it.
 */
function passes(s: DirectoryService, filters: ServiceFilters): boolean {
  const { termIds, taxonomyIds, organizationId, modifiedAfter } = filters;
  if (
    organizationId !== undefined &&
    (s.service.organization?.id ?? s.service.organization_id) !== organizationId
  ) {
    return false;
  }
  if (termIds.length > 0 || taxonomyIds.length > 0) {
    const attributes = s.service.attributes ?? [];
    const ok = attributes.some(
      (a) =>
        (a.taxonomy_term_id !== undefined && termIds.includes(a.taxonomy_term_id)) ||
        (a.taxonomy_term?.taxonomy_id !== undefined &&
          taxonomyIds.includes(a.taxonomy_term.taxonomy_id)) ||
        (a.taxonomy_term?.taxonomy !== undefined && taxonomyIds.includes(a.taxonomy_term.taxonomy)),
    );
    if (!ok) return false;
  }
  if (modifiedAfter !== undefined) {
    const modified = s.service.last_modified ?? s.updatedAt;
    const at = modified === undefined ? Number.NaN : Date.parse(modified);
    if (!Number.isNaN(at) && at < modifiedAfter) return false;
  }
  return true;
}

/**
 * The index's taxonomy codes of these taxonomy term ids, so the index narrows a search by
 * them; none (no narrowing) when a term asked has no code the index knows.
 */
function indexCodesOf(view: DirectoryView, termIds: readonly string[]): string[] {
  if (termIds.length === 0) return [];
  const codes = new Map<string, string>();
  for (const s of view.directory.services) {
    for (const a of s.service.attributes ?? []) {
      if (a.taxonomy_term_id === undefined || !termIds.includes(a.taxonomy_term_id)) continue;
      const term = a.taxonomy_term;
      if (term === undefined) return [];
      codes.set(a.taxonomy_term_id, term.code ?? term.id);
    }
  }
  // A term no service has: no narrowing (the exact filter after finds nothing for it).
  return termIds.every((id) => codes.has(id)) ? [...new Set(codes.values())] : [];
}

function listOrganizations(view: DirectoryView, params: URLSearchParams) {
  const { page, perPage } = paging(params);
  const full = flag(params, 'full');
  const fullService = flag(params, 'full_service');
  const words = (params.get('search') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const matching =
    words.length === 0
      ? view.organizations
      : view.organizations.filter((o) => {
          const haystack = `${o.name}\n${o.alternate_name ?? ''}\n${o.description}`.toLowerCase();
          return words.every((w) => haystack.includes(w));
        });
  const start = (page - 1) * perPage;
  const contents = matching
    .slice(start, start + perPage)
    .map((o) => (full || fullService ? organizationFull(view, o, fullService) : oneToOne(o)));
  return envelope(matching.length, page, perPage, contents);
}

/** The paginated envelope of the document's `Page` schema. */
function envelope<T>(total: number, page: number, perPage: number, contents: T[]) {
  const totalPages = Math.ceil(total / perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** A service's one-to-one fields, with its organization's and program's (service_list.json). */
export function serviceListItem(service: Service): Record<string, unknown> {
  const item = oneToOne(service);
  if (service.organization !== undefined) item.organization = oneToOne(service.organization);
  if (service.program !== undefined) item.program = oneToOne(service.program);
  return item;
}

/** An organization fully nested, its services as one-to-one fields or (`full_service`) in full. */
function organizationFull(view: DirectoryView, organization: Organization, fullService: boolean) {
  const services = (view.servicesByOrganization.get(organization.id) ?? []).map((s) => {
    const { organization: _, ...service } = s.service;
    return fullService ? service : oneToOne(service);
  });
  return { ...organization, services };
}

/** The fields of a record that are neither lists nor nested records. */
function oneToOne(record: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (
      value === undefined ||
      Array.isArray(value) ||
      (typeof value === 'object' && value !== null)
    )
      continue;
    out[name] = value;
  }
  return out;
}

function paging(params: URLSearchParams): { page: number; perPage: number } {
  const page = integerParam(params, 'page', 1, 1, 1_000_000);
  const perPage = integerParam(params, 'per_page', DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  return { page, perPage };
}

function integerParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new BadRequest(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  return Number(raw);
}

function flag(params: URLSearchParams, name: string): boolean {
  const raw = params.get(name);
  if (raw === null || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new BadRequest(`${name} must be true or false`);
}

function dateParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at)) {
    throw new BadRequest(
      `${name} must be an ISO 8601 date or date-time, got ${JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  return at;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function json(body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { headers: { 'Cache-Control': 'no-cache', ...headers } });
}

/** An error as Weir's API writes them: `{ error: { code, message, hint? } }`. */
export function problem(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  hint?: string,
): Response {
  return Response.json(
    { error: { code, message, ...(hint === undefined ? {} : { hint }) } },
    { status, headers },
  );
}
