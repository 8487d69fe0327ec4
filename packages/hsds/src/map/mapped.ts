/**
 * What a mapper makes of one agency export: HSDS 3.0 services in their nested form, each with
 * the record it came from. Entity resolution, the search index and the API read this shape.
 */
import type { Service } from '../model/index.js';

/** Where a mapped service came from: which agency, which file and line, which of its ids. */
export interface SourceRef {
  /** The agency (a partition key such as `sf-211`). */
  agency: string;
  /** The layout of its export (the mapper's name, such as `icarol-211`). */
  layout: string;
  /** The file as named in messages (`211.csv`). */
  file: string;
  /** The line the record starts on (1-based). */
  line: number;
  /** The agency's own id of the record (`ResourceAgencyNum`), or `line N` when it has none. */
  recordId: string;
}

/**
 * One service of one agency, as HSDS 3.0 nests it: `service.organization`, `service.phones`,
 * `service.schedules`, `service.languages`, `service.attributes[].taxonomy_term` and
 * `service.service_at_locations[].location` (with its `addresses`, `latitude`, `longitude`).
 * Ids are stable: the same export gives the same ids.
 */
export interface MappedService {
  service: Service;
  source: SourceRef;
  /** Offered in search: active, and not marked "do not refer". Inactive services are kept. */
  searchable: boolean;
  /** When the agency last changed the record (ISO 8601 date or date-time), when the export says. */
  updatedAt?: string;
}
