/**
 * @module definitions/source-asset
 * `sourceAsset()`: external data Weir observes but does not produce.
 */
import { DefinitionError } from '../errors.js';
import { positiveDuration } from './_spec.js';
import type { PartitionInfo, ResourceValues, StepLogger } from './context.js';
import {
  type FreshnessPolicy,
  type FreshnessSpec,
  type PartitionFreshnessOf,
  validateFreshnessSpec,
} from './freshness.js';
import { assertValidKey } from './keys.js';
import type { AssetAttributes, Metadata } from './metadata.js';
import { type Notification, validateNotifications } from './notification.js';
import { type PartitionsDefinition, validatePartitions } from './partitions/index.js';
import type { ResourceDefinition } from './resource.js';

/** What `observe` returns: a data version (an ETag, a file hash, a max timestamp), optionally with metadata. */
export type ObserveResult = string | { dataVersion: string; metadata?: Metadata };

export interface ObserveContext<
  Res extends ResourceMap = ResourceMap,
  P extends PartitionsDefinition | undefined = PartitionsDefinition | undefined,
> {
  readonly key: string;
  readonly resources: ResourceValues<Res>;
  readonly log: StepLogger;
  readonly signal: AbortSignal;
  /** The partition observed (`observe` runs once per partition); undefined when unpartitioned. */
  readonly partition: P extends PartitionsDefinition ? PartitionInfo : PartitionInfo | undefined;
}

export type ResourceMap = Readonly<Record<string, ResourceDefinition<string, unknown>>>;

/** The value a downstream asset receives for a source asset listed in its `ins`. */
export interface SourceObservation {
  readonly dataVersion: string;
  readonly observedAt: string;
  readonly metadata: Metadata;
}

/** An external artefact Weir observes but does not produce (an API, a bucket, a file, a sensor feed). */
export interface SourceAssetDefinition<K extends string = string>
  extends Readonly<AssetAttributes> {
  readonly kind: 'source';
  readonly key: K;
  readonly resources: ResourceMap;
  /** How old the newest observed change may be. Undefined with a policy per partition. */
  readonly freshness: FreshnessPolicy | undefined;
  /** A policy per partition (`freshness: { partitions }`): each partition's, validated. */
  readonly partitionFreshness?: PartitionFreshnessOf | undefined;
  /**
   * Partitions observed one by one (one agency's export, one day's file): a change restales
   * only the readers of that partition. Undefined: one version for the whole source.
   */
  readonly partitions: PartitionsDefinition | undefined;
  /** How often the daemon observes it by itself (ms); undefined: only when a command or sensor does. */
  readonly observeEveryMs: number | undefined;
  /** Who hears of a failed observation, or of the source being overdue (besides the project's). */
  readonly onFailure: readonly Notification[];
  readonly onOverdue: readonly Notification[];
  readonly observe: (ctx: ObserveContext) => ObserveResult | Promise<ObserveResult>;
}

export interface SourceAssetSpec<
  K extends string,
  Res extends ResourceMap,
  P extends PartitionsDefinition | undefined = undefined,
> extends AssetAttributes {
  key: K;
  resources?: Res;
  /**
   * How old the newest observation may be (`{ maxLag: '1d' }`); or, partitioned, a policy per
   * partition, `{ partitions: (key) => policy | undefined }`, each judged by when that
   * partition's current data version was first observed (docs/partitions.md).
   */
  freshness?: FreshnessSpec;
  partitions?: P;
  /** Observe it on this cadence under `weir daemon` (`'30s'`, `'5m'`), without a sensor. */
  observeEvery?: string | number;
  onFailure?: Notification | readonly Notification[];
  onOverdue?: Notification | readonly Notification[];
  observe: (ctx: ObserveContext<Res, P>) => ObserveResult | Promise<ObserveResult>;
}

/**
 * Declares a source asset.
 *
 * @example
 * const gaugeCsv = sourceAsset({
 *   key: 'raw/gauge_readings_csv',
 *   observe: () => fileVersion('data/gauge_readings.csv'),
 * });
 * // One version per agency: one agency's new export restales only its partition.
 * const exports = sourceAsset({
 *   key: 'raw/agency_exports',
 *   partitions: staticPartitions(['linksf', 'sfsg', 'wa211']),
 *   observe: (ctx) => fileVersion(`data/${ctx.partition.key}.csv`),
 * });
 */
export function sourceAsset<
  const K extends string,
  const Res extends ResourceMap = Record<never, never>,
  const P extends PartitionsDefinition | undefined = undefined,
>(spec: SourceAssetSpec<K, Res, P>): SourceAssetDefinition<K> {
  assertValidKey(spec.key, 'source asset');
  if (typeof spec.observe !== 'function') {
    throw new DefinitionError(
      'E_DEFINITION',
      `source asset '${spec.key}' needs an observe(ctx) function`,
    );
  }
  const owner = `source asset '${spec.key}'`;
  const partitions = validatePartitions(spec.partitions, owner);
  const freshness = validateFreshnessSpec(spec.freshness, owner, partitions !== undefined);
  // Object.assign rather than a spread followed by properties: see asset().
  return Object.assign({}, spec, {
    kind: 'source' as const,
    observeEveryMs:
      spec.observeEvery === undefined
        ? undefined
        : positiveDuration(spec.observeEvery, `${owner} observeEvery`),
    onFailure: validateNotifications(spec.onFailure, `${owner} onFailure`),
    onOverdue: validateNotifications(spec.onOverdue, `${owner} onOverdue`),
    resources: spec.resources ?? {},
    partitions,
    freshness: freshness.freshness,
    partitionFreshness: freshness.partitionFreshness,
    observe: spec.observe as SourceAssetDefinition<K>['observe'],
  });
}
