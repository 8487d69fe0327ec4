/**
 * @module graph/partition-mapping/static
 * An explicit table from downstream keys to the upstream keys they read.
 */
import { PartitionSet, type PartitionSpace } from '../../definitions/index.js';
import { DefinitionError } from '../../errors.js';
import { withSpec } from './_spec-tag.js';
import { assertConnects, describeSpace, type PartitionMapping } from './mapping.js';

/**
 * Each downstream key reads the upstream keys listed for it; a downstream key not in the
 * table reads nothing. An upstream key that does not exist is reported missing.
 * @example
 * // regions read the states they are made of
 * const mapping = staticMapping({ west: ['CA', 'OR', 'WA'], east: ['NY', 'MA'] });
 */
export function staticMapping(map: Record<string, string | readonly string[]>): PartitionMapping {
  const table = new Map<string, readonly string[]>();
  const inverse = new Map<string, string[]>();
  for (const [down, value] of Object.entries(map ?? {})) {
    const ups = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(ups) || ups.some((u) => typeof u !== 'string' || u === '')) {
      throw new DefinitionError(
        'E_DEFINITION',
        `staticMapping: downstream key '${down}' must map to an upstream key or a list of them`,
      );
    }
    table.set(down, ups);
    for (const up of ups) {
      const list = inverse.get(up);
      if (list === undefined) inverse.set(up, [down]);
      else if (!list.includes(down)) list.push(down);
    }
  }
  const mapping: PartitionMapping = {
    description: `a static table of ${table.size} downstream key${table.size === 1 ? '' : 's'}`,
    validate: (up, down) => validateStatic(table, inverse, up, down),
    readsOne: () => [...table.values()].every((ups) => ups.length <= 1),
    newestRead(values, up, down) {
      assertConnects(mapping, up, down);
      const out = new Float64Array(down.size);
      for (let d = 0; d < down.size; d++) {
        for (const key of table.get(down.keyAt(d)) ?? []) {
          const j = up.indexOf(key);
          if (j >= 0 && values[j]! > out[d]!) out[d] = values[j]!;
        }
      }
      return out;
    },
    upstreamFor(downstream, down, up) {
      assertConnects(mapping, up, down);
      const partitions = PartitionSet.empty(up.size);
      const missing: string[] = [];
      for (const i of downstream.indices()) {
        for (const key of table.get(down.keyAt(i)) ?? []) {
          const j = up.indexOf(key);
          if (j < 0) {
            if (!missing.includes(key)) missing.push(key);
          } else partitions.add(j);
        }
      }
      return { partitions, missing };
    },
    downstreamFor(upstream, up, down) {
      assertConnects(mapping, up, down);
      const partitions = PartitionSet.empty(down.size);
      for (const i of upstream.indices()) {
        for (const key of inverse.get(up.keyAt(i)) ?? []) {
          const j = down.indexOf(key);
          if (j >= 0) partitions.add(j);
        }
      }
      return partitions;
    },
  };
  return withSpec(mapping, { kind: 'static', map: Object.fromEntries(table) });
}

function validateStatic(
  table: Map<string, readonly string[]>,
  inverse: Map<string, string[]>,
  up: PartitionSpace,
  down: PartitionSpace,
): string | undefined {
  if (up.definition === undefined || down.definition === undefined) {
    return `staticMapping connects two partitioned assets, not ${describeSpace(up)} (upstream) to ${describeSpace(down)} (downstream): use allPartitionsMapping()`;
  }
  const unknown = (keys: Iterable<string>, space: PartitionSpace) =>
    space.definition?.kind === 'static' ? [...keys].filter((k) => space.indexOf(k) < 0) : [];
  const badDown = unknown(table.keys(), down);
  if (badDown.length > 0) {
    return `staticMapping names downstream keys that are not partitions of ${describeSpace(down)}: ${badDown.join(', ')}`;
  }
  const badUp = unknown(inverse.keys(), up);
  if (badUp.length > 0) {
    return `staticMapping names upstream keys that are not partitions of ${describeSpace(up)}: ${badUp.join(', ')}`;
  }
  return undefined;
}
