/**
 * @module hash
 * Hashing helpers shared by the artefact store (content addresses) and versioning (code
 * versions, config identities).
 */
import * as crypto from 'node:crypto';

/**
 * One-shot hashing (Node ≥ 20.12) allocates no Hash object: about 3x faster for the short
 * texts code versions hash by the thousand. Older Nodes take the stream API.
 */
const hashOnce = (
  crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }
).hash;

export function sha256(data: string | Uint8Array): string {
  if (hashOnce !== undefined) return hashOnce('sha256', data, 'hex');
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

/** A version string for display: the first 12 hex digits. */
export function shortVersion(version: string | undefined): string {
  if (version === undefined) return '(none)';
  return /^[0-9a-f]{64}$/.test(version) ? version.slice(0, 12) : version;
}
