// A record with its comparable features worked out once, for blocking and scoring.
import { type AddressKey, addressKey } from './address.js';
import { registrableDomain } from './domain.js';
import { nameTokens } from './name.js';
import type { ResolvableRecord } from './record.js';
import { uniqueSorted } from './similarity.js';

export interface PreparedRecord {
  record: ResolvableRecord;
  /**
   * The normalised names to compare: the name, then (when the record names a service of its
   * own) the alternate name and both together.
   */
  names: string[];
  /** `names` from index 1 name the service itself. */
  namesService: boolean;
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
  const mainName = main.join(' ');
  const namesService = alt.length > 0 && alt.join(' ') !== mainName;
  const tokenLists = namesService ? [main, alt, [...main, ...alt]] : [main];
  const names = tokenLists.map((t) => t.join(' '));
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
    namesService,
    nameTokens: tokenLists.map(uniqueSorted),
    tokens: [...new Set([...main, ...alt])].sort(),
    address,
    phones: [...new Set(record.phones ?? [])].sort(),
    ...(domain ? { domain } : {}),
    ...(hasPoint ? { point: { lat, lon } } : {}),
    place: hasPoint || Boolean(address.street && !address.postalOnly),
  };
}
