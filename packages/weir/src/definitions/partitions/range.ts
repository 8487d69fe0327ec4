/**
 * @module definitions/partitions/range
 * Turning what a person types (`--from 2024-01-01 --to 2024-03-31`) into a partition set.
 */
import { didYouMean, EnvironmentError } from '../../errors.js';
import { timeAxis } from './_time-axis.js';
import { PartitionSet } from './partition-set.js';
import type { PartitionSpace } from './space.js';

/**
 * The partitions from `from` to `to`, both included. For time windows either end may be any
 * date or date-time inside a window (`2024-03-15T10:30`, or with `Z`/`±HH:mm`); for multi
 * partitions, full keys `a|b` select the box between them, and bare keys of the time
 * dimension select those windows for every key of the other dimension.
 * @example
 * partitionRange(space, '2024-01-01', '2024-03-31').count; // 91 daily partitions
 */
export function partitionRange(space: PartitionSpace, from: string, to: string): PartitionSet {
  const dims = space.dimensions;
  if (dims === undefined) {
    const [a, b] = [indexIn(space, from, 'from'), indexIn(space, to, 'to')];
    ordered(space, from, to, a, b);
    return PartitionSet.fromRanges(space.size, [[a, b + 1]]);
  }
  const [first, second] = dims;
  const full = from.includes('|') || to.includes('|');
  let box: [number, number, number, number];
  if (full) {
    const [f0 = '', f1 = ''] = from.split('|', 2);
    const [t0 = '', t1 = ''] = to.split('|', 2);
    if (!from.includes('|') || !to.includes('|')) {
      throw usage(
        `Give both ends of a range of ${describe(space)} as 'a|b' keys, got '${from}' and '${to}'`,
      );
    }
    box = [
      indexIn(first.space, f0, 'from'),
      indexIn(first.space, t0, 'to'),
      indexIn(second.space, f1, 'from'),
      indexIn(second.space, t1, 'to'),
    ];
  } else {
    const time = dims.findIndex((d) => d.space.definition?.kind === 'time-window');
    if (time < 0) {
      throw usage(
        `Give the ends of a range of ${describe(space)} as 'a|b' keys, got '${from}' and '${to}'`,
      );
    }
    const timeSpace = dims[time]!.space;
    const a = indexIn(timeSpace, from, 'from');
    const b = indexIn(timeSpace, to, 'to');
    const other = dims[1 - time]!.space.size - 1;
    box = time === 0 ? [a, b, 0, other] : [0, other, a, b];
  }
  ordered(first.space, from, to, box[0], box[1]);
  ordered(second.space, from, to, box[2], box[3]);
  const inner = second.space.size;
  const set = PartitionSet.empty(space.size);
  for (let i0 = box[0]; i0 <= box[1]; i0++)
    set.addRange(i0 * inner + box[2], i0 * inner + box[3] + 1);
  return set;
}

/** Malformed on its face (not a date, a range written backwards): exit 2 in the CLI. */
function usage(message: string): EnvironmentError {
  return new EnvironmentError('E_USAGE', message);
}

/** Well-formed, but not a partition the asset has: exit 1 in the CLI. */
function notFound(message: string): EnvironmentError {
  return new EnvironmentError('E_NOT_FOUND', message);
}

function describe(space: PartitionSpace): string {
  return space.definition?.description ?? 'an unpartitioned asset';
}

function validRange(space: PartitionSpace): string {
  if (space.size === 0) return `${describe(space)} has no complete partitions yet`;
  const last = space.keyAt(space.size - 1);
  return `valid partitions of ${describe(space)} are ${space.size === 1 ? `'${last}'` : `'${space.keyAt(0)}' to '${last}'`}`;
}

function indexIn(space: PartitionSpace, text: string, end: 'from' | 'to'): number {
  if (space.definition === undefined) {
    if (text === '') return 0;
    throw notFound(`'${text}' is not a partition: the asset is not partitioned`);
  }
  const exact = space.indexOf(text);
  if (exact >= 0) return exact;
  const definition = space.definition;
  if (definition.kind === 'time-window') {
    const axis = timeAxis(definition);
    const key = axis.indexOfKey(text);
    const instant = key === undefined ? axis.instantOf(text) : undefined;
    if (key === undefined && instant === undefined) {
      throw usage(
        `'${text}' (${end}) is neither a partition key nor a date 'YYYY-MM-DD' or date-time 'YYYY-MM-DDTHH:mm'; ${validRange(space)}`,
      );
    }
    // A bare date ending a range of hours means the whole day, through its last hour.
    const wholeDay =
      key === undefined &&
      end === 'to' &&
      definition.cadence === 'hourly' &&
      /^\d{4}-\d{2}-\d{2}$/.test(text);
    const nextDay = wholeDay
      ? axis.instantOf(
          new Date(Date.parse(`${text}T00:00Z`) + 86_400_000).toISOString().slice(0, 10),
        )
      : undefined;
    const index =
      key ?? (nextDay !== undefined ? axis.containing(nextDay) - 1 : axis.containing(instant!));
    if (index >= 0 && index < space.size) return index;
    const where =
      space.size === 0
        ? 'not a partition'
        : index < 0
          ? 'before the first partition'
          : 'after the last complete partition';
    throw notFound(`'${text}' (${end}) is ${where}; ${validRange(space)}`);
  }
  const keys = Array.from({ length: Math.min(space.size, 10_000) }, (_, i) => space.keyAt(i));
  const hint = didYouMean(text, keys);
  throw notFound(
    `'${text}' (${end}) is not a partition of ${describe(space)}${hint === undefined ? '' : `: ${hint}`}`,
  );
}

function ordered(space: PartitionSpace, from: string, to: string, a: number, b: number): void {
  if (a > b) {
    throw usage(`the range start '${from}' comes after its end '${to}' in ${describe(space)}`);
  }
}
