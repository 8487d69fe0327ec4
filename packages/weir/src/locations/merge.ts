/**
 * @module locations/merge
 * One project from a project's own assets and its code locations' manifests: each located
 * asset is built again from its manifest (its functions stay in its location), every edge is
 * linked by key across locations, and each `externalAsset()` is checked against the asset it
 * names (same partitions, same io). A location that failed to load leaves its assets out,
 * and the assets of other locations that read them fail alone, saying why.
 */
import {
  type AnyAssetDefinition,
  type AssetDefinition,
  asset,
  isExternalAsset,
  locatedIn,
  markLocated,
  type ProjectDefinition,
  setDerivedCode,
  type Upstream,
} from '../definitions/index.js';
import { DefinitionError, UserCodeError } from '../errors.js';
import { mappingFromSpec } from '../graph/index.js';
import {
  type LocationManifest,
  MANIFEST_VERSION,
  type ManifestAsset,
  type ManifestMaterialized,
} from './manifest.js';

/** A location as its process loaded it: its manifest, or why it could not be loaded. */
export type LoadedLocation =
  | { name: string; folder: string; manifest: LocationManifest }
  | { name: string; folder: string; problem: string };

export interface MergedProject {
  project: ProjectDefinition;
  /** The location of each located asset, by key (the project's own assets are not listed). */
  locationOf: ReadonlyMap<string, string>;
  /** Locations that could not be loaded, with why: their assets are left out. */
  problems: { location: string; problem: string }[];
}

const LOCATION = Symbol.for('weir.location');

/** The code location whose process runs `definition`, or undefined for the project's own. */
export function locationOfDefinition(definition: object): string | undefined {
  const found: unknown = Reflect.get(definition, LOCATION);
  return typeof found === 'string' ? found : undefined;
}

export function mergeLocations(
  root: ProjectDefinition,
  locations: readonly LoadedLocation[],
): MergedProject {
  const byKey = new Map<string, AnyAssetDefinition>();
  const owner = new Map<string, string>();
  const locationOf = new Map<string, string>();
  const problems: MergedProject['problems'] = [];
  const add = (definition: AnyAssetDefinition, where: string) => {
    const other = owner.get(definition.key);
    if (other !== undefined) {
      throw new DefinitionError(
        'E_DUPLICATE_KEY',
        `${definition.key} is defined by ${other} and by ${where}`,
        {
          hint: 'an asset belongs to one location: read it from the other with externalAsset(key)',
        },
      );
    }
    owner.set(definition.key, where);
    byKey.set(definition.key, definition);
  };
  for (const definition of root.assets) {
    if (!isExternalAsset(definition)) add(definition, 'the project');
  }
  const located: { entry: ManifestMaterialized; definition: AssetDefinition }[] = [];
  const externals: { entry: ManifestAsset; location: string }[] = [];
  let pools = { ...root.pools };
  for (const location of locations) {
    if ('problem' in location) {
      problems.push({ location: location.name, problem: location.problem });
      continue;
    }
    const { manifest, name } = location;
    if (manifest.v !== MANIFEST_VERSION) {
      problems.push({
        location: name,
        problem: `its process describes its assets in version ${manifest.v}, this weir reads version ${MANIFEST_VERSION}: run one version of weir in every location`,
      });
      continue;
    }
    pools = { ...manifest.pools, ...pools };
    for (const entry of manifest.assets) {
      if (entry.external) {
        externals.push({ entry, location: name });
        continue;
      }
      const definition = rebuild(entry, name);
      markLocated(definition, name);
      add(definition, `location '${name}'`);
      locationOf.set(entry.key, name);
      located.push({ entry, definition });
    }
  }
  const failed = problems.map((p) => p.location);
  for (const { entry, location } of externals) checkExternal(entry, location, byKey, owner);
  const declared = new Map(externals.map(({ entry }) => [entry.key, entry]));
  const unavailable = (key: string): AssetDefinition => {
    const placeholder = unavailableAsset(key, failed, declared.get(key));
    add(placeholder, 'no location that loaded');
    return placeholder;
  };
  for (const { entry, definition } of located) {
    const ins = definition.ins as Record<string, Upstream>;
    for (const [name, input] of Object.entries(entry.ins)) {
      const upstream = byKey.get(input.key);
      if (upstream !== undefined) ins[name] = upstream;
      else if (failed.length > 0) ins[name] = unavailable(input.key);
      else {
        throw new DefinitionError(
          'E_UNKNOWN_ASSET',
          `${entry.key} (location '${locatedIn(definition)}') reads ${input.key}, which no location defines`,
        );
      }
    }
  }
  // The project's own assets read located ones through their externalAsset(): keys match.
  return {
    project: { ...root, assets: [...byKey.values()], pools },
    locationOf,
    problems,
  };
}

