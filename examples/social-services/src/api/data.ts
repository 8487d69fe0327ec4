/**
 * What the API and the search page read: the `directory` asset's current value with lookups
 * built once per materialization, and the `search_index` asset's SQLite file opened read-only
 * once per materialization. Searching goes through the index when it has been built; until
 * then, a plain case-insensitive match over names, descriptions and organizations stands in.
 * An index that cannot be read makes searches with text unavailable (SearchUnavailable, said
 * in the log once per materialization); a listing without text falls back to the plain match.
 */
import { join } from 'node:path';
import {
  type FacetCount,
  haversineKm,
  type NearFilter,
  type Organization,
  SearchIndex,
} from '@weir/hsds';
import type { AppContext, FileArtefact } from 'weir';
import type { Directory, DirectoryService } from '../directory-types.js';
import { INDEX_FILE } from '../search-index.js';

export const DIRECTORY_KEY = 'directory';
export const SEARCH_INDEX_KEY = 'search_index';

/** The directory with its lookups. */
export interface DirectoryView {
  directory: Directory;
  /** The materialization it comes from, and when it was made. */
  materializationId: number;
  materializedAt: number;
  dataVersion: string;
  byId: ReadonlyMap<string, DirectoryService>;
  organizations: readonly Organization[];
  organizationById: ReadonlyMap<string, Organization>;
  servicesByOrganization: ReadonlyMap<string, readonly DirectoryService[]>;
  /** Services by entity, for "also listed by". */
  byEntity: ReadonlyMap<string, readonly DirectoryService[]>;
  /** The mean point of the directory's locations in each ZIP code. */
  zipCentres: ReadonlyMap<string, { latitude: number; longitude: number }>;
}

export interface SearchParams {
  text: string;
  /** Taxonomy codes; a service matches one of them or a code beneath one. */
  taxonomy: readonly string[];
  near?: NearFilter;
  limit: number;
  offset: number;
}

export interface Found {
  total: number;
  services: DirectoryService[];
  /** Distance to the nearest location, by service id, when the search had `near`. */
  distances: ReadonlyMap<string, number>;
  facets: FacetCount[];
  corrections: readonly { from: string; to: string }[];
  /** `index`: the search index; `plain`: the stand-in match (no index built yet). */
  engine: 'index' | 'plain';
}

/** Thrown when the directory has not been built: the API answers 503. */
export class NotBuilt extends Error {}

const views = new WeakMap<object, DirectoryView>();

/** The directory's current value, with lookups (built once per materialization). */
export async function directoryView(ctx: AppContext): Promise<DirectoryView> {
  let current: Awaited<ReturnType<AppContext['value']>>;
  try {
    current = await ctx.value(DIRECTORY_KEY);
  } catch (error) {
    if ((error as { code?: string }).code === 'E_NOT_FOUND') {
      throw new NotBuilt(
        'the directory has not been built yet: run `weir materialize` in the project',
      );
    }
    throw error;
  }
  const directory = current.value as Directory;
  let view = views.get(directory);
  if (view === undefined) {
    view = buildView(directory, current);
    views.set(directory, view);
  }
  return view;
}

