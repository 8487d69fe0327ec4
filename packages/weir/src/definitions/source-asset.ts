/**
 * @module definitions/source-asset
 * `sourceAsset()`: external data Weir observes but does not produce.
 */
import { DefinitionError } from '../errors.js';
import type { ResourceValues, StepLogger } from './context.js';
import { type FreshnessPolicy, validateFreshnessPolicy } from './freshness.js';
import { assertValidKey } from './keys.js';
import type { AssetAttributes, Metadata } from './metadata.js';
import type { ResourceDefinition } from './resource.js';

/** What `observe` returns: a data version (an ETag, a file hash, a max timestamp), optionally with metadata. */
export type ObserveResult = string | { dataVersion: string; metadata?: Metadata };

export interface ObserveContext<Res extends ResourceMap = ResourceMap> {
  readonly key: string;
  readonly resources: ResourceValues<Res>;
  readonly log: StepLogger;
  readonly signal: AbortSignal;
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
  /** How old the newest observed change may be. */
  readonly freshness: FreshnessPolicy | undefined;
  readonly observe: (ctx: ObserveContext) => ObserveResult | Promise<ObserveResult>;
}

export interface SourceAssetSpec<K extends string, Res extends ResourceMap>
  extends AssetAttributes {
  key: K;
  resources?: Res;
  freshness?: FreshnessPolicy;
  observe: (ctx: ObserveContext<Res>) => ObserveResult | Promise<ObserveResult>;
}

/**
 * Declares a source asset.
 *
 * @example
 * const gaugeCsv = sourceAsset({
 *   key: 'raw/gauge_readings_csv',
 *   observe: () => fileVersion('data/gauge_readings.csv'),
 * });
 */
export function sourceAsset<
  const K extends string,
  const Res extends ResourceMap = Record<never, never>,
>(spec: SourceAssetSpec<K, Res>): SourceAssetDefinition<K> {
  assertValidKey(spec.key, 'source asset');
  if (typeof spec.observe !== 'function') {
    throw new DefinitionError(
      'E_DEFINITION',
      `source asset '${spec.key}' needs an observe(ctx) function`,
    );
  }
  return {
    ...spec,
    kind: 'source',
    resources: spec.resources ?? {},
    freshness:
      spec.freshness === undefined
        ? undefined
        : validateFreshnessPolicy(spec.freshness, `source asset '${spec.key}'`),
    observe: spec.observe as SourceAssetDefinition<K>['observe'],
  };
}
