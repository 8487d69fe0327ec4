// The resolver's state as JSON: options, records as arrays (their agency, layout and file named
// once in a table), and the matched pairs as indices into the records. Scores and evidence are
// not stored; they are recomputed for the stored pairs when the state is read back.
import type { SourceRef } from '../map/mapped.js';
import type { ResolvedOptions } from './options.js';
import type { ResolvableAddress, ResolvableRecord } from './record.js';

export const STATE_FORMAT = 'weir-hsds-resolver';
export const STATE_VERSION = 1;

/**
 * Changes whenever features, scoring or blocking change what is matched: a state written by
 * other code has its matches found afresh rather than trusted.
 */
export const MATCHING_VERSION = '2026-12-04.2';

/**
 * `[id, source, line, recordId, name, alternateName, phones, address_1, address_2, city,
 * state_province, postal_code, address_type, latitude, longitude, website]`, where `source` indexes
 * `sources`, phones are space-separated and absent values are `''` (`null` for coordinates).
 */
export type RecordTuple = [
  string,
  number,
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  '' | 'postal',
  number | null,
  number | null,
  string,
];

export interface ResolverState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  /** The `MATCHING_VERSION` of the code that wrote it. */
  matching: string;
  options: ResolvedOptions;
  /** `[agency, layout, file]` of each source. */
  sources: [string, string, string][];
  records: RecordTuple[];
  /** Matched pairs as indices into `records`. */
  links: [number, number][];
}

const ADDRESS_FIELDS = ['address_1', 'address_2', 'city', 'state_province', 'postal_code'] as const;

/** A stable text of the record's content, for telling a changed record from an unchanged one. */
export function recordFingerprint(r: ResolvableRecord): string {
  return (
    JSON.stringify(toTuple(r, 0)) +
    JSON.stringify([r.source.agency, r.source.layout, r.source.file])
  );
}

export function toTuple(r: ResolvableRecord, source: number): RecordTuple {
  const a = r.address ?? {};
  return [
    r.id,
    source,
    r.source.line,
    r.source.recordId,
    r.name,
    r.alternateName ?? '',
    (r.phones ?? []).join(' '),
    ...(ADDRESS_FIELDS.map((f) => a[f] ?? '') as [string, string, string, string, string]),
    a.address_type === 'postal' ? 'postal' : '',
    r.latitude ?? null,
    r.longitude ?? null,
    r.website ?? '',
  ];
}

export function fromTuple(
  t: RecordTuple,
  sources: readonly [string, string, string][],
): ResolvableRecord {
  const [id, s, line, recordId, name, alternateName, phones, ...rest] = t;
  const [agency, layout, file] = sources[s] ?? ['', '', ''];
  const source: SourceRef = { agency, layout, file, line, recordId };
  const r: ResolvableRecord = { id, source, name };
  if (alternateName) r.alternateName = alternateName;
  if (phones) r.phones = phones.split(' ');
  const address: ResolvableAddress = {};
  ADDRESS_FIELDS.forEach((f, i) => {
    const v = rest[i] as string;
    if (v) address[f] = v;
  });
  if (Object.keys(address).length) r.address = address;
  const [type, lat, lon, website] = rest.slice(5) as [
    '' | 'postal',
    number | null,
    number | null,
    string,
  ];
  if (r.address && type === 'postal') r.address.address_type = 'postal';
  if (lat !== null) r.latitude = lat;
  if (lon !== null) r.longitude = lon;
  if (website) r.website = website;
  return r;
}

/** Throws unless `value` has the shape of a state this version wrote. */
export function assertState(value: unknown): asserts value is ResolverState {
  const v = value as Partial<ResolverState> | null;
  if (typeof v !== 'object' || v === null || v.format !== STATE_FORMAT) {
    throw new Error(`not a resolver state (format should be '${STATE_FORMAT}')`);
  }
  if (v.version !== STATE_VERSION) {
    throw new Error(`resolver state version ${String(v.version)} is not ${STATE_VERSION}`);
  }
  if (!Array.isArray(v.records) || !Array.isArray(v.links) || !Array.isArray(v.sources)) {
    throw new Error('resolver state lacks its records, links or sources');
  }
  if (typeof v.options !== 'object' || v.options === null)
    throw new Error('resolver state lacks its options');
}
