/**
 * @module execution/_last-good
 * Inputs read with `many(x, { lastGood: true })`: partitions that fail or have no good version
 * do not stop the reader, which reads what last passed.
 */
import type { AssetDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { partitionsWithVersions } from './_inputs.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';

/** Whether `key` reads `parent` only through last-good inputs (so its failures do not stop it). */
export function readsLastGood(graph: AssetGraph, key: string, parent: string): boolean {
  const node = graph.node(key);
  if (node.kind === 'source') return false;
  const modes = (node.definition as AssetDefinition).inputModes;
  let reads = false;
  for (const [name, upstream] of node.inputs) {
    if (upstream !== parent) continue;
    if (modes[name]?.lastGood !== true) return false;
    reads = true;
  }
  return reads;
}

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