/** A located asset built again from its manifest entry; its functions throw. */
function rebuild(entry: ManifestMaterialized, location: string): AssetDefinition {
  const elsewhere = () => {
    throw new UserCodeError(
      'E_USER_CODE',
      `${entry.key} runs in code location '${location}', not in this process`,
      { hint: 'run it through the project, which hands it to its location’s processes' },
    );
  };
  const ins: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(entry.ins)) {
    // Linked to the real upstream once every location is built (mergeLocations).
    const upstream = { kind: 'asset', key: input.key };
    ins[name] =
      !input.many && input.mapping === undefined && !input.lastGood
        ? upstream
        : {
            kind: 'input',
            upstream,
            many: input.many,
            lastGood: input.lastGood,
            mapping: input.mapping === undefined ? undefined : mappingFromSpec(input.mapping),
          };
  }
  const definition = asset({
    ...entry.attributes,
    key: entry.key,
    ins,
    ...(entry.partitions === undefined ? {} : { partitions: entry.partitions }),
    backfillPolicy: entry.backfillPolicy,
    deps: entry.deps,
    io: entry.io,
    ...(entry.codeVersion === undefined ? {} : { codeVersion: entry.codeVersion }),
    retry: entry.retry,
    checks: entry.checks.map((check) => ({ kind: 'check', ...check, evaluate: elsewhere })),
    ...(entry.freshness === undefined ? {} : { freshness: entry.freshness }),
    ...(entry.automation === undefined ? {} : { automation: entry.automation }),
    ...(entry.pool === undefined ? {} : { pool: entry.pool, slots: entry.slots }),
    onFailure: entry.onFailure,
    onOverdue: entry.onOverdue,
    materialize: elsewhere,
  } as unknown as Parameters<typeof asset>[0]);
  if (entry.derived !== undefined) setDerivedCode(definition, entry.derived);
  return definition;
}

/** An external asset must name an asset some location defines, as that location defines it. */
function checkExternal(
  entry: ManifestAsset,
  location: string,
  byKey: ReadonlyMap<string, AnyAssetDefinition>,
  owner: ReadonlyMap<string, string>,
): void {
  const real = byKey.get(entry.key);
  if (real === undefined) return; // missing: see the readers
  const differs =
    real.kind !== entry.kind
      ? `a kind: it reads a${entry.kind === 'source' ? ' source' : 'n asset'}, there it is a${real.kind === 'source' ? ' source' : 'n asset'} (use ${real.kind === 'source' ? 'externalSource' : 'externalAsset'})`
      : JSON.stringify(real.partitions ?? null) !== JSON.stringify(entry.partitions ?? null)
        ? 'partitions'
        : real.kind === 'asset' && entry.kind === 'asset' && real.io !== entry.io
          ? `io ('${entry.io}' here, '${real.io}' there)`
          : undefined;
  if (differs !== undefined) {
    throw new DefinitionError(
      'E_DEFINITION',
      `location '${location}' reads ${entry.key} with other ${differs} than ${owner.get(entry.key)} defines it with`,
      { hint: `declare externalAsset('${entry.key}', { … }) as its own location defines it` },
    );
  }
}

/**
 * An upstream whose location could not be loaded, shaped as the external asset that reads it
 * declares it: its readers still read what it last materialized; it cannot run, and says why.
 */
function unavailableAsset(
  key: string,
  failed: readonly string[],
  declared: ManifestAsset | undefined,
): AssetDefinition {
  const list = failed.map((name) => `'${name}'`).join(', ');
  return asset({
    key,
    ...(declared?.partitions === undefined ? {} : { partitions: declared.partitions }),
    ...(declared?.kind === 'asset' ? { io: declared.io } : {}),
    codeVersion: 'unavailable',
    description: `no code location that loaded defines it (not loaded: ${list})`,
    materialize: () => {
      throw new UserCodeError(
        'E_PROJECT_LOAD',
        `${key} cannot be materialized: no code location that loaded defines it (not loaded: ${list})`,
        { hint: 'weir status names what stopped each location from loading; fix that first' },
      );
    },
  });
}
