/**
 * @module locations/manifest
 * What a code location's process tells the project about its assets, as JSON: everything
 * planning, status, `why` and automation read (keys, edges and their partition mappings,
 * partitions, io, code versions and their parts, checks by name, freshness, automation,
 * pools), and nothing that runs (materialize, check and observe functions stay in the
 * location). What cannot be said as data — a partition mapping or a freshness policy per
 * partition that is a function of the user's own — is refused with the asset's name.
 */
import {
  type AnyAssetDefinition,
  type AssetAttributes,
  type AutomationCondition,
  type BackfillPolicy,
  type CheckHistoryScope,
  type CheckSeverity,
  type FreshnessPolicy,
  type IoFormat,
  isExternalAsset,
  jsonProblem,
  type Notification,
  type PartitionsDefinition,
  type ProjectDefinition,
  type RetryPolicy,
} from '../definitions/index.js';
import { DefinitionError } from '../errors.js';
import { type MappingSpec, mappingSpecOf } from '../graph/index.js';
import { codePartsOf, codeVersionOf } from '../versioning/index.js';

/** The version of the manifest's shape: a project refuses a location's manifest of another. */
export const MANIFEST_VERSION = 1;

export interface LocationManifest {
  v: typeof MANIFEST_VERSION;
  assets: ManifestAsset[];
  /** The location's own pools (`defineProject({ pools })`); the project's win where both name one. */
  pools: Record<string, number>;
}

export interface ManifestInput {
  key: string;
  many: boolean;
  lastGood: boolean;
  /** Undefined: the default mapping for the two assets' partitions. */
  mapping?: MappingSpec;
}

export interface ManifestCheck {
  name: string;
  description?: string;
  severity: CheckSeverity;
  blocking: boolean;
  history: CheckHistoryScope;
}

interface ManifestCommon {
  key: string;
  attributes: AssetAttributes;
  partitions?: PartitionsDefinition;
  freshness?: FreshnessPolicy;
  onFailure: Notification[];
  onOverdue: Notification[];
}

export interface ManifestMaterialized extends ManifestCommon {
  kind: 'asset';
  /** An `externalAsset()`: another location materializes it. */
  external: boolean;
  ins: Record<string, ManifestInput>;
  deps: string[];
  backfillPolicy: BackfillPolicy;
  io: IoFormat;
  /** Set only when the definition sets it; else `derived` holds the location's derived one. */
  codeVersion?: string;
  derived?: { version: string; parts: Record<string, string> };
  retry: Required<RetryPolicy>;
  checks: ManifestCheck[];
  automation?: AutomationCondition;
  pool?: string;
  slots: number;
}

/** An `externalSource()`: a source of the project a location reads. */
export interface ManifestExternalSource extends ManifestCommon {
  kind: 'source';
  external: true;
}

export type ManifestAsset = ManifestMaterialized | ManifestExternalSource;

/** Describes a location's project (loaded, code versions derived) as its manifest. */
export function describeLocation(project: ProjectDefinition): LocationManifest {
  const automation = [
    ...project.sensors.map((s) => `sensor '${s.name}'`),
    ...project.schedules.map((s) => `schedule '${s.name}'`),
    ...project.apps.map((a) => `app '${a.name}'`),
    ...(project.notifications.onFailure.length + project.notifications.onOverdue.length > 0
      ? ['notifications']
      : []),
  ];
  if (automation.length > 0) {
    throw new DefinitionError(
      'E_DEFINITION',
      `a code location defines ${automation.join(', ')}, which only the project that lists the locations runs`,
      { hint: 'move them to that project: they name assets by key, wherever the assets are' },
    );
  }
  return {
    v: MANIFEST_VERSION,
    assets: project.assets.map(describeAsset),
    pools: { ...project.pools },
  };
}

