/**
 * @module definitions/partitions/space
 * A definition resolved at one moment (`now`, the current dynamic keys) to an indexable
 * space: partitions are numbered `0 … size-1` in key order, so sets of them are bitsets.
 */
import { InvariantError } from '../../errors.js';
import type { PartitionInfo } from '../context.js';
import { timeAxis } from './_time-axis.js';
import type { PartitionsDefinition, TimeWindowPartitionsDefinition } from './definitions.js';

/** One dimension of a multi-partitioned space. */
export interface PartitionDimension {
  readonly name: string;
  readonly space: PartitionSpace;
}

/**
 * The partitions of a definition at one moment, numbered from 0.
 * @example
 * const space = resolvePartitionSpace(dailyPartitions({ start: '2024-01-01' }), {
 *   now: Date.parse('2024-01-03T12:00:00Z'),
 *   dynamicKeys: () => [],
 * });
 * space.size; // 2: 2024-01-01 and 2024-01-02 have ended, 2024-01-03 has not
 * space.keyAt(1); // '2024-01-02'
 */
export interface PartitionSpace {
  /** Undefined for an unpartitioned asset: size 1, key `''`. */
  readonly definition: PartitionsDefinition | undefined;
  readonly size: number;
  /** The key of a partition; throws for an index outside `[0, size)`. */
  keyAt(index: number): string;
  /** The index of a key, or -1 when it is not a partition of this space. */
  indexOf(key: string): number;
  /** Time windows (and the time dimension of multi) only: `[start, end)` in epoch ms. */
  windowAt(index: number): { start: number; end: number } | undefined;
  /** Multi only: the two dimensions; `index = i0 * dimensions[1].space.size + i1`. */
  readonly dimensions?: readonly [PartitionDimension, PartitionDimension];
}

/** What resolution needs from outside: the time, and the current keys of dynamic sets. */
export interface PartitionSpaceContext {
  now: number;
  /** Keys of a dynamic partitions definition, in the order they were added. */
  dynamicKeys: (name: string) => readonly string[];
}

/**
 * The space of a definition at `context.now`. A time-window space holds the windows that
 * have completely ended by `now` and by the definition's `end`.
 */
export function resolvePartitionSpace(
  definition: PartitionsDefinition | undefined,
  context: PartitionSpaceContext,
): PartitionSpace {
  if (definition === undefined) return UNPARTITIONED_SPACE;
  switch (definition.kind) {
    case 'time-window':
      return timeSpace(definition, context.now);
    case 'static':
      return keyedSpace(definition, definition.keys);
    case 'dynamic':
      return keyedSpace(definition, unique(context.dynamicKeys(definition.name)));
    case 'multi': {
      const [a, b] = definition.dimensions;
      if (a === undefined || b === undefined || definition.dimensions.length !== 2) {
        throw new InvariantError(`${definition.description} does not have exactly 2 dimensions`);
      }
      const first = { name: a.name, space: resolvePartitionSpace(a.partitions, context) };
      const second = { name: b.name, space: resolvePartitionSpace(b.partitions, context) };
      return multiSpace(definition, first, second);
    }
  }
}

/** The space of an unpartitioned asset: one partition, key `''`. */
export const UNPARTITIONED_SPACE: PartitionSpace = {
  definition: undefined,
  size: 1,
  keyAt: (index) => {
    outside(index, 1, 'an unpartitioned asset');
    return '';
  },
  indexOf: (key) => (key === '' ? 0 : -1),
  windowAt: () => undefined,
};

function outside(index: number, size: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new InvariantError(`Partition index ${index} is outside [0, ${size}) of ${what}`);
  }
}

function timeSpace(definition: TimeWindowPartitionsDefinition, now: number): PartitionSpace {
  const axis = timeAxis(definition);
  const size = axis.sizeAt(now);
  return {
    definition,
    size,
    keyAt(index) {
      outside(index, size, definition.description);
      return axis.keyOf(index);
    },
    indexOf(key) {
      const index = axis.indexOfKey(key);
      return index !== undefined && index >= 0 && index < size ? index : -1;
    },
    windowAt(index) {
      outside(index, size, definition.description);
      return { start: axis.startOf(index), end: axis.startOf(index + 1) };
    },
  };
}

function unique(keys: readonly string[]): readonly string[] {
  return new Set(keys).size === keys.length ? keys : [...new Set(keys)];
}

function keyedSpace(definition: PartitionsDefinition, keys: readonly string[]): PartitionSpace {
  let positions: Map<string, number> | undefined;
  return {
    definition,
    size: keys.length,
    keyAt(index) {
      outside(index, keys.length, definition.description);
      return keys[index]!;
    },
    indexOf(key) {
      positions ??= new Map(keys.map((k, i) => [k, i]));
      return positions.get(key) ?? -1;
    },
    windowAt: () => undefined,
  };
}

function multiSpace(
  definition: PartitionsDefinition,
  first: PartitionDimension,
  second: PartitionDimension,
): PartitionSpace {
  const inner = second.space.size;
  const size = first.space.size * inner;
  const timeDimension =
    first.space.definition?.kind === 'time-window'
      ? 0
      : second.space.definition?.kind === 'time-window'
        ? 1
        : -1;
  return {
    definition,
    size,
    dimensions: [first, second],
    keyAt(index) {
      outside(index, size, definition.description);
      const i0 = Math.floor(index / inner);
      return `${first.space.keyAt(i0)}|${second.space.keyAt(index - i0 * inner)}`;
    },
    indexOf(key) {
      const bar = key.indexOf('|');
      if (bar < 0 || key.indexOf('|', bar + 1) >= 0) return -1;
      const i0 = first.space.indexOf(key.slice(0, bar));
      const i1 = second.space.indexOf(key.slice(bar + 1));
      return i0 < 0 || i1 < 0 ? -1 : i0 * inner + i1;
    },
    windowAt(index) {
      outside(index, size, definition.description);
      const i0 = Math.floor(index / inner);
      if (timeDimension === 0) return first.space.windowAt(i0);
      if (timeDimension === 1) return second.space.windowAt(index - i0 * inner);
      return undefined;
    },
  };
}

/** What `ctx.partition` tells of partition `index` of `space`: its key, window and dimensions. */
export function partitionInfoAt(space: PartitionSpace, index: number): PartitionInfo {
  const key = space.keyAt(index);
  const window = space.windowAt(index);
  const info: { -readonly [K in keyof PartitionInfo]: PartitionInfo[K] } = { key };
  if (window !== undefined) {
    info.start = new Date(window.start);
    info.end = new Date(window.end);
  }
  const dims = space.dimensions;
  if (dims !== undefined) {
    const [a, b] = key.split('|');
    info.dimensions = { [dims[0].name]: a!, [dims[1].name]: b! };
  }
  return info;
}
