/**
 * @module versioning/code-version
 * Code versions of assets (explicit, or derived from their definition) and config hashes.
 */
import {
  type AnyAssetDefinition,
  type AssetDefinition,
  derivedCodeOf,
  type ResourceDefinition,
} from '../definitions/index.js';
import { sha256, stableStringify } from '../hash.js';
import { functionKey } from './_module-facts.js';

interface Derived {
  /** The loader's finding the version was derived from (undefined: the function source). */
  found: object | undefined;
  version: string;
  /** Computed when first asked for (recording a materialization, `why`), not for status. */
  parts: () => Readonly<Record<string, string>>;
}

const derived = new WeakMap<object, Derived>();

/**
 * The code version of an asset: its explicit `codeVersion`, else a hash of how it is stored
 * and of the parts of its code. Loaded by the CLI's project loader, the parts are what its
 * `materialize` and its checks' `evaluate` can reach in the project's compiled files (see
 * `codePartsOf`); otherwise (definitions imported directly, as in tests and scripts) they are
 * the source text of those functions alone.
 */
export function codeVersionOf(definition: AnyAssetDefinition): string {
  if (definition.kind === 'source') return 'source';
  if (definition.codeVersion !== undefined) return definition.codeVersion;
  // The loader's cache knows the version already (every asset of an unchanged build): read it
  // as it is, without a memo entry per asset.
  const known = derivedCodeOf(definition)?.version;
  return known ?? derive(definition).version;
}

/**
 * The parts of an asset's derived code version, by name (`materialize`, `check NAME`,
 * `src/phone.ts:normalizePhone`, `package lodash`), each with a hash or a package version;
 * recorded with each materialization so that `why` can say what changed. Undefined for
 * source assets and explicit code versions.
 */
export function codePartsOf(
  definition: AnyAssetDefinition,
): Readonly<Record<string, string>> | undefined {
  if (definition.kind === 'source' || definition.codeVersion !== undefined) return undefined;
  return derive(definition).parts();
}

function derive(definition: AssetDefinition): Derived {
  const found = derivedCodeOf(definition);
  const cached = derived.get(definition);
  if (cached !== undefined && cached.found === found) return cached;
  let result: Derived;
  if (found === undefined) result = fromSource(definition);
  else {
    const partsOf = found.parts;
    const parts = typeof partsOf === 'function' ? partsOf : () => partsOf;
    const version = found.version ?? codeVersionFromParts(definition, parts());
    result = { found, version, parts };
  }
  derived.set(definition, result);
  return result;
}

/** The code version an asset's derived `parts` give. */
export function codeVersionFromParts(
  definition: AssetDefinition,
  parts: Readonly<Record<string, string>>,
): string {
  const listed = Object.keys(parts)
    .sort()
    .map((key) => `${key}=${parts[key]}`)
    .join('\n');
  return sha256(`weir-code/2\0${definition.io}\0${listed}${partitionEdges(definition)}`).slice(
    0,
    16,
  );
}

/**
 * What of a definition, beside its code, its derived code version depends on: how its value
 * is stored and (partitioned) how it reads its inputs. A cached version holds while this does.
 */
export function versionShape(definition: AssetDefinition): string {
  return `${definition.io}\0${partitionEdges(definition)}`;
}

/**
 * Without the loader: the source text of `materialize` (and of each check's `evaluate`). An
 * asset without checks keeps the version earlier releases gave it.
 */
function fromSource(definition: AssetDefinition): Derived {
  const materialize = definition.materialize.toString();
  let checks = '';
  for (const check of definition.checks) {
    checks += `\0check ${check.name}\0${check.evaluate.toString()}`;
  }
  const version = sha256(
    `weir-code/1\0${definition.io}\0${materialize}${checks}${partitionEdges(definition)}`,
  ).slice(0, 16);
  let parts: Record<string, string> | undefined;
  const partsOf = () => {
    if (parts === undefined) {
      parts = { materialize: `function ${key12(materialize)}` };
      for (const check of definition.checks)
        parts[`check ${check.name}`] = `function ${key12(check.evaluate.toString())}`;
    }
    return parts;
  };
  return { found: undefined, version, parts: partsOf };
}

function key12(text: string): string {
  return functionKey(text).slice(0, 12);
}

/**
 * A partitioned asset's inputs and how it reads them: a partition records when it read its
 * inputs, not which, so reading through another mapping or another input must change its
 * code version to make it stale. Empty for unpartitioned assets (their provenance names
 * every input), so their code versions are unchanged.
 */
function partitionEdges(definition: AssetDefinition): string {
  if (definition.partitions === undefined) return '';
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
