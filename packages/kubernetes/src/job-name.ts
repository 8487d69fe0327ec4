/**
 * @module job-name
 * Names for Jobs and label values from asset keys. A Job's name must be a DNS-1123 label of at
 * most 63 characters (its pods carry it as the `job-name` label): the asset key (and partition)
 * lower-cased with every other character run turned into `-`, cut to fit, then a hash of the
 * key, partition, worker tags and launch id, so two keys that read alike (`a/b`, `a_b`) and two
 * launches of one step never share a name.
 */

import { createHash } from 'node:crypto';
import type { LaunchRequest } from 'weir';

const HASH_LENGTH = 10;
const MAX_NAME = 63;

function hashOf(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** `text` as DNS-1123 label characters: lower case, other runs as `-`, no `-` at either end. */
export function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The Job name of a launch: `<prefix>-<slug of asset key and partition>-<hash>`, or
 * `<prefix>-worker-<tags>-<hash>` for a worker by tags; at most 63 characters.
 */
export function jobNameOf(
  request: Pick<LaunchRequest, 'asset' | 'partition' | 'workerTags' | 'id'>,
  prefix = 'weir',
): string {
  const what =
    request.asset === undefined
      ? ['worker', ...request.workerTags].join('-')
      : request.partition === undefined
        ? request.asset
        : `${request.asset}-${request.partition}`;
  const hash = hashOf(
    request.asset ?? '',
    request.partition ?? '',
    request.workerTags.join(','),
    request.id,
  ).slice(0, HASH_LENGTH);
  const room = MAX_NAME - prefix.length - HASH_LENGTH - 2;
  const slug = slugOf(what).slice(0, Math.max(0, room)).replace(/-+$/, '');
  return [prefix, slug, hash].filter((part) => part !== '').join('-');
}

/**
 * `text` as a label value (≤ 63 of letters, digits, `-`, `_`, `.`, alphanumeric at both ends):
 * `/` and other characters become `.`; a value that had to change or be cut keeps a hash of
 * the original, so two texts never share a value. The exact text goes in an annotation.
 */
export function labelValueOf(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '.')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned === text && text.length <= MAX_NAME) return text;
  const hash = hashOf(text).slice(0, 8);
  const head = cleaned.slice(0, MAX_NAME - hash.length - 1).replace(/[^A-Za-z0-9]+$/, '');
  return head === '' ? hash : `${head}-${hash}`;
}
