// What the index keeps of a mapped service: the text of each weighted column, the taxonomy
// terms it can be filtered and faceted by, its points on the map, and a summary to show.
import type { MappedService } from '../map/mapped.js';
import type { Address, Service } from '../model/index.js';

/** A mapped service to index, with the cluster entity resolution put it in, if any. */
export interface SearchEntry extends MappedService {
  /** Services of one cluster are the same service from several agencies. */
  clusterId?: string;
}

export interface TaxonomyRef {
  code: string;
  name: string;
}

/** What a result shows without reading the whole record (`SearchIndex.get` gives that). */
export interface ServiceSummary {
  name: string;
  organization?: string;
  /** The first 240 characters of the description. */
  description?: string;
  status: Service['status'];
  taxonomy: TaxonomyRef[];
  /** The first physical address on one line. */
  address?: string;
  /** The first phone that is not a fax. */
  phone?: string;
  url?: string;
}

/** The columns of the full-text table, in order; their BM25 weights are the search's. */
export const TEXT_COLUMNS = ['name', 'organization', 'taxonomy', 'description', 'other'] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];

export interface IndexDocument {
  text: Record<TextColumn, string>;
  taxonomy: TaxonomyRef[];
  points: { latitude: number; longitude: number }[];
  summary: ServiceSummary;
}

const join = (values: readonly (string | undefined)[]) =>
  values.filter((v): v is string => v !== undefined && v.trim() !== '').join('\n');

export function indexDocument(entry: SearchEntry): IndexDocument {
  const s = entry.service;
  const taxonomy: TaxonomyRef[] = [];
  const paths: string[] = [];
  for (const attribute of s.attributes ?? []) {
    const term = attribute.taxonomy_term;
    if (term === undefined) continue;
    const code = term.code ?? term.id;
    if (!taxonomy.some((t) => t.code === code)) taxonomy.push({ code, name: term.name });
    // A path repeats its ancestors' names, so a category word ("Food") finds its leaves.
    paths.push(term.name, term.description);
  }
  const locations = (s.service_at_locations ?? []).flatMap((sal) =>
    sal.location === undefined ? [] : [sal.location],
  );
  const points = locations.flatMap((l) =>
    Number.isFinite(l.latitude) && Number.isFinite(l.longitude)
      ? [{ latitude: l.latitude!, longitude: l.longitude! }]
      : [],
  );
  const addresses = locations.flatMap((l) => l.addresses ?? []);
  const physical = addresses.find((a) => a.address_type === 'physical') ?? addresses[0];
  const phone = (s.phones ?? []).find((p) => p.type !== 'fax');
  const description = s.description?.trim();
  return {
    text: {
      name: join([s.name, s.alternate_name]),
      organization: join([s.organization?.name, s.organization?.alternate_name]),
      taxonomy: join(paths),
      description: join([s.description, s.organization?.description]),
      other: join([
        s.eligibility_description,
        s.application_process,
        ...(s.languages ?? []).map((l) => l.name),
        ...addresses.map((a) => a.city),
      ]),
    },
    taxonomy,
    points,
    summary: {
      name: s.name,
      ...(s.organization?.name ? { organization: s.organization.name } : {}),
      ...(description ? { description: description.slice(0, 240) } : {}),
      status: s.status,
      taxonomy,
      ...(physical ? { address: oneLine(physical) } : {}),
      ...(phone ? { phone: phone.number } : {}),
      ...(s.url ? { url: s.url } : {}),
    },
  };
}

function oneLine(a: Address): string {
  const cityLine = [a.city, [a.state_province, a.postal_code].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [a.address_1, a.address_2, cityLine].filter(Boolean).join(', ');
}
