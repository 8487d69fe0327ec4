/**
 * Events and helpers the EventLog conformance suites build their cases from.
 */
import { expect } from 'vitest';
import type { PartitionStates } from './event-log.js';
import type { Materialization, WeirEvent } from './events.js';

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
