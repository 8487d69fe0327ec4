/**
 * @module locations/merge
 * One project from a project's own assets and its code locations' manifests: each located
 * asset is built again from its manifest (its functions stay in its location), every edge is
 * linked by key across locations, and each external asset is checked against the asset it
 * names. A location that failed to load stands in with its last manifest that loaded, its
 * assets unavailable (same keys and code versions: not stale, not runnable); without one, an
 * asset another location reads becomes a placeholder whose step fails saying why.
 */
import {
  type AnyAssetDefinition,
  type AssetDefinition,
  isExternalAsset,
  locatedIn,
  markLocated,
  type ProjectDefinition,
  type Upstream,
} from '../definitions/index.js';
import { DefinitionError, didYouMean } from '../errors.js';
import { checkExternal, type Declared } from './externals.js';
import { LocationError } from './location-error.js';
import {
  type LocationManifest,
  MANIFEST_VERSION,
  type ManifestAsset,
  type ManifestMaterialized,
} from './manifest.js';
import { placeholder, rebuild } from './rebuild.js';

/** A location as its process loaded it: its manifest, or why not (and its last manifest). */
export type LoadedLocation =
  | { name: string; folder: string; manifest: LocationManifest }
  | { name: string; folder: string; problem: string; last?: LocationManifest };

export interface MergedProject {
  project: ProjectDefinition;
  /** Where each located asset runs, by key (the project's own assets are not listed). */
  locationOf: ReadonlyMap<string, string>;
  /** Assets of locations that did not load (from their last manifest), by key: their location. */
  unavailableOf: ReadonlyMap<string, string>;
  /** Locations that could not be loaded, with why. */
  problems: { location: string; problem: string }[];
}

