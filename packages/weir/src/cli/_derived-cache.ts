/**
 * @module cli/_derived-cache
 * The derived code of every asset of one build, kept under `.weir/cache` so that a start
 * after nothing changed derives nothing: no facts read, no code walked, no version hashed.
 * It holds while the compiled files are the same (their content hashes), every package the
 * derivation resolved still resolves to the same version, and each asset's functions are the
 * same text at the same place of the same files (checked by comparing that text in place):
 * the derivation is a function of those alone. Anything else derives again and rewrites it.
 */
import { readFileSync } from 'node:fs';
import type { AssetDefinition } from '../definitions/index.js';
import { versionShape } from '../versioning/index.js';
import { writeAtomically } from './_write-atomically.js';

/** Bumped whenever what is cached, or how it is derived or laid out, changes. */
const FORMAT = 2;

/** A function an asset's code version starts from, where the derivation found its text. */
export type CachedRoot =
  /** The part's name, and its text's place: compiled file (index), start and end. */
  | [part: string, file: number, start: number, end: number]
  /** The part's name and its text (a function the compiled files do not hold; file is -1). */
  | [part: string, file: number, text: string];

/** What was derived for one asset, as the derivation hands it to the cache. */
export interface CachedAsset {
  roots: CachedRoot[];
  version: string;
  /** `versionShape` of the definition the version was derived for. */
  shape: string;
  /** The parts (decoded when first asked for). */
  parts: () => Readonly<Record<string, string>>;
}

/** What the cache holds for one asset, as a start reads it. */
export interface CachedVersion {
  version: string;
  /** The parts, decoded when first asked for. */
  parts: () => Readonly<Record<string, string>>;
}

/** A package import the derivation resolved, and what it resolved to (as JSON). */
export type CachedResolution = [from: string, specifier: string, resolved: string];

/**
 * Columns, not an object per asset, so that a start parses numbers and a few strings (a
 * tenth of the time JSON.parse took over the nested arrays of format 1 at 10,000 assets).
 */
interface CacheFile {
  format: number;
  /** The compiled files: labels and content hashes, in order. */
  build: string;
  resolutions: CachedResolution[];
  /** Part names and values, shapes and root texts, each once; the columns point into it. */
  strings: string[];
  /** Asset keys, in the order the derivation met them. */
  keys: string[];
  /** The code version of each asset. */
  versions: string[];
  /** Each asset's shape, as an index into `strings`. */
  shapes: number[];
  /**
   * Each asset's roots: their count, then for each its part name (index into `strings`), file
   * index, start and end; a root of file -1 has the index of its text in place of the start.
   */
  roots: number[];
  /** Each asset's parts: the number of pairs, then pairs of indices into `strings`. */
  parts: number[];
}

/** The cache of one build, read: each asset's version, if it still holds for a definition. */
export interface DerivedCache {
  /**
   * What was derived for `key`, if that was for this definition: its roots are its
   * `materialize` and checks (names and texts, the text found in place in the compiled file
   * `codeOf` gives) and its shape is the same.
   */
  holding(
    key: string,
    definition: AssetDefinition,
    codeOf: (file: number) => string | undefined,
  ): CachedVersion | undefined;
}

