// A record with its comparable features worked out once, for blocking and scoring.
import { type AddressKey, addressKey } from './address.js';
import { registrableDomain } from './domain.js';
import { nameTokens } from './name.js';
import type { ResolvableRecord } from './record.js';
import { uniqueSorted } from './similarity.js';

export interface PreparedRecord {
  record: ResolvableRecord;
  /** The normalised names to compare: the name, the alternate name and both together. */
  names: string[];
  /** The distinct tokens of each of `names`, sorted (`uniqueSorted`), in the same order. */
  nameTokens: string[][];
  /** Every distinct name token. */
  tokens: string[];
  address: AddressKey;
  phones: string[];
  domain?: string;
  point?: { lat: number; lon: number };
  /** The record says where the service is: a physical street address or coordinates. */
  place: boolean;
}

export function prepareRecord(record: ResolvableRecord): PreparedRecord {
  const main = nameTokens(record.name);
  const alt = record.alternateName ? nameTokens(record.alternateName) : [];
  const lists = alt.length ? [main, alt, [...main, ...alt]] : [main];
  const seen = new Set<string>();
  const names: string[] = [];
  const tokenLists: string[][] = [];
  for (const list of lists) {
    const joined = list.join(' ');
    if (!joined || seen.has(joined)) continue;
    seen.add(joined);
    names.push(joined);
    tokenLists.push(list);
  }
  const domain = registrableDomain(record.website);
  const address = addressKey(record.address);
  const { latitude: lat, longitude: lon } = record;
  const hasPoint =
    lat !== undefined &&
    lon !== undefined &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    !(lat === 0 && lon === 0);
  return {
    record,
    names,
    nameTokens: tokenLists.map(uniqueSorted),
    tokens: [...new Set([...main, ...alt])].sort(),
    address,
    phones: [...new Set(record.phones ?? [])].sort(),
    ...(domain ? { domain } : {}),
    ...(hasPoint ? { point: { lat, lon } } : {}),
    place: hasPoint || Boolean(address.street && !address.postalOnly),
  };
}
