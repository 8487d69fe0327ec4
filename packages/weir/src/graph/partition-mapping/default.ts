/**
 * @module graph/partition-mapping/default
 * The mapping an edge gets when its definition names none.
 */
import type { PartitionSpace } from '../../definitions/index.js';
import { DefinitionError } from '../../errors.js';
import { allPartitionsMapping } from './all.js';
import { dimensionMapping } from './dimension.js';
import { identityMapping } from './identity.js';
import { describeSpace, type PartitionMapping, sameDefinition } from './mapping.js';
import { timeWindowMapping } from './time-window.js';

/**
 * Identity for the same definition (or both unpartitioned); every partition when one side
 * is unpartitioned; overlapping windows between time windows; the shared dimension when
 * one side is multi partitions and the other has the same definition as one of its
 * dimensions (or both are time windows). Anything else must be given.
 * @example
 * const mapping = defaultMapping(hourlySpace, dailySpace); // timeWindowMapping()
 */
export function defaultMapping(up: PartitionSpace, down: PartitionSpace): PartitionMapping {
  const a = up.definition;
  const b = down.definition;
  if (a === undefined && b === undefined) return identityMapping();
  if (a === undefined || b === undefined) return allPartitionsMapping();
  if (sameDefinition(a, b)) return identityMapping();
  if (a.kind === 'time-window' && b.kind === 'time-window') return timeWindowMapping();
  const multi = up.dimensions ?? down.dimensions;
  if (multi !== undefined && (up.dimensions === undefined || down.dimensions === undefined)) {
    const single = up.dimensions === undefined ? a : b;
    const shared =
      multi.find((d) => sameDefinition(d.space.definition, single)) ??
      multi.find(
        (d) => d.space.definition?.kind === 'time-window' && single.kind === 'time-window',
      );
    if (shared !== undefined) return dimensionMapping(shared.name);
  }
  throw new DefinitionError(
    'E_DEFINITION',
    `No default partition mapping from ${describeSpace(up)} (upstream) to ${describeSpace(down)} (downstream): give one, such as staticMapping({…}), dimensionMapping(name) or allPartitionsMapping()`,
  );
}
