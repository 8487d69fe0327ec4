/**
 * @module locations/rebuild
 * A located asset built again, in the project's process, from its manifest entry: the same
 * key, edges (linked later, by key), partitions, io, code version and its parts, checks by
 * name, freshness, automation and pool, validated by `asset()` itself. Its functions throw:
 * they run in the location's processes. One whose location did not load says so instead.
 */
import { type AssetDefinition, asset, setDerivedCode } from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import { mappingFromSpec } from '../graph/index.js';
import type { ManifestAsset, ManifestMaterialized } from './manifest.js';

/** Why a rebuilt asset cannot run here: `run` (it runs in its location) or its location's problem. */
export function rebuild(
  entry: ManifestMaterialized,
  location: string,
  unavailable?: string,
): AssetDefinition {
  const elsewhere = () => {
    throw unavailable === undefined
      ? new UserCodeError(
          'E_USER_CODE',
          `${entry.key} runs in code location '${location}', not in this process`,
          { hint: 'run it through the project, which hands it to its location’s processes' },
        )
      : notLoaded(entry.key, unavailable);
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

/**
 * An upstream no location that loaded defines, shaped as an external asset that reads it
 * declares it: its readers read what it last materialized; it cannot run, and says why.
 */
export function placeholder(
  key: string,
  declared: ManifestAsset | undefined,
  why: string,
): AssetDefinition {
  return asset({
    key,
    ...(declared?.partitions === undefined ? {} : { partitions: declared.partitions }),
    ...(declared?.kind === 'asset' ? { io: declared.io } : {}),
    codeVersion: 'unavailable',
    description: `unavailable: ${why}`,
    materialize: () => {
      throw notLoaded(key, why);
    },
  });
}

function notLoaded(key: string, why: string): UserCodeError {
  return new UserCodeError('E_PROJECT_LOAD', `${key} cannot be materialized: ${why}`, {
    hint: 'weir status names what stopped the location from loading; fix that, and run it again',
  });
}