/** The cache of build `build`, if there is one and every resolution still holds. */
export function readDerivedCache(
  path: string,
  build: string,
  resolve: (from: string, specifier: string) => unknown,
): DerivedCache | undefined {
  let file: CacheFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (file.format !== FORMAT || file.build !== build) return undefined;
  for (const [from, specifier, resolved] of file.resolutions) {
    if (JSON.stringify(resolve(from, specifier)) !== resolved) return undefined;
  }
  const { strings, keys, versions, shapes, roots, parts } = file;
  // Where each asset's roots and parts start, in one pass over the counts.
  const rootAt = new Int32Array(keys.length);
  const partAt = new Int32Array(keys.length);
  for (let i = 0, r = 0, p = 0; i < keys.length; i++) {
    rootAt[i] = r;
    partAt[i] = p;
    r += 1 + 4 * roots[r]!;
    p += 1 + 2 * parts[p]!;
  }
  // Assets come in the order they were derived in, nearly always the order asked for.
  let next = 0;
  let byKey: Map<string, number> | undefined;
  const indexOf = (key: string): number | undefined => {
    if (keys[next] === key) return next++;
    byKey ??= new Map(keys.map((k, i) => [k, i]));
    const i = byKey.get(key);
    if (i !== undefined) next = i + 1;
    return i;
  };
  return {
    holding(key, definition, codeOf) {
      const i = indexOf(key);
      if (i === undefined || strings[shapes[i]!] !== versionShape(definition)) return undefined;
      if (!rootsHold(definition, roots, rootAt[i]!, strings, codeOf)) return undefined;
      const at = partAt[i]!;
      let decoded: Record<string, string> | undefined;
      const partsOf = () => {
        if (decoded === undefined) {
          decoded = {};
          for (let j = at + 1; j < at + 1 + 2 * parts[at]!; j += 2)
            decoded[strings[parts[j]!]!] = strings[parts[j + 1]!]!;
        }
        return decoded;
      };
      return { version: versions[i]!, parts: partsOf };
    },
  };
}

/**
 * Whether the roots at `at` are the definition's `materialize` and then each check's
 * `evaluate`, by name and by text (compared in place, nothing copied).
 */
function rootsHold(
  definition: AssetDefinition,
  roots: readonly number[],
  at: number,
  strings: readonly string[],
  codeOf: (file: number) => string | undefined,
): boolean {
  const { checks } = definition;
  if (roots[at] !== 1 + checks.length) return false;
  for (let r = 0; r <= checks.length; r++) {
    const part = strings[roots[at + 1 + 4 * r]!];
    const file = roots[at + 2 + 4 * r]!;
    const start = roots[at + 3 + 4 * r]!;
    const end = roots[at + 4 + 4 * r]!;
    const check = r === 0 ? undefined : checks[r - 1]!;
    if (check === undefined ? part !== 'materialize' : part !== `check ${check.name}`) return false;
    const text =
      check === undefined ? definition.materialize.toString() : check.evaluate.toString();
    if (file === -1) {
      if (strings[start] !== text) return false;
    } else if (end - start !== text.length || codeOf(file)?.startsWith(text, start) !== true) {
      return false;
    }
  }
  return true;
}

/** Best effort: a cache that cannot be written costs the next start one derivation. */
export function writeDerivedCache(
  path: string,
  build: string,
  resolutions: readonly CachedResolution[],
  assets: ReadonlyMap<string, CachedAsset>,
): void {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (text: string) => {
    let i = index.get(text);
    if (i === undefined) {
      i = strings.push(text) - 1;
      index.set(text, i);
    }
    return i;
  };
  const file: CacheFile = {
    format: FORMAT,
    build,
    resolutions: [...resolutions],
    strings,
    keys: [],
    versions: [],
    shapes: [],
    roots: [],
    parts: [],
  };
  for (const [key, { roots, version, shape, parts: partsOf }] of assets) {
    file.keys.push(key);
    file.versions.push(version);
    file.shapes.push(intern(shape));
    file.roots.push(roots.length);
    for (const root of roots) {
      if (root.length === 3) file.roots.push(intern(root[0]), -1, intern(root[2]), -1);
      else file.roots.push(intern(root[0]), root[1], root[2], root[3]);
    }
    const parts = partsOf();
    const names = Object.keys(parts);
    file.parts.push(names.length);
    for (const name of names) file.parts.push(intern(name), intern(parts[name]!));
  }
  try {
    writeAtomically(path, JSON.stringify(file));
  } catch {
    // Read-only project folder: keep going without a cache.
  }
}
