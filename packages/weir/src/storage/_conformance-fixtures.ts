/**
 * Events and helpers the EventLog conformance suites build their cases from.
 */
import { expect } from 'vitest';
import type { PartitionStates } from './event-log.js';
import type { Materialization, StoredEvent, WeirEvent } from './events.js';

export const materialization = (
  dataVersion: string,
  inputs: Materialization['inputs'] = {},
): Materialization => ({
  dataVersion,
  codeVersion: 'c1',
  inputs,
  configHash: 'h',
  artefact: {
    format: 'json',
    location: `objects/${dataVersion}`,
    contentHash: dataVersion,
    size: 2,
    type: 'blob',
  },
  startedAt: 1,
  endedAt: 2,
  host: 'host',
  weirVersion: '0.0.0',
  metadata: { rows: 3 },
});

export const started = (runId: string, timestamp = 1): WeirEvent => ({
  type: 'run:started',
  runId,
  timestamp,
  selection: '*',
  force: false,
  steps: ['a', 'b'],
  host: 'host',
  pid: 1,
  weirVersion: '0.0.0',
});

export const step = (runId: string, assetKey: string) => ({
  runId,
  assetKey,
  partition: '',
  timestamp: 2,
});

export const materialized = (
  assetKey: string,
  partition: string,
  dataVersion: string,
  extra: Partial<Materialization> = {},
): WeirEvent => ({
  type: 'asset:materialized',
  runId: 'r1',
  assetKey,
  partition,
  timestamp: 2,
  materialization: { ...materialization(dataVersion), ...extra },
});

export const checked = (
  assetKey: string,
  partition: string,
  materializationId: number,
  passed: boolean,
  name = 'bounds',
): WeirEvent => ({
  type: 'check:evaluated',
  assetKey,
  partition,
  timestamp: 3,
  materializationId,
  dataVersion: 'checked',
  check: { name, severity: 'error', blocking: true, passed, metadata: {} },
});

export const failed = (assetKey: string, partition: string): WeirEvent => ({
  type: 'step:failed',
  runId: 'r1',
  assetKey,
  partition,
  timestamp: 2,
  attempt: 1,
  error: { name: 'Error', message: 'boom' },
});

export const observed = (assetKey: string, dataVersion: string, partition = ''): WeirEvent => ({
  type: 'asset:observed',
  assetKey,
  partition,
  timestamp: 3,
  observation: { dataVersion, metadata: {} },
});

export const freshnessEvaluated = (assetKey: string, partition: string): WeirEvent => ({
  type: 'freshness:evaluated',
  assetKey,
  partition,
  timestamp: 4,
  freshness: { status: 'overdue', overdueByMs: 5, reason: 'late' },
});

/** Partition states by partition key (their order is unspecified), code versions resolved. */
export function byPartition(states: PartitionStates) {
  expect(new Set(states.codeVersions).size).toBe(states.codeVersions.length);
  const n = states.partitions.length;
  const { materializationId, usableId, dataChangedId, inputsAsOf, failureId, codeVersion } = states;
  for (const column of [materializationId, usableId, dataChangedId, inputsAsOf, failureId])
    expect(column).toHaveLength(n);
  expect(codeVersion).toHaveLength(n);
  const rows: Record<string, Record<string, number | string>> = {};
  states.partitions.forEach((partition, i) => {
    rows[partition] = {
      materializationId: states.materializationId[i]!,
      usableId: states.usableId[i]!,
      dataChangedId: states.dataChangedId[i]!,
      inputsAsOf: states.inputsAsOf[i]!,
      failureId: states.failureId[i]!,
      codeVersion: states.codeVersions[states.codeVersion[i]!]!,
    };
  });
  return rows;
}

/** Records in key order (the order an implementation returns them in is unspecified). */
export const byKey = <T extends { assetKey: string; partition: string }>(records: T[]) => {
  const key = (record: T) => `${record.assetKey}\0${record.partition}`;
  return [...records].sort((x, y) => (key(x) < key(y) ? -1 : 1));
};

/**
 * Append `b` of appender `w` in the concurrency cases: 1 to 5 `step:log` events whose
 * message is `w/b/index/count`, then a materialization of partition `b<b>` of asset
 * `writer<w>` (run `w<w>`). test/support/sqlite-appender.mjs writes the same shape.
 */
export function appenderBatch(w: number, b: number): WeirEvent[] {
  const size = 1 + ((w * 7 + b * 3) % 5);
  const at = { runId: `w${w}`, assetKey: `writer${w}`, partition: `b${b}`, timestamp: 2 };
  const events: WeirEvent[] = [];
  for (let i = 0; i < size; i++)
    events.push({ ...at, type: 'step:log', level: 'info', message: `${w}/${b}/${i}/${size}` });
  events.push({
    ...at,
    type: 'asset:materialized',
    materialization: materialization(`w${w}b${b}`),
  });
  return events;
}

/**
 * Every append (of appenderBatch's shape) a reader has seen part of, it has seen whole: its
 * log events (each says how many there are) and its materialization.
 */
export function expectWholeAppends(seen: readonly StoredEvent[]): void {
  const appends = new Map<string, { seen: number; size: number }>();
  for (const event of seen) {
    if (event.type !== 'step:log' && event.type !== 'asset:materialized') continue;
    const key = `${event.runId}/${event.partition}`;
    const append = appends.get(key) ?? { seen: 0, size: 0 };
    append.seen++;
    if (event.type === 'step:log') append.size = Number(event.message.split('/')[3]) + 1;
    appends.set(key, append);
  }
  for (const [key, append] of appends)
    expect(append.seen, `append ${key} seen in part`).toBe(append.size);
}

/**
 * What a cursor reader saw (`seen`, in the order it saw them) against the ids each append
 * returned: ids strictly increase, every appended event was seen exactly once, and each
 * append's events are contiguous (nothing of another append lies between them).
 */
export function expectCommitOrder(
  seen: readonly StoredEvent[],
  appends: readonly (readonly number[])[],
): void {
  const ids = seen.map((event) => event.id);
  for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
  const written = appends.flat();
  expect(ids.length).toBe(written.length);
  expect(new Set(ids)).toEqual(new Set(written));
  const position = new Map(ids.map((id, i) => [id, i]));
  for (const append of appends) {
    const first = position.get(append[0]!)!;
    expect(append.map((id) => position.get(id))).toEqual(append.map((_, i) => first + i));
  }
}
