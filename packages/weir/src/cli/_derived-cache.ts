/**
 * @module cli/_derived-cache
 * The derived code of every asset of one build, kept under `.weir/cache` so that a start
 * after nothing changed derives nothing: no facts read, no code walked, no version hashed.
 * It holds while the compiled files are the same (their content hashes), every package the
 * derivation resolved still resolves to the same version, and each asset's functions are the
 * same text at the same place of the same files (checked by comparing that text in place):
 * the derivation is a function of those alone. Anything else derives again and rewrites it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AssetDefinition } from '../definitions/index.js';
import { versionShape } from '../versioning/index.js';

/** Bumped whenever what is cached, or how it is derived, changes. */
const FORMAT = 1;

/** A function an asset's code version starts from, where the derivation found its text. */
export type CachedRoot =
  /** The part's name, and its text's place: compiled file (index), start and end. */
  | [part: string, file: number, start: number, end: number]
  /** The part's name and its text (a function the compiled files do not hold; file is -1). */
  | [part: string, file: number, text: string];

/** What was derived for one asset. */
export interface CachedAsset {
  roots: CachedRoot[];
  version: string;
  /** `versionShape` of the definition the version was derived for. */
  shape: string;
  /** The parts (decoded when first asked for). */
  parts: () => Readonly<Record<string, string>>;
}

/** A package import the derivation resolved, and what it resolved to (as JSON). */
export type CachedResolution = [from: string, specifier: string, resolved: string];

interface CacheFile {
  format: number;
  /** The compiled files: labels and content hashes, in order. */
  build: string;
  resolutions: CachedResolution[];
  /** Part names and values, each once; assets point into it. */
  strings: string[];
  /** By asset key: roots, version, shape, and parts as pairs of indices into `strings`. */
  assets: Record<string, [CachedRoot[], string, string, number[]]>;
}

/** The cache of build `build`, if there is one and every resolution still holds. */
export function readDerivedCache(
  path: string,
  build: string,
  resolve: (from: string, specifier: string) => unknown,
): ((key: string) => CachedAsset | undefined) | undefined {
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
  const { strings, assets } = file;
  return (key) => {
    const entry = Object.hasOwn(assets, key) ? assets[key] : undefined;
    if (entry === undefined) return undefined;
    const [roots, version, shape, indices] = entry;
    let parts: Record<string, string> | undefined;
    const partsOf = () => {
      if (parts === undefined) {
        parts = {};
        for (let i = 0; i < indices.length; i += 2)
          parts[strings[indices[i]!]!] = strings[indices[i + 1]!]!;
      }
      return parts;
    };
    return { roots, version, shape, parts: partsOf };
  };
}

/** Whether `cached` was derived for these roots of this definition (see the module doc). */
export function stillHolds(
  definition: AssetDefinition,
  roots: ReadonlyArray<{ part: string; text: string }>,
  cached: CachedAsset,
  codeOf: (file: number) => string | undefined,
): boolean {
  if (cached.roots.length !== roots.length || cached.shape !== versionShape(definition)) {
    return false;
  }
  return roots.every(({ part, text }, i) => {
    const root = cached.roots[i]!;
    if (root[0] !== part) return false;
    if (root.length === 3) return root[2] === text;
    const [, file, start, end] = root;
    return end - start === text.length && codeOf(file)?.startsWith(text, start) === true;
  });
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
    assets: {},
  };
  for (const [key, { roots, version, shape, parts: partsOf }] of assets) {
    const indices: number[] = [];
    const parts = partsOf();
    for (const name in parts) indices.push(intern(name), intern(parts[name]!));
    file.assets[key] = [roots, version, shape, indices];
  }
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(file));
    renameSync(temp, path);
  } catch {
    // Read-only project folder: keep going without a cache.
  }
}
