/**
 * @module graph/partition-mapping/mapping
 * How the partitions of a downstream asset read the partitions of an upstream one, in both
 * directions, over bitsets: a backfill asks "which upstream partitions does this range
 * read?", staleness asks "which downstream partitions read this changed one?".
 */
import {
  type PartitionMapping,
  type PartitionSet,
  type PartitionSpace,
  type PartitionsDefinition,
  timeAxis,
} from '../../definitions/index.js';

export type { PartitionMapping, UpstreamPartitions } from '../../definitions/index.js';

import { DefinitionError } from '../../errors.js';

/** Throws the mapping's own complaint about two spaces as a `DefinitionError`. */
export function assertConnects(
  mapping: PartitionMapping,
  up: PartitionSpace,
  down: PartitionSpace,
): void {
  const problem = mapping.validate(up, down);
  if (problem !== undefined) throw new DefinitionError('E_DEFINITION', problem);
}

/** Name of a space's definition for messages. */
export function describeSpace(space: PartitionSpace): string {
  return space.definition?.description ?? 'unpartitioned';
}

/**
 * Adds `[lo, hi)` to `set`, clamped to the space; the indices outside it are recorded in
 * `missing` by key (time windows can name windows outside their space).
 */
export function addClamped(
  set: PartitionSet,
  lo: number,
  hi: number,
  space: PartitionSpace,
  missing: string[],
): void {
  if (hi <= lo) return;
  const from = Math.max(lo, 0);
  const to = Math.min(hi, space.size);
  set.addRange(from, Math.max(from, to));
  if (lo >= from && hi <= to) return;
  const definition = space.definition;
  const keyOf =
    definition?.kind === 'time-window' ? (i: number) => timeAxis(definition).keyOf(i) : undefined;
  if (keyOf === undefined) return;
  for (let i = lo; i < Math.min(hi, 0); i++) missing.push(keyOf(i));
  for (let i = Math.max(lo, space.size); i < hi; i++) missing.push(keyOf(i));
}

/** Structural equality of definitions, descriptions aside. */
export function sameDefinition(
  a: PartitionsDefinition | undefined,
  b: PartitionsDefinition | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'time-window': {
      const o = b as typeof a;
      return (
        a.cadence === o.cadence &&
        a.start === o.start &&
        a.end === o.end &&
        a.timezone === o.timezone &&
        a.offset.minute === o.offset.minute &&
        a.offset.hour === o.offset.hour &&
        a.offset.weekday === o.offset.weekday &&
        a.offset.dayOfMonth === o.offset.dayOfMonth
      );
    }
    case 'static': {
      const o = b as typeof a;
      return a.keys.length === o.keys.length && a.keys.every((k, i) => k === o.keys[i]);
    }
    case 'dynamic':
      return a.name === (b as typeof a).name;
    case 'multi': {
      const o = b as typeof a;
      return (
        a.dimensions.length === o.dimensions.length &&
        a.dimensions.every(
          (d, i) =>
            d.name === o.dimensions[i]?.name &&
            sameDefinition(d.partitions, o.dimensions[i]?.partitions),
        )
      );
    }
  }
}
