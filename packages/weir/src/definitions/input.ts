/**
 * @module definitions/input
 * How an asset reads an upstream across partitions: one partition (typed as the upstream's
 * value) or many (typed as a map from partition key to value).
 */
import { DefinitionError } from '../errors.js';
import type { PartitionMapping } from './partitions/index.js';

declare const upstreamType: unique symbol;

/** An input read through a partition mapping; build it with `one()` or `many()`. */
export interface AssetInput<U = unknown, Many extends boolean = boolean> {
  readonly kind: 'input';
  readonly upstream: U;
  /** Undefined: the default mapping for the two assets' partitions. */
  readonly mapping: PartitionMapping | undefined;
  /** True: the step receives a `ReadonlyMap` from partition key to value. */
  readonly many: Many;
  /** True (`many(x, { lastGood: true })`): partitions that fail or have no good version do not stop the step. */
  readonly lastGood: boolean;
  /** Type-level only. */
  readonly [upstreamType]?: U;
}

/**
 * Reads several partitions of `upstream`: the step receives a `ReadonlyMap` from partition
 * key to value, in partition order. Use it for an unpartitioned asset over a partitioned one,
 * a daily asset over hourly data, or a rolling window (`lastNMapping(7)`).
 * @example
 * const weekly = asset({
 *   key: 'gauges/rolling_7d',
 *   partitions: daily,
 *   ins: { days: many(dailyMax, lastNMapping(7)) },
 *   materialize: (ctx, { days }) => mean([...days.values()]), // days: ReadonlyMap<string, number>
 * });
 */
export function many<U>(
  upstream: U,
  mappingOrOptions?: PartitionMapping | ManyOptions,
): AssetInput<U, true> {
  if (
    mappingOrOptions === undefined ||
    typeof mappingOrOptions !== 'object' ||
    mappingOrOptions === null ||
    isMappingLike(mappingOrOptions)
  ) {
    // Not options: checked (and refused when it is not a mapping) as a mapping.
    return input(upstream, mappingOrOptions as PartitionMapping | undefined, true, false);
  }
  const options = mappingOrOptions;
  for (const key of Object.keys(options)) {
    if (key !== 'mapping' && key !== 'lastGood') {
      throw new DefinitionError('E_DEFINITION', `many(): unknown option '${key}'`, {
        hint: 'options are: mapping, lastGood (or pass a partition mapping as the second argument)',
      });
    }
  }
  if (options.lastGood !== undefined && typeof options.lastGood !== 'boolean') {
    throw new DefinitionError('E_DEFINITION', 'many(): lastGood must be true or false');
  }
  return input(upstream, options.mapping, true, options.lastGood ?? false);
}

/** Options of `many()`. */
export interface ManyOptions {
  mapping?: PartitionMapping;
  /**
   * Failure isolation for inputs over independent partitions (one per agency, per station):
   * a partition that fails or is held back by a blocking check in the run does not stop this
   * step, which reads that partition's last good version; a partition with no good version
   * at all is left out of the map. At least one partition it reads must have a version. The
   * step stays stale while a partition it reads is failed, so the gap is never hidden.
   */
  lastGood?: boolean;
}

function isMappingLike(value: object): value is PartitionMapping {
  return 'upstreamFor' in value || 'readsOne' in value || 'description' in value;
}

/**
 * Reads exactly one partition of `upstream` through `mapping`: the step receives its value
 * as is. A mapping that can give a partition several upstream partitions is a definition
 * error that names `many()`.
 * @example
 * ins: { region: one(regions, staticMapping({ CA: 'west', OR: 'west', NY: 'east' })) }
 */
export function one<U>(upstream: U, mapping: PartitionMapping): AssetInput<U, false> {
  return input(upstream, mapping, false, false);
}

function input<U, M extends boolean>(
  upstream: U,
  mapping: PartitionMapping | undefined,
  many: M,
  lastGood: boolean,
): AssetInput<U, M> {
  if (
    mapping !== undefined &&
    (typeof mapping !== 'object' ||
      typeof mapping.upstreamFor !== 'function' ||
      typeof mapping.readsOne !== 'function')
  ) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${many ? 'many' : 'one'}(): the second argument is not a partition mapping`,
      { hint: 'use identityMapping(), timeWindowMapping(), lastNMapping(n), staticMapping({…}) …' },
    );
  }
  return { kind: 'input', upstream, mapping, many, lastGood };
}

export function isAssetInput(value: unknown): value is AssetInput {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'input'
  );
}
