// The exact-match baseline: what a plain deduplication does (lower-case, trim, collapse spaces,
// group by name and address). Records equal on the name and every address field (its type
// too; ZIP code cut to five digits) are one entity; nothing else is.
import type { ResolvableRecord } from './record.js';
import { UnionFind } from './union-find.js';

const plain = (text: string | undefined) => (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');

/** The baseline's key of a record. */
export function exactMatchKey(r: ResolvableRecord): string {
  const a = r.address ?? {};
  return JSON.stringify([
    plain(r.name),
    plain(a.address_1),
    plain(a.address_2),
    plain(a.city),
    plain(a.state_province),
    plain(a.postal_code).slice(0, 5),
    a.address_type ?? 'physical',
  ]);
}

/** Groups of two or more record ids with equal keys, sorted. */
export function exactMatchGroups(records: Iterable<ResolvableRecord>): string[][] {
  const first = new Map<string, string>();
  const sets = new UnionFind();
  for (const r of records) {
    const key = exactMatchKey(r);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, r.id);
    else sets.union(seen, r.id);
  }
  return sets.groups();
}
