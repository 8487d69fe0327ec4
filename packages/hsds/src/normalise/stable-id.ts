import { createHash } from 'node:crypto';

/** The namespace of Weir's HSDS identifiers (a random UUID, fixed once and for all). */
export const WEIR_HSDS_NAMESPACE = '5b0f4c1e-8a6d-4f57-9d3b-2c7e1a90e6d4';

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1) of `name` in `namespace`: the same name always
 * gives the same id, so rows derived from the same source value keep their id from run to run.
 */
export function stableId(name: string, namespace: string = WEIR_HSDS_NAMESPACE): string {
  const space = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (space.length !== 16) throw new Error(`stableId: namespace is not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(space).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
