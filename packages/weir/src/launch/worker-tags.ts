/**
 * @module launch/worker-tags
 * Which workers may run an asset's steps. An asset names the worker tags it needs in its
 * `resources` tag, the convention the examples already follow (`tags: { resources: 'gpu' }`,
 * `tags: { resources: 'highmem' }`; several: `'gpu,highmem'`); a worker offers tags
 * (`weir worker --tags gpu,highmem`) and a launcher maps each tag to where such workers run
 * (a node pool on Kubernetes).
 *
 * The queue worker that routes steps by these tags is being built separately; this module is
 * where the two agree on how an asset's tags read.
 */

import { DefinitionError } from '../errors.js';

/** The asset tag that names the worker tags its steps need. */
export const WORKER_TAGS_TAG = 'resources';

const TAG = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

/** Checks one worker tag: lower-case letters, digits, `.`, `_` and `-`, as `--tags` takes them. */
export function assertValidWorkerTag(tag: string, owner: string): void {
  if (!TAG.test(tag) || tag.length > 63) {
    throw new DefinitionError('E_DEFINITION', `${owner}: '${tag}' is not a valid worker tag`, {
      hint: 'a worker tag is up to 63 lower-case letters, digits, ".", "_" or "-", starting and ending with a letter or digit (gpu, highmem)',
    });
  }
}

/** The worker tags an asset's tags ask for, sorted and without repeats: `{ resources: 'gpu' }` → `['gpu']`. */
export function workerTagsOf(
  tags: Readonly<Record<string, string>> | undefined,
  owner = 'asset',
): string[] {
  const value = tags?.[WORKER_TAGS_TAG];
  if (value === undefined || value.trim() === '') return [];
  const found = new Set<string>();
  for (const part of value.split(',')) {
    const tag = part.trim();
    if (tag === '') continue;
    assertValidWorkerTag(tag, `${owner} tag ${WORKER_TAGS_TAG}`);
    found.add(tag);
  }
  return [...found].sort();
}
