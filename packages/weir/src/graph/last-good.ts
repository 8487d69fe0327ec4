/**
 * @module graph/last-good
 * Inputs read with `many(x, { lastGood: true })`: a partition of `x` that fails or has no good
 * version does not stop the reader, which reads what last passed.
 */
import type { AssetDefinition } from '../definitions/index.js';
import type { AssetGraph } from './asset-graph.js';

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
