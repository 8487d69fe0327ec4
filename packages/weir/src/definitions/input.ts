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
export function many<U>(upstream: U, mapping?: PartitionMapping): AssetInput<U, true> {
  return input(upstream, mapping, true);
}

/**
 * Reads exactly one partition of `upstream` through `mapping`: the step receives its value
 * as is. A mapping that can give a partition several upstream partitions is a definition
 * error that names `many()`.
 * @example
 * ins: { region: one(regions, staticMapping({ CA: 'west', OR: 'west', NY: 'east' })) }
 */
export function one<U>(upstream: U, mapping: PartitionMapping): AssetInput<U, false> {
  return input(upstream, mapping, false);
}

function input<U, M extends boolean>(
  upstream: U,
  mapping: PartitionMapping | undefined,
  many: M,
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
  return { kind: 'input', upstream, mapping, many };
}

export function isAssetInput(value: unknown): value is AssetInput {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'input'
  );
}
