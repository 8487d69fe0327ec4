/**
 * @module graph/partition-mapping/_spec-tag
 * Each built-in mapping remembers how it was made (`lastNMapping(7)` is `{ kind: 'last-n', n: 7 }`),
 * so that a definition loaded in another process (a code location) can be described as data
 * and built again. A mapping of the user's own has no spec: it cannot leave its process.
 */
import type { PartitionMapping } from './mapping.js';

/** How a built-in mapping was made, as JSON. */
export type MappingSpec =
  | { kind: 'identity' }
  | { kind: 'all' }
  | { kind: 'time-window' }
  | { kind: 'last-n'; n: number }
  | { kind: 'static'; map: Record<string, readonly string[]> }
  | { kind: 'dimension'; dimension: string; inner?: MappingSpec };

const SPEC = Symbol.for('weir.mappingSpec');

/** `mapping`, remembering `spec` (not enumerable, so it does not show in the mapping). */
export function withSpec(mapping: PartitionMapping, spec: MappingSpec): PartitionMapping {
  Object.defineProperty(mapping, SPEC, { value: spec, enumerable: false });
  return mapping;
}

/** How `mapping` was made, or undefined for a mapping of the user's own. */
export function mappingSpecOf(mapping: PartitionMapping): MappingSpec | undefined {
  const spec: unknown = Reflect.get(mapping, SPEC);
  return typeof spec === 'object' && spec !== null ? (spec as MappingSpec) : undefined;
}
