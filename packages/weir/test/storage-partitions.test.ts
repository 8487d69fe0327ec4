/**
 * The SQLite event log's partition index (schema version 3): what upgrading a version-2 log
 * fills in, compared with what rebuilding the index from the events computes.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../src/index.js';
import { materialization as baseMaterialization } from '../src/storage/_conformance-fixtures.js';
import type { PartitionStates } from '../src/storage/event-log.js';
import type { Materialization, WeirEvent } from '../src/storage/events.js';
import { MIGRATIONS } from '../src/storage/sqlite/_migrations.js';
import { tempDir } from './helpers.js';

/** A materialization of `dataVersion`, with other fields where a case needs them. */
const materialization = (dataVersion: string, extra: Partial<Materialization> = {}) => ({
  ...baseMaterialization(dataVersion),
  ...extra,
});

/** The summary version 2 kept in asset_state: inputs without the event they came from. */
function version2Summary(id: number, event: Extract<WeirEvent, { type: 'asset:materialized' }>) {
  const { dataVersion, codeVersion, inputs, blockedBy, startedAt, endedAt, artefact } =
    event.materialization;
  const versions: Record<string, { dataVersion: string }> = {};
  for (const key in inputs) versions[key] = { dataVersion: inputs[key]!.dataVersion };
  return JSON.stringify({
    id,
    runId: event.runId,
    timestamp: event.timestamp,
    materialization: {
      dataVersion,
      codeVersion,
      inputs: versions,
      ...(blockedBy === undefined ? {} : { blockedBy }),
      startedAt,
      endedAt,
      artefact: { format: artefact.format, location: artefact.location, type: artefact.type },
    },
  });
}

function byPartition(states: PartitionStates) {
  const rows: Record<string, unknown> = {};
  states.partitions.forEach((partition, i) => {
    rows[partition] = {
      materializationId: states.materializationId[i],
      usableId: states.usableId[i],
      dataChangedId: states.dataChangedId[i],
      inputsAsOf: states.inputsAsOf[i],
      failureId: states.failureId[i],
      codeVersion: states.materializationId[i]
        ? states.codeVersions[states.codeVersion[i]!]
        : undefined,
    };
  });
  return rows;
}

