/**
 * @module versioning/code-version
 * Code versions of assets (explicit, or derived from their definition) and config hashes.
 */
import type { AnyAssetDefinition, ResourceDefinition } from '../definitions/index.js';
import { sha256, stableStringify } from '../hash.js';

const derived = new WeakMap<object, string>();

/**
 * The code version of an asset: its explicit `codeVersion`, else a hash of how it is
 * stored and of its `materialize` function's source, so editing the code makes it stale.
 * Code the function calls elsewhere is not seen: set `codeVersion` when that matters.
 */
export function codeVersionOf(definition: AnyAssetDefinition): string {
  if (definition.kind === 'source') return 'source';
  if (definition.codeVersion !== undefined) return definition.codeVersion;
  let version = derived.get(definition);
  if (version === undefined) {
    version = sha256(
      `weir-code/1\0${definition.io}\0${definition.materialize.toString()}${partitionEdges(definition)}`,
    ).slice(0, 16);
    derived.set(definition, version);
  }
  return version;
}

/**
 * A partitioned asset's inputs and how it reads them: a partition records when it read its
 * inputs, not which, so reading through another mapping or another input must change its
 * code version to make it stale. Empty for unpartitioned assets (their provenance names
 * every input), so their code versions are unchanged.
 */
function partitionEdges(definition: AnyAssetDefinition): string {
  if (definition.kind !== 'asset' || definition.partitions === undefined) return '';
  const inputs = Object.entries(definition.ins)
    .map(([name, upstream]) => {
      const mode = definition.inputModes[name];
      return `${name}=${upstream.key}|${mode?.many ? 'many' : 'one'}|${mode?.mapping?.description ?? 'default'}`;
    })
    .sort();
  return `\0${inputs.join('\0')}\0${[...definition.deps].sort().join(',')}`;
}

/** A hash of the identities of the resources an asset uses (configs are hashed, never stored). */
export function configHashOf(
  definition: AnyAssetDefinition,
  resources: ReadonlyMap<string, ResourceDefinition<string, unknown>>,
): string {
  const used = Object.entries(definition.resources)
    .map(([name, declared]) => [
      name,
      declared.key,
      (resources.get(declared.key) ?? declared).identity,
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return sha256(stableStringify(used)).slice(0, 16);
}
