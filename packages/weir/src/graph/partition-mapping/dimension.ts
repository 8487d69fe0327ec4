/**
 * @module graph/partition-mapping/dimension
 * One dimension of a multi-partitioned asset connected to a single-dimension asset.
 */
import {
  type PartitionDimension,
  PartitionSet,
  type PartitionSpace,
} from '../../definitions/index.js';
import { mappingSpecOf, withSpec } from './_spec-tag.js';
import { identityMapping } from './identity.js';
import { assertConnects, describeSpace, type PartitionMapping, sameDefinition } from './mapping.js';
import { newestRead } from './newest-read.js';
import { timeWindowMapping } from './time-window.js';

interface Sides {
  /** The multi-partitioned side and the index of `dimension` in it. */
  multi: PartitionSpace;
  at: 0 | 1;
  dim: PartitionDimension;
  inner: PartitionMapping;
}

/**
 * Connects multi partitions (date × station) to a single-dimension asset through the
 * dimension `dimension`, in either direction: a `date|station` partition reads the daily
 * upstream partition of its date, or a daily partition reads every station of its date.
 * `inner` maps that dimension (default: identity for the same definition, else
 * `timeWindowMapping()` between time windows).
 * @example
 * const perStationDay = dimensionMapping('date'); // reads the day of the same date
 * const rolling = dimensionMapping('date', lastNMapping(7)); // and the 6 days before
 */
export function dimensionMapping(dimension: string, inner?: PartitionMapping): PartitionMapping {
  const name = `dimensionMapping('${dimension}')`;
  const sides = (up: PartitionSpace, down: PartitionSpace): Sides | string => {
    const upMulti = up.dimensions !== undefined;
    if (upMulti === (down.dimensions !== undefined)) {
      return `${name} connects multi partitions to single-dimension partitions, not ${describeSpace(up)} (upstream) to ${describeSpace(down)} (downstream)`;
    }
    const multi = upMulti ? up : down;
    const single = upMulti ? down : up;
    const dims = multi.dimensions!;
    const at = dims.findIndex((d) => d.name === dimension);
    if (at < 0) {
      return `${name}: ${describeSpace(multi)} has no dimension '${dimension}' (it has ${dims.map((d) => `'${d.name}'`).join(' and ')})`;
    }
    const dim = dims[at]!;
    const chosen = inner ?? defaultInner(dim.space, single);
    if (chosen === undefined) {
      return `${name}: give the mapping between dimension '${dimension}' (${describeSpace(dim.space)}) and ${describeSpace(single)}, e.g. dimensionMapping('${dimension}', staticMapping({…}))`;
    }
    const problem = upMulti ? chosen.validate(dim.space, down) : chosen.validate(up, dim.space);
    return problem === undefined
      ? { multi, at: at as 0 | 1, dim, inner: chosen }
      : `${name}: ${problem}`;
  };
  const resolve = (up: PartitionSpace, down: PartitionSpace): Sides => {
    assertConnects(mapping, up, down);
    return sides(up, down) as Sides;
  };
  const mapping: PartitionMapping = {
    description: `dimension '${dimension}': ${inner?.description ?? 'the same key, or overlapping time windows'}`,
    validate(up, down) {
      const result = sides(up, down);
      return typeof result === 'string' ? result : undefined;
    },
    readsOne(up, down) {
      const s = sides(up, down);
      if (typeof s === 'string' || s.multi === up) return false;
      return s.inner.readsOne(up, s.dim.space);
    },
    newestRead(values, up, down) {
      const s = resolve(up, down);
      const [first, second] = s.multi.dimensions!;
      const inner = second.space.size;
      const dimIndex = (i: number) =>
        s.at === 0 ? Math.floor(i / inner) : i - Math.floor(i / inner) * inner;
      if (s.multi === down) {
        const perDim = newestRead(s.inner, values, up, s.dim.space);
        const out = new Float64Array(down.size);
        for (let i = 0; i < down.size; i++) out[i] = perDim[dimIndex(i)]!;
        return out;
      }
      const reduced = new Float64Array((s.at === 0 ? first : second).space.size);
      for (let i = 0; i < up.size; i++) {
        const j = dimIndex(i);
        if (values[i]! > reduced[j]!) reduced[j] = values[i]!;
      }
      return newestRead(s.inner, reduced, s.dim.space, down);
    },
    upstreamFor(downstream, down, up) {
      const s = resolve(up, down);
      if (s.multi === down) {
        return s.inner.upstreamFor(project(downstream, s.multi, s.at), s.dim.space, up);
      }
      const result = s.inner.upstreamFor(downstream, down, s.dim.space);
      return {
        partitions: expand(result.partitions, s.multi, s.at),
        missing: expandKeys(result.missing, s.multi, s.at),
      };
    },
    downstreamFor(upstream, up, down) {
      const s = resolve(up, down);
      if (s.multi === up) {
        return s.inner.downstreamFor(project(upstream, s.multi, s.at), s.dim.space, down);
      }
      return expand(s.inner.downstreamFor(upstream, up, s.dim.space), s.multi, s.at);
    },
  };
  const innerSpec = inner === undefined ? undefined : mappingSpecOf(inner);
  // An inner mapping of the user's own: the whole has no spec either.
  if (inner !== undefined && innerSpec === undefined) return mapping;
  return withSpec(mapping, {
    kind: 'dimension',
    dimension,
    ...(innerSpec === undefined ? {} : { inner: innerSpec }),
  });
}

function defaultInner(dim: PartitionSpace, single: PartitionSpace): PartitionMapping | undefined {
  if (sameDefinition(dim.definition, single.definition)) return identityMapping();
  if (dim.definition?.kind === 'time-window' && single.definition?.kind === 'time-window') {
    return timeWindowMapping();
  }
  return undefined;
}

/** The indices in dimension `at` of the partitions of a multi set. */
export function project(set: PartitionSet, multi: PartitionSpace, at: 0 | 1): PartitionSet {
  const [first, second] = multi.dimensions!;
  const inner = second.space.size;
  const out = PartitionSet.empty((at === 0 ? first : second).space.size);
  for (const [a, b] of set.ranges()) {
    const rowA = Math.floor(a / inner);
    const rowB = Math.floor((b - 1) / inner);
    if (at === 0) out.addRange(rowA, rowB + 1);
    else if (b - a >= inner) return out.union(PartitionSet.all(inner));
    else if (rowA === rowB) out.addRange(a - rowA * inner, b - rowA * inner);
    else out.addRange(a - rowA * inner, inner).addRange(0, b - rowB * inner);
  }
  return out;
}

/** Every partition of a multi space whose index in dimension `at` is in `set`. */
export function expand(set: PartitionSet, multi: PartitionSpace, at: 0 | 1): PartitionSet {
  const [first, second] = multi.dimensions!;
  const inner = second.space.size;
  const out = PartitionSet.empty(multi.size);
  if (at === 0) {
    for (const [a, b] of set.ranges()) out.addRange(a * inner, b * inner);
    return out;
  }
  const ranges = set.ranges();
  for (let row = 0; row < first.space.size; row++) {
    for (const [a, b] of ranges) out.addRange(row * inner + a, row * inner + b);
  }
  return out;
}

function expandKeys(keys: readonly string[], multi: PartitionSpace, at: 0 | 1): string[] {
  if (keys.length === 0) return [];
  const other = multi.dimensions![1 - at]!.space;
  const out: string[] = [];
  for (const key of keys) {
    for (let i = 0; i < other.size; i++) {
      out.push(at === 0 ? `${key}|${other.keyAt(i)}` : `${other.keyAt(i)}|${key}`);
    }
  }
  return out;
}