export function mergeLocations(
  root: ProjectDefinition,
  locations: readonly LoadedLocation[],
): MergedProject {
  const byKey = new Map<string, AnyAssetDefinition>();
  // Who defines each key: said as `where`; `location` unset for the project's own.
  const owner = new Map<string, { where: string; location?: string }>();
  const locationOf = new Map<string, string>();
  const unavailableOf = new Map<string, string>();
  const problems: MergedProject['problems'] = [];
  const add = (definition: AnyAssetDefinition, where: string, location?: string) => {
    const other = owner.get(definition.key);
    if (other !== undefined) {
      // No definition's code may run for a key defined twice: two locations are both left
      // out; the project's own asset and a location's is an error of the project, as a key
      // defined twice in one project is.
      const message = `${definition.key} is defined by ${other.where} and by ${where}`;
      const hint =
        'an asset belongs to one location: read it from the other with externalAsset(key)';
      throw location === undefined || other.location === undefined
        ? new DefinitionError('E_DUPLICATE_KEY', message, { hint })
        : new LocationError(location, 'E_DUPLICATE_KEY', message, {
            hint,
            others: [other.location],
          });
    }
    owner.set(definition.key, location === undefined ? { where } : { where, location });
    byKey.set(definition.key, definition);
  };
  const externals: { declared: Declared; where: string; location?: string }[] = [];
  for (const definition of root.assets) {
    if (!isExternalAsset(definition)) add(definition, 'the project');
    else externals.push({ declared: definition, where: 'the project' });
  }
  const located: { entry: ManifestMaterialized; definition: AssetDefinition }[] = [];
  const pools = new Pools(root.pools);
  for (const location of locations) {
    try {
      const { name } = location;
      let manifest: LocationManifest | undefined;
      let unavailable: string | undefined;
      if ('problem' in location) {
        problems.push({ location: name, problem: location.problem });
        manifest = location.last;
        unavailable = `its code location '${name}' did not load (${location.problem})`;
      } else manifest = location.manifest;
      if (manifest === undefined) continue;
      if (manifest.v !== MANIFEST_VERSION) {
        problems.push({
          location: name,
          problem: `its process describes its assets in version ${manifest.v}, this weir reads version ${MANIFEST_VERSION}: run one version of weir in every location`,
        });
        continue;
      }
      pools.add(manifest.pools, name);
      for (const entry of manifest.assets) {
        if (entry.external) {
          externals.push({ declared: entry, where: `location '${name}'`, location: name });
          continue;
        }
        const definition = rebuild(entry, name, unavailable);
        markLocated(definition, name);
        add(definition, `location '${name}'`, name);
        (unavailable === undefined ? locationOf : unavailableOf).set(entry.key, name);
        located.push({ entry, definition });
      }
    } catch (error) {
      // A last manifest kept on disk that no longer reads as one (damaged, or edited).
      const duplicated = error instanceof DefinitionError && error.code === 'E_DUPLICATE_KEY';
      if (error instanceof LocationError || duplicated || !('problem' in location)) throw error;
      throw new LocationError(
        location.name,
        'E_DEFINITION',
        `its last manifest that loaded (.weir/cache/locations/${location.name}.json) is damaged: ${(error as Error).message}`,
      );
    }
  }
  for (const { declared, where, location } of externals) {
    const real = byKey.get(declared.key);
    if (real !== undefined)
      checkExternal(declared, where, real, owner.get(declared.key)!.where, location);
  }
  const failed = problems.map((p) => `'${p.location}'`).join(', ');
  const missing = (key: string, reader: string, location?: string): AnyAssetDefinition => {
    if (problems.length === 0) {
      const message = `${reader} reads ${key}, which no location defines`;
      const hint =
        didYouMean(key, byKey.keys()) ?? 'check the key, or which location should define it';
      throw location === undefined
        ? new DefinitionError('E_UNKNOWN_ASSET', message, { hint })
        : new LocationError(location, 'E_UNKNOWN_ASSET', message, { hint });
    }
    const declared = externals.find((e) => e.declared.key === key)?.declared;
    const stand = placeholder(
      key,
      declared as ManifestAsset | undefined,
      `no code location that loaded defines it (not loaded: ${failed})`,
    );
    add(stand, 'no location that loaded');
    return stand;
  };
  for (const { entry, definition } of located) {
    const ins = definition.ins as Record<string, Upstream>;
    for (const [name, input] of Object.entries(entry.ins)) {
      ins[name] =
        (byKey.get(input.key) as Upstream | undefined) ??
        (missing(
          input.key,
          `${entry.key} (${owner.get(entry.key)!.where})`,
          locatedIn(definition),
        ) as Upstream);
    }
  }
  // The project's own assets read located ones through their externalAsset() (linked by key).
  for (const { declared, where } of externals) {
    if (where === 'the project' && !byKey.has(declared.key)) missing(declared.key, 'the project');
  }
  return {
    project: { ...root, assets: [...byKey.values()], pools: pools.all() },
    locationOf,
    unavailableOf,
    problems,
  };
}

/** The project's pools, then each location's: the project's size wins; two locations must agree. */
class Pools {
  private readonly sizes: Record<string, number>;
  private readonly from = new Map<string, string>();

  constructor(private readonly own: Readonly<Record<string, number>>) {
    this.sizes = { ...own };
  }

  add(pools: Readonly<Record<string, number>>, location: string): void {
    for (const [name, size] of Object.entries(pools)) {
      if (Object.hasOwn(this.own, name)) continue;
      const other = this.from.get(name);
      if (other !== undefined && this.sizes[name] !== size) {
        throw new LocationError(
          location,
          'E_DEFINITION',
          `pool '${name}' has ${this.sizes[name]} slots in location '${other}' and ${size} in location '${location}'`,
          {
            hint: `give it one size in the project itself: defineProject({ pools: { ${name}: N } })`,
          },
        );
      }
      this.sizes[name] = size;
      this.from.set(name, location);
    }
  }

  all(): Record<string, number> {
    return { ...this.sizes };
  }
}
