/**
 * @module queue/routing
 * Which queue a step goes to, and which queues a worker takes from. A step's worker tags are
 * its asset's (`tags: { resources: 'gpu' }`, read by weir's `workerTagsOf`, the rule the
 * launchers follow); its graphile-worker task is `weir:step` without tags and
 * `weir:step:<tags>` with them (sorted, joined by `,`: `weir:step:gpu,highmem`). A worker
 * offering tags takes the steps whose tags it has: every non-empty subset of its tags, and the
 * untagged steps only when it offers no tag (or is told to take them too). A step of a code
 * location's asset goes to that location's workers only (their code is the location's):
 * `weir:step@ml`, `weir:step@ml:gpu`.
 */
import { assertValidWorkerTag, workerTagsOf } from 'weir';

/** The task of untagged steps. */
export const STEP_TASK = 'weir:step';
/** A worker offers at most this many tags (it listens to every subset of them). */
export const MAX_WORKER_TAGS = 8;

/** The task a step of an asset with these tags (of code location `location`) is queued as. */
export function stepTask(
  assetTags: Readonly<Record<string, string>> | undefined,
  owner?: string,
  location?: string,
): string {
  const tags = workerTagsOf(assetTags, owner);
  const base = baseTask(location);
  return tags.length === 0 ? base : `${base}:${tags.join(',')}`;
}

function baseTask(location: string | undefined): string {
  return location === undefined ? STEP_TASK : `${STEP_TASK}@${location}`;
}

/** The tasks a worker offering `tags` (of code location `location`) takes (see the module comment). */
export function workerTasks(
  tags: readonly string[],
  options: { untagged?: boolean; location?: string } = {},
): string[] {
  const base = baseTask(options.location);
  const offered = [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))].sort();
  for (const tag of offered) assertValidWorkerTag(tag, 'worker --tags');
  if (offered.length > MAX_WORKER_TAGS) {
    throw new RangeError(`a worker offers at most ${MAX_WORKER_TAGS} tags, got ${offered.length}`);
  }
  const tasks: string[] = [];
  if (offered.length === 0 || options.untagged === true) tasks.push(base);
  for (let mask = 1; mask < 1 << offered.length; mask++) {
    const subset = offered.filter((_, i) => (mask & (1 << i)) !== 0);
    tasks.push(`${base}:${subset.join(',')}`);
  }
  return tasks;
}