function buildView(
  directory: Directory,
  current: { materializationId: number; materializedAt: number; dataVersion: string },
): DirectoryView {
  const byId = new Map<string, DirectoryService>();
  const servicesByOrganization = new Map<string, DirectoryService[]>();
  const byEntity = new Map<string, DirectoryService[]>();
  const zips = new Map<string, { lat: number; lon: number; n: number }>();
  for (const s of directory.services) {
    byId.set(s.service.id, s);
    const org = s.service.organization?.id ?? s.service.organization_id;
    if (org !== undefined) push(servicesByOrganization, org, s);
    push(byEntity, s.entityId, s);
    for (const sal of s.service.service_at_locations ?? []) {
      const l = sal.location;
      if (l === undefined || !Number.isFinite(l.latitude) || !Number.isFinite(l.longitude))
        continue;
      for (const a of l.addresses ?? []) {
        const zip = a.postal_code?.slice(0, 5);
        if (zip === undefined || !/^\d{5}$/.test(zip)) continue;
        const sum = zips.get(zip) ?? { lat: 0, lon: 0, n: 0 };
        sum.lat += l.latitude!;
        sum.lon += l.longitude!;
        sum.n++;
        zips.set(zip, sum);
      }
    }
  }
  const organizations = [...directory.organizations].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return {
    directory,
    materializationId: current.materializationId,
    materializedAt: current.materializedAt,
    dataVersion: current.dataVersion,
    byId,
    organizations,
    organizationById: new Map(organizations.map((o) => [o.id, o])),
    servicesByOrganization,
    byEntity,
    zipCentres: new Map(
      [...zips].map(([zip, s]) => [zip, { latitude: s.lat / s.n, longitude: s.lon / s.n }]),
    ),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * Thrown when a search with text cannot be made because the search index exists but cannot be
 * opened or read (a corrupt or unreadable file): the API answers 503, the page says so. A
 * listing without text does not need the index and falls back to the plain match.
 */
export class SearchUnavailable extends Error {}

/** Searches the directory: through the index, the plain stand-in, or SearchUnavailable. */
export type Searcher = (view: DirectoryView, params: SearchParams) => Found;

/** The search index of the current `search_index` materialization, opened read-only. */
export class IndexHandle {
  private open: { id: number; index: SearchIndex } | undefined;
  /** The materialization whose index cannot be used, and why (said in the log once). */
  private broken: { id: number | undefined; reason: string } | undefined;

  /**
   * How to search now: through the index when it is built and readable; the plain stand-in
   * until it is built; and when it cannot be read, the plain stand-in for a listing without
   * text and SearchUnavailable for a search with text.
   */
  async searcher(ctx: AppContext): Promise<Searcher> {
    let value: Awaited<ReturnType<AppContext['value']>>;
    try {
      value = await ctx.value(SEARCH_INDEX_KEY);
    } catch (error) {
      if ((error as { code?: string }).code === 'E_NOT_FOUND') return plainSearch;
      // Its artefact cannot be read (corrupt, unreadable): no materialization to open.
      return this.unavailable(this.fail(ctx, undefined, error));
    }
    const id = value.materializationId;
    if (this.broken?.id === id) return this.unavailable(this.broken.reason);
    if (this.open?.id !== id) {
      const folder = value.value as FileArtefact;
      try {
        const index = SearchIndex.open(join(folder.path, INDEX_FILE), { readonly: true });
        // Searches are synchronous: none is running on the old index while it is closed.
        this.open?.index.close();
        this.open = { id, index };
      } catch (error) {
        return this.unavailable(this.fail(ctx, id, error));
      }
    }
    const index = this.open!.index;
    return (view, params) => {
      try {
        return indexSearch(view, index, params);
      } catch (error) {
        return this.unavailable(this.fail(ctx, id, error))(view, params);
      }
    };
  }

  /**
   * Marks the index of materialization `id` (undefined: its artefact could not be read)
   * unusable, logging why once; returns the reason.
   */
  private fail(ctx: AppContext, id: number | undefined, error: unknown): string {
    const reason = error instanceof Error ? error.message : String(error);
    if (this.broken === undefined || this.broken.id !== id || this.broken.reason !== reason) {
      this.broken = { id, reason };
      const hint = (error as { hint?: unknown }).hint;
      ctx.log(
        `the search index cannot be read, so searches answer 503 (listings still work): ${reason}; ${typeof hint === 'string' ? hint : 'rebuild it with weir materialize search_index --force'}`,
      );
    }
    if (id !== undefined && this.open?.id === id) {
      try {
        this.open.index.close();
      } catch {}
      this.open = undefined;
    }
    return reason;
  }

  private unavailable(reason: string): Searcher {
    return (view, params) => {
      if (params.text.trim() === '') return plainSearch(view, params);
      throw new SearchUnavailable(
        `search is unavailable right now: the search index cannot be read (${reason}); listing without search still works`,
      );
    };
  }

  close(): void {
    this.open?.index.close();
    this.open = undefined;
  }
}

/** Searchable services matching `params`, through the index. */
function indexSearch(view: DirectoryView, index: SearchIndex, params: SearchParams): Found {
  const response = index.search({
    text: params.text,
    taxonomy: params.taxonomy,
    searchableOnly: true,
    ...(params.near === undefined ? {} : { near: params.near }),
    limit: params.limit,
    offset: params.offset,
  });
  const services: DirectoryService[] = [];
  const distances = new Map<string, number>();
  for (const result of response.results) {
    // The index may be a version behind the directory: what it names is read from the directory.
    const service =
      view.byId.get(result.id) ??
      (() => {
        const entry = index.get(result.id);
        return entry === undefined
          ? undefined
          : ({ ...entry, entityId: entry.clusterId ?? result.id } as DirectoryService);
      })();
    if (service === undefined) continue;
    services.push(service);
    if (result.distanceKm !== undefined) distances.set(result.id, result.distanceKm);
  }
  return {
    total: response.total,
    services,
    distances,
    facets: response.facets.taxonomy,
    corrections: response.interpreted.corrections,
    engine: 'index',
  };
}

/** The stand-in: every word in the name, description or organization, case-insensitively. */
export function plainSearch(view: DirectoryView, params: SearchParams): Found {
  const words = fold(params.text).split(/\s+/).filter(Boolean);
  const distances = new Map<string, number>();
  const matched: { service: DirectoryService; rank: number }[] = [];
  for (const s of view.directory.services) {
    if (!s.searchable) continue;
    const name = fold(s.service.name);
    const text = `${name}\n${fold(s.service.description ?? '')}\n${fold(s.service.organization?.name ?? '')}`;
    if (!words.every((w) => text.includes(w))) continue;
    if (
      params.taxonomy.length > 0 &&
      !codesOf(s).some((c) => params.taxonomy.some((t) => under(c, t)))
    ) {
      continue;
    }
    if (params.near !== undefined) {
      const km = nearestKm(s, params.near);
      if (km === undefined || km > params.near.radiusKm) continue;
      distances.set(s.service.id, km);
    }
    const rank = words.filter((w) => name.includes(w)).length;
    matched.push({ service: s, rank });
  }
  matched.sort(
    (a, b) =>
      (params.near === undefined
        ? 0
        : distances.get(a.service.service.id)! - distances.get(b.service.service.id)!) ||
      b.rank - a.rank ||
      a.service.service.name.localeCompare(b.service.service.name),
  );
  const facets = new Map<string, FacetCount>();
  for (const { service } of matched) {
    for (const term of termsOf(service)) {
      const facet = facets.get(term.code) ?? { code: term.code, name: term.name, count: 0 };
      facet.count++;
      facets.set(term.code, facet);
    }
  }
  return {
    total: matched.length,
    services: matched.slice(params.offset, params.offset + params.limit).map((m) => m.service),
    distances,
    facets: [...facets.values()]
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, 20),
    corrections: [],
    engine: 'plain',
  };
}

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** A code, or one beneath it (`BD-1800` → `BD-1800.2000`). */
function under(code: string, wanted: string): boolean {
  return code === wanted || code.startsWith(`${wanted}.`);
}

export function termsOf(s: DirectoryService): { code: string; name: string }[] {
  const terms: { code: string; name: string }[] = [];
  for (const attribute of s.service.attributes ?? []) {
    const term = attribute.taxonomy_term;
    if (term === undefined) continue;
    const code = term.code ?? term.id;
    if (!terms.some((t) => t.code === code)) terms.push({ code, name: term.name });
  }
  return terms;
}

function codesOf(s: DirectoryService): string[] {
  return termsOf(s).map((t) => t.code);
}

function nearestKm(s: DirectoryService, near: NearFilter): number | undefined {
  let best: number | undefined;
  for (const sal of s.service.service_at_locations ?? []) {
    const l = sal.location;
    if (l === undefined || !Number.isFinite(l.latitude) || !Number.isFinite(l.longitude)) continue;
    const km = haversineKm(near.latitude, near.longitude, l.latitude!, l.longitude!);
    if (best === undefined || km < best) best = km;
  }
  return best;
}
