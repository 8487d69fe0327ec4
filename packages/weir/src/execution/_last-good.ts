/**
 * @module execution/_last-good
 * A reader of last good versions (`many(x, { lastGood: true })`) with nothing to read.
 */
import { readsLastGood } from '../graph/index.js';
import { partitionsWithVersions } from './_inputs.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';

/**
 * The partitioned parent `unit` reads through last-good inputs of which no partition it reads
 * has a version (every one failed or was held back in this run, or never had one), if any:
 * a reader with nothing to read does not run.
 */
export async function lastGoodWithNothing(
  run: RunContext,
  unit: StepUnit,
): Promise<string | undefined> {
  const node = run.graph.node(unit.key);
  for (const parent of node.parents) {
    if (!run.versions.isPartitioned(parent) || !readsLastGood(run.graph, unit.key, parent))
      continue;
    if ((await partitionsWithVersions(run, node, unit, parent)).length === 0) return parent;
  }
  return undefined;
}
