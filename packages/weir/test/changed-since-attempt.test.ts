/**
 * `changedSinceAttempt`: which child partitions last attempted before the newest change of a
 * parent's data they read (the daemon's `ParentFacts.changedSinceAttempt`).
 */
import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  identityMapping,
  lastNMapping,
  PartitionSet,
  resolvePartitionSpace,
  staticPartitions,
} from '../src/index.js';
import { changedSinceAttempt } from '../src/versioning/index.js';

const space = resolvePartitionSpace(staticPartitions(['a', 'b', 'c', 'd', 'e']), {
  now: 0,
  dynamicKeys: () => [],
});

function view(changedAt: number[]) {
  return {
    space,
    changedAt: Float64Array.from(changedAt),
    usable: PartitionSet.all(space.size),
    notFresh: PartitionSet.empty(space.size),
  };
}

const keys = (set: PartitionSet) => [...set.indices()].map((i) => space.keyAt(i));

describe('changedSinceAttempt', () => {
  it('compares the newest change read with the inputs read and a later failure', () => {
    const attempts = {
      // a read the change; b read older data; c failed after the change; d failed before
      // it; e never attempted.
      materializationId: Float64Array.from([12, 12, 3, 3, 0]),
      inputsAsOf: Float64Array.from([10, 4, 2, 2, 0]),
      failureId: Float64Array.from([0, 0, 15, 8, 0]),
    };
    const parent = view([10, 10, 10, 10, 10]);
    expect(keys(changedSinceAttempt(parent, identityMapping(), space, attempts))).toEqual([
      'b',
      'd',
      'e',
    ]);
    // A parent with no data changes nothing, not even for what was never attempted.
    const none = view([0, 0, 0, 0, 0]);
    expect(changedSinceAttempt(none, identityMapping(), space, attempts).isEmpty()).toBe(true);
  });

  it('takes the newest change over every partition read', () => {
    const days = resolvePartitionSpace(dailyPartitions({ start: '2026-01-01' }), {
      now: Date.parse('2026-01-06T00:00:00Z'),
      dynamicKeys: () => [],
    });
    const up = { ...view([]), space: days, changedAt: Float64Array.from([1, 9, 1, 1, 1]) };
    const attempts = {
      materializationId: Float64Array.from([5, 5, 5, 5, 5]),
      inputsAsOf: Float64Array.from([5, 5, 5, 5, 5]),
      failureId: new Float64Array(5),
    };
    const set = changedSinceAttempt(up, lastNMapping(2), days, attempts);
    expect([...set.indices()].map((i) => days.keyAt(i))).toEqual(['2026-01-02', '2026-01-03']);
  });
});