describe('SQLite event log schema version 3', () => {
  it('upgrades a version-2 log: change ids, inputs, code versions and cursors from what it had', async () => {
    const path = join(tempDir(), 'events.db');
    const db = new Database(path);
    db.exec(
      'CREATE TABLE weir_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const migration of MIGRATIONS.slice(0, 2)) {
      db.prepare('INSERT INTO weir_schema VALUES (?, ?, 0)').run(migration.version, migration.name);
      db.exec(migration.sql);
    }
    const events: WeirEvent[] = [
      {
        type: 'run:started',
        runId: 'r1',
        timestamp: 1,
        selection: '*',
        force: false,
        steps: ['a', 'p'],
        host: 'host',
        pid: 1,
        weirVersion: '0.1.0',
      },
      // 2, 3: the same data twice; 4: a source's observation.
      {
        type: 'asset:materialized',
        runId: 'r1',
        assetKey: 'a',
        partition: '',
        timestamp: 2,
        materialization: materialization('v1'),
      },
      {
        type: 'asset:materialized',
        runId: 'r1',
        assetKey: 'a',
        partition: '',
        timestamp: 3,
        materialization: materialization('v1'),
      },
      {
        type: 'asset:observed',
        assetKey: 's',
        partition: '',
        timestamp: 4,
        observation: { dataVersion: 'o1', metadata: {} },
      },
      // 5: a partition reading a and s; 6: blocked, newer; 7: another partition's failure.
      {
        type: 'asset:materialized',
        runId: 'r1',
        assetKey: 'p',
        partition: '2024-01-01',
        timestamp: 5,
        materialization: materialization('p1', {
          codeVersion: 'c2',
          inputs: { a: { dataVersion: 'v1', eventId: 3 }, s: { dataVersion: 'o1', eventId: 4 } },
        }),
      },
      {
        type: 'asset:materialized',
        runId: 'r1',
        assetKey: 'p',
        partition: '2024-01-01',
        timestamp: 6,
        materialization: materialization('p2', {
          codeVersion: 'c3',
          blockedBy: ['bounds'],
          inputs: { a: { dataVersion: 'v1', eventId: 3 } },
        }),
      },
      {
        type: 'step:failed',
        runId: 'r1',
        assetKey: 'p',
        partition: '2024-01-02',
        timestamp: 7,
        attempt: 1,
        error: { name: 'Error', message: 'x' },
      },
    ];
    const insert = db.prepare(
      'INSERT INTO events (id, type, run_id, asset_key, partition, timestamp, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    events.forEach((event, i) => {
      const e = event as { runId?: string; assetKey?: string; partition?: string };
      insert.run(
        i + 1,
        event.type,
        e.runId ?? null,
        e.assetKey ?? null,
        e.partition ?? null,
        event.timestamp,
        JSON.stringify(event),
      );
    });
    const summary = (id: number) =>
      version2Summary(id, events[id - 1] as Extract<WeirEvent, { type: 'asset:materialized' }>);
    // The index as version 2 wrote it.
    const state = db.prepare(
      `INSERT INTO asset_state (asset_key, partition, materialization_id, materialization_summary,
         usable_id, usable_summary, observation_id, failure_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    state.run('a', '', 3, summary(3), 3, summary(3), null, null);
    state.run('s', '', null, null, null, null, 4, null);
    state.run('p', '2024-01-01', 6, summary(6), 5, summary(5), null, null);
    state.run('p', '2024-01-02', null, null, null, null, null, 7);
    db.prepare(
      "INSERT INTO runs (run_id, status, started_at, started_id) VALUES ('r1', 'running', 1, 1)",
    ).run();
    db.close();

    const log = new SqliteEventLog(path);
    const latest = await log.latest();
    const a = latest.find((r) => r.assetKey === 'a')!;
    // The first of the two materializations with the current data version.
    expect(a.dataChangedId).toBe(2);
    expect(a.usable?.id).toBe(3);
    expect(latest.find((r) => r.assetKey === 's')?.dataChangedId).toBe(4);
    expect(latest.map((r) => r.assetKey).sort()).toEqual(['a', 's']);
    const states = await log.partitionStates('p');
    expect(byPartition(states)).toEqual({
      '2024-01-01': {
        materializationId: 6,
        usableId: 5,
        dataChangedId: 5,
        inputsAsOf: 3,
        failureId: 0,
        codeVersion: 'c3',
      },
      '2024-01-02': {
        materializationId: 0,
        usableId: 0,
        dataChangedId: 0,
        inputsAsOf: 0,
        failureId: 7,
        codeVersion: undefined,
      },
    });
    expect(states.throughId).toBe(7);
    expect((await log.partitionStates('p', { updatedAfter: 6 })).partitions).toEqual([
      '2024-01-02',
    ]);
    // Summaries now name the event each input came from.
    const [p1] = await log.partitionRecords('p', ['2024-01-01']);
    expect(p1!.usable?.materialization.inputs).toEqual({
      a: { dataVersion: 'v1', eventId: 3 },
      s: { dataVersion: 'o1', eventId: 4 },
    });
    expect(p1!.materialization?.materialization.inputs).toEqual({
      a: { dataVersion: 'v1', eventId: 3 },
    });
    expect(await log.dynamicPartitions('stations')).toEqual([]);
    expect(await log.backfills()).toEqual([]);
    expect((await log.runs()).map((r) => r.runId)).toEqual(['r1']);

    // What the upgrade filled in is what rebuilding from the events computes.
    const before = {
      latest: await log.latest(),
      states: byPartition(await log.partitionStates('p')),
      records: await log.partitionRecords('p', ['2024-01-01', '2024-01-02']),
    };
    await log.rebuildIndexes();
    const sort = <T extends { assetKey: string }>(records: T[]) =>
      [...records].sort((x, y) => x.assetKey.localeCompare(y.assetKey));
    expect(sort(await log.latest())).toEqual(sort(before.latest));
    expect(byPartition(await log.partitionStates('p'))).toEqual(before.states);
    expect(await log.partitionRecords('p', ['2024-01-01', '2024-01-02'])).toEqual(before.records);
    await log.close();

    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT version FROM weir_schema ORDER BY version').pluck().all()).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    check.close();
  });
});
