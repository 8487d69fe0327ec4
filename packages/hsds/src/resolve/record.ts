// What entity resolution compares: one service at one place, with the features that identify it.
import type { MappedService, SourceRef } from '../map/mapped.js';
import type { Address, Location, Phone } from '../model/index.js';

/** The address fields ER reads, as HSDS names them. */
export interface ResolvableAddress {
  address_1?: string;
  address_2?: string;
  city?: string;
  state_province?: string;
  postal_code?: string;
  /** `postal` for a mailing address (where mail goes, not where the service is); default physical. */
  address_type?: 'physical' | 'postal';
}

/**
 * One record as entity resolution sees it: a service at a location (or a service with no
 * location), from one agency. `id` is unique across everything given to one resolver.
 */
export interface ResolvableRecord {
  id: string;
  source: SourceRef;
  /** The name a directory user reads first: the organization's, or the service's when it has none. */
  name: string;
  /** The service's own name when it differs from the organization's. */
  alternateName?: string;
  /** E.164 numbers (`+12065550100`); others are ignored when compared. */
  phones?: string[];
  address?: ResolvableAddress;
  latitude?: number;
  longitude?: number;
  /** A URL or bare host; only its registrable domain is compared. */
  website?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function trimmed(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t ? t : undefined;
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function physicalFirst(location: Location | undefined): Address | undefined {
  const addresses = location?.addresses ?? [];
  return addresses.find((a) => a.address_type === 'physical') ?? addresses[0];
}

function e164Of(phones: readonly (readonly Phone[] | undefined)[]): string[] {
  const numbers = new Set<string>();
  for (const list of phones)
    for (const p of list ?? []) if (E164.test(p.number)) numbers.add(p.number);
  return [...numbers].sort();
}

function addressOf(a: Address | undefined): ResolvableAddress | undefined {
  if (!a) return undefined;
  const out: ResolvableAddress = {};
  for (const field of [
    'address_1',
    'address_2',
    'city',
    'state_province',
    'postal_code',
  ] as const) {
    const v = trimmed(a[field]);
    if (v !== undefined) out[field] = v;
  }
  if (!Object.keys(out).length) return undefined;
  if (a.address_type === 'postal') out.address_type = 'postal';
  return out;
}

/**
 * The records of one mapped service: one per service-at-location (the service as a directory
 * lists it at each place), or one for the service itself when it has no location. The name is
 * the organization's and the alternate name the service's, so that two agencies listing the
 * same program under the organization's name or the program's both compare.
 */
export function resolvableFromService(m: MappedService): ResolvableRecord[] {
  const { service, source } = m;
  const orgName = trimmed(service.organization?.name);
  const serviceName = service.name.trim();
  const name = orgName ?? serviceName;
  const alternateName = orgName && !sameText(orgName, serviceName) ? serviceName : undefined;
  const website = trimmed(service.url) ?? trimmed(service.organization?.website);
  const base = (id: string): ResolvableRecord => ({
    id,
    source,
    name,
    ...(alternateName ? { alternateName } : {}),
    ...(website ? { website } : {}),
  });
  const sals = service.service_at_locations ?? [];
  if (sals.length === 0) {
    const phones = e164Of([service.phones, service.organization?.phones]);
    return [{ ...base(service.id), ...(phones.length ? { phones } : {}) }];
  }
  return sals.map((sal) => {
    const location = sal.location;
    const phones = e164Of([sal.phones, location?.phones, service.phones]);
    const address = addressOf(physicalFirst(location));
    const record = base(`${service.id}@${location?.id ?? sal.id}`);
    if (phones.length) record.phones = phones;
    if (address) record.address = address;
    if (Number.isFinite(location?.latitude) && Number.isFinite(location?.longitude)) {
      record.latitude = location!.latitude!;
      record.longitude = location!.longitude!;
    }
    return record;
  });
}
