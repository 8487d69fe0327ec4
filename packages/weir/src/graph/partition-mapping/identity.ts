/**
 * @module graph/partition-mapping/identity
 * A partition reads the upstream partition with the same key.
 */
import { PartitionSet, type PartitionSpace, timeAxis } from '../../definitions/index.js';
import { withSpec } from './_spec-tag.js';
import {
  addClamped,
  assertConnects,
  describeSpace,
  type PartitionMapping,
  sameDefinition,
} from './mapping.js';
import { shifted } from './newest-read.js';

/**
 * Each partition reads the upstream partition with the same key: for the same definition,
 * time windows of the same cadence, zone and offset (starts may differ), or static and
 * dynamic sets sharing keys (a key the upstream lacks is reported missing).
 * @example
 * const mapping = identityMapping();
 * mapping.upstreamFor(PartitionSet.fromRanges(down.size, [[0, 7]]), down, up).partitions;
 */
export function identityMapping(): PartitionMapping {
  const mapping: PartitionMapping = {
    description: 'the upstream partition with the same key',
    validate: (up, down) => validateIdentity(up, down),
    readsOne: () => true,
    newestRead(values, up, down) {
      assertConnects(mapping, up, down);
      const shift = indexShift(down, up);
      if (shift !== undefined) return shifted(values, down.size, shift);
      const out = new Float64Array(down.size);
      for (let d = 0; d < down.size; d++) {
        const j = up.indexOf(down.keyAt(d));
        if (j >= 0) out[d] = values[j]!;
      }
      return out;
    },
    upstreamFor(downstream, down, up) {
      assertConnects(mapping, up, down);
      const partitions = PartitionSet.empty(up.size);
      const missing: string[] = [];
      const shift = indexShift(down, up);
      if (shift !== undefined) {
        for (const [a, b] of downstream.ranges())
          addClamped(partitions, a + shift, b + shift, up, missing);
        return { partitions, missing };
      }
      for (const i of downstream.indices()) {
        const key = down.keyAt(i);
        const j = up.indexOf(key);
        if (j < 0) missing.push(key);
        else partitions.add(j);
      }
      return { partitions, missing };
    },
    downstreamFor(upstream, up, down) {
      assertConnects(mapping, up, down);
      const partitions = PartitionSet.empty(down.size);
      const shift = indexShift(up, down);
      if (shift !== undefined) {
        for (const [a, b] of upstream.ranges())
          addClamped(partitions, a + shift, b + shift, down, []);
        return partitions;
      }
      for (const i of upstream.indices()) {
        const j = down.indexOf(up.keyAt(i));
        if (j >= 0) partitions.add(j);
      }
      return partitions;
    },
  };
  return withSpec(mapping, { kind: 'identity' });
}

/** `to`'s index of `from`'s index 0, when keys map by arithmetic. */
function indexShift(from: PartitionSpace, to: PartitionSpace): number | undefined {
  const a = from.definition;
  const b = to.definition;
  if (a?.kind === 'time-window' && b?.kind === 'time-window') {
    const fromAxis = timeAxis(a);
    const toAxis = timeAxis(b);
    if (fromAxis.family === toAxis.family) return toAxis.containing(fromAxis.startOf(0));
  }
  // Same definition resolved from the same context: the same numbering.
  if (!sameDefinition(a, b) || from.size !== to.size) return undefined;
  const [f0, f1] = from.dimensions ?? [];
  const [t0, t1] = to.dimensions ?? [];
  return f0?.space.size === t0?.space.size && f1?.space.size === t1?.space.size ? 0 : undefined;
}

function validateIdentity(up: PartitionSpace, down: PartitionSpace): string | undefined {
  const a = up.definition;
  const b = down.definition;
  const problem = `identity mapping cannot connect ${describeSpace(up)} (upstream) to ${describeSpace(down)} (downstream)`;
  if (a === undefined || b === undefined) {
    return a === b
      ? undefined
      : `${problem}: use allPartitionsMapping() when one side is unpartitioned`;
  }
  if (a.kind === 'time-window' || b.kind === 'time-window') {
    if (a.kind !== 'time-window' || b.kind !== 'time-window') return problem;
    return timeAxis(a).family === timeAxis(b).family
      ? undefined
      : `${problem}: their windows differ; use timeWindowMapping()`;
  }
  if ((a.kind === 'multi') !== (b.kind === 'multi')) {
    return `${problem}: use dimensionMapping(name) to read one dimension of multi partitions`;
  }
  if (a.kind === 'multi' && b.kind === 'multi') {
    const names = (d: typeof a) => d.dimensions.map((x) => x.name).join('|');
    if (names(a) !== names(b)) return `${problem}: their dimensions differ`;
    const [u0, u1] = up.dimensions ?? [];
    const [d0, d1] = down.dimensions ?? [];
    if (u0 && u1 && d0 && d1)
      return validateIdentity(u0.space, d0.space) ?? validateIdentity(u1.space, d1.space);
  }
  return undefined;
}