function describeAsset(definition: AnyAssetDefinition): ManifestAsset {
  const common: ManifestCommon = {
    key: definition.key,
    attributes: attributesOf(definition),
    ...(definition.partitions === undefined ? {} : { partitions: definition.partitions }),
    ...(definition.freshness === undefined ? {} : { freshness: definition.freshness }),
    onFailure: [...definition.onFailure],
    onOverdue: [...definition.onOverdue],
  };
  if (definition.partitionFreshness !== undefined) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${definition.key} has a freshness policy per partition (a function), which a code location cannot hand to its project`,
      { hint: 'give it one policy ({ maxLag } or { cron }), or define it in the project itself' },
    );
  }
  if (definition.kind === 'source' && isExternalAsset(definition)) {
    return { ...common, kind: 'source', external: true };
  }
  if (definition.kind === 'source') {
    // Sources are observed where runs are planned (every status and run does), so they live
    // in the project that lists the locations; its locations read them with externalAsset().
    throw new DefinitionError(
      'E_DEFINITION',
      `source asset ${definition.key} is defined in a code location; sources are observed by the project that lists the locations`,
      {
        hint: 'move the sourceAsset() to that project; locations that read it declare externalAsset(key)',
      },
    );
  }
  const ins: Record<string, ManifestInput> = {};
  for (const [name, upstream] of Object.entries(definition.ins)) {
    const mode = definition.inputModes[name]!;
    const mapping = mode.mapping === undefined ? undefined : mappingSpecOf(mode.mapping);
    if (mode.mapping !== undefined && mapping === undefined) {
      throw new DefinitionError(
        'E_DEFINITION',
        `${definition.key} input '${name}' reads through a partition mapping of your own, which a code location cannot hand to its project`,
        {
          hint: 'use a built-in mapping (identityMapping, timeWindowMapping, lastNMapping, staticMapping, dimensionMapping, allPartitionsMapping)',
        },
      );
    }
    ins[name] = {
      key: upstream.key,
      many: mode.many,
      lastGood: mode.lastGood,
      ...(mapping === undefined ? {} : { mapping }),
    };
  }
  const external = isExternalAsset(definition);
  const explicit = definition.codeVersion;
  return {
    ...common,
    kind: 'asset',
    external,
    ins,
    deps: [...definition.deps],
    backfillPolicy: definition.backfillPolicy,
    io: definition.io,
    ...(explicit === undefined
      ? {
          derived: {
            version: codeVersionOf(definition),
            parts: { ...(codePartsOf(definition) ?? {}) },
          },
        }
      : { codeVersion: explicit }),
    retry: definition.retry,
    checks: definition.checks.map((c) => ({
      name: c.name,
      ...(c.description === undefined ? {} : { description: c.description }),
      severity: c.severity,
      blocking: c.blocking,
      history: c.history,
    })),
    ...(definition.automation === undefined ? {} : { automation: definition.automation }),
    ...(definition.pool === undefined ? {} : { pool: definition.pool }),
    slots: definition.slots,
  };
}

/** Metadata crosses to the project as JSON: what JSON cannot hold is refused, naming the asset. */
function jsonMetadata(key: string, metadata: NonNullable<AssetAttributes['metadata']>) {
  const problem = jsonProblem(metadata);
  if (problem !== undefined) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${key}'s metadata cannot be handed to the project as JSON: ${problem}`,
      { hint: 'give metadata JSON values (a BigInt as a string, say)' },
    );
  }
  return metadata;
}

function attributesOf(definition: AnyAssetDefinition): AssetAttributes {
  const { description, owners, group, kinds, tags, metadata } = definition;
  return {
    ...(description === undefined ? {} : { description }),
    ...(owners === undefined ? {} : { owners: [...owners] }),
    ...(group === undefined ? {} : { group }),
    ...(kinds === undefined ? {} : { kinds: [...kinds] }),
    ...(tags === undefined ? {} : { tags: { ...tags } }),
    ...(metadata === undefined ? {} : { metadata: jsonMetadata(definition.key, metadata) }),
  };
}
