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
    version = sha256(`weir-code/1\0${definition.io}\0${definition.materialize.toString()}`).slice(
      0,
      16,
    );
    derived.set(definition, version);
  }
  return version;
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
