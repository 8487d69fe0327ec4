/**
 * @module definitions/keys
 * Asset keys: what a valid key is, and how an asset partition (or a range of them) is named.
 */
import { DefinitionError } from '../errors.js';

/** An asset key: `/`-separated segments such as `hydrology/polished_timeseries`. */
export type AssetKey = string;

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** A whole valid key in one test (the graph checks 10,000 keys on every start). */
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

/** Why `key` is not a valid asset key, or undefined when it is. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key === 'string' && key.length <= 255 && KEY.test(key)) return undefined;
  if (typeof key !== 'string' || key.length === 0) return 'a key must be a non-empty string';
  if (key.length > 255) return 'a key must be at most 255 characters';
  const bad = key.split('/').find((segment) => !SEGMENT.test(segment));
  if (bad === undefined) return undefined;
  if (bad === '') return "a key has no empty segments (no leading, trailing or doubled '/')";
  return `segment '${bad}' must start with a letter, digit or '_' and contain only letters, digits, '_', '.' and '-'`;
}

export function assertValidKey(key: unknown, what: string): asserts key is AssetKey {
  const problem = keyProblem(key);
  if (problem !== undefined) {
    throw new DefinitionError(
      'E_INVALID_KEY',
      `${what} has an invalid key ${JSON.stringify(key)}: ${problem}`,
    );
  }
}

/**
 * How a unit of work or an asset partition is named in summaries, progress and errors: `key`,
 * `key[partition]`, or `key[first…last]` for a range of partitions. `['']` (or no partitions)
 * is the unpartitioned asset.
 */
export function unitLabel(key: AssetKey, partitions: readonly string[]): string {
  if (partitions.length === 0 || (partitions.length === 1 && partitions[0] === '')) return key;
  if (partitions.length === 1) return `${key}[${partitions[0]}]`;
  return `${key}[${partitions[0]}…${partitions[partitions.length - 1]}]`;
}
