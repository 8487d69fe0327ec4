/**
 * What the server is sent of each event (see migrations/0002_writes.sql): its columns, its
 * body, and the few fields the index rules need, computed here from the event so the server
 * never parses a body. And the reverse: rows read back as events and summaries.
 */
import {
  EnvironmentError,
  inputVersionsOf,
  type KeptSummary,
  keptSummaryOf,
  type MaterializationSummary,
  type StoredEvent,
  summaryFromRow,
  type WeirEvent,
} from 'weir';

/** An event as weir_write and weir_reindex take it (short keys: a batch is thousands). */
export interface EventRecord {
  t: string;
  r: string | null;
  k: string | null;
  p: string | null;
  ts: number;
  /** The body (JSON text); absent when replaying. */
  b?: string;
  /** The event's id, when replaying (rebuildIndexes). */
  id?: number;
  [field: string]: string | number | boolean | null | readonly string[] | undefined;
}

/** The record of `event`, with `body` its JSON text (or without a body, for a replay). */
export function recordOf(event: WeirEvent, body: string | undefined): EventRecord {
  const columns = event as { runId?: string; assetKey?: string; partition?: string };
  const record: EventRecord = {
    t: event.type,
    r: columns.runId ?? null,
    k: columns.assetKey ?? null,
    p: columns.partition ?? null,
    ts: event.timestamp,
  };
  if (body !== undefined) record.b = body;
  switch (event.type) {
    case 'asset:materialized': {
      const m = event.materialization;
      let inputsAsOf = 0;
      for (const key in m.inputs) inputsAsOf = Math.max(inputsAsOf, m.inputs[key]!.eventId);
      const blockedBy = m.blockedBy ?? [];
      const unpartitioned = event.partition === '';
      record.blocked = blockedBy.length > 0;
      record.bb = blockedBy;
      record.dv = m.dataVersion;
      record.cv = m.codeVersion;
      record.ia = inputsAsOf;
      // Only an unpartitioned asset keeps its summary and status columns in its row.
      record.s = unpartitioned ? summarize(event) : null;
      const inputVersions = unpartitioned ? inputVersionsOf(m.inputs) : undefined;
      record.iv = inputVersions === undefined ? null : JSON.stringify(inputVersions);
      record.loc = unpartitioned ? m.artefact.location : null;
      record.end = unpartitioned ? m.endedAt : null;
      break;
    }
    case 'check:evaluated':
      record.cn = event.check.name;
      record.mid = event.materializationId;
      record.ok = event.check.passed;
      break;
    case 'asset:observed':
      record.dv = event.observation.dataVersion;
      break;
    case 'step:started':
      record.pool = event.pool?.name ?? null;
      record.slots = event.pool?.slots ?? null;
      break;
    case 'run:started':
      record.bf = event.backfillId ?? null;
      record.host = event.host;
      record.pid = event.pid;
      record.ps = event.pidStart ?? null;
      record.th = event.threadId ?? null;
      break;
    case 'run:finished':
      record.st = event.status;
      break;
    case 'partitions:added':
    case 'partitions:removed':
      record.name = event.name;
      record.keys = event.keys;
      break;
    case 'backfill:requested':
      record.bf = event.backfillId;
      break;
    case 'backfill:finished':
      record.bf = event.backfillId;
      record.st = event.status;
      break;
    case 'sensor:ticked':
    case 'schedule:ticked':
    case 'automation:paused':
    case 'automation:resumed':
      record.name = event.name;
      break;
    case 'automation:evaluated':
      record.k = event.assetKey;
      break;
  }
  return record;
}

/** The records of `events`, with `bodies` their JSON texts (`bodyOf`). */
export function eventRecords(events: readonly WeirEvent[], bodies: readonly string[]) {
  return events.map((event, i) => recordOf(event, bodies[i]!));
}

/** The events as stored: each with its id, from `first` on, in order. */
export function storedFrom(events: readonly WeirEvent[], first: number): StoredEvent[] {
  return events.map((event, i) => {
    // Object.assign, not `{ ...event, id }`: V8 adds a property after a spread on a slow path.
    const stored = Object.assign({}, event) as StoredEvent;
    stored.id = first + i;
    return stored;
  });
}

/** The JSON text of `event` as stored, refusing what PostgreSQL's text cannot hold. */
export function bodyOf(event: WeirEvent): string {
  const body = JSON.stringify(event);
  const columns = event as { runId?: unknown; assetKey?: unknown; partition?: unknown };
  for (const value of [columns.runId, columns.assetKey, columns.partition]) {
    if (typeof value === 'string' && value.includes('\0')) {
      throw new EnvironmentError(
        'E_STORAGE',
        `cannot record ${event.type}: ${JSON.stringify(value)} holds a NUL character, which PostgreSQL text cannot store`,
        { hint: 'use keys, partitions and run ids without \\0' },
      );
    }
  }
  return body;
}

/**
 * What the index keeps of a materialization (see MaterializationSummary in weir), as JSON,
 * without the id, type, key and partition: the row holds those, and they are added back on
 * read (`readSummary`).
 */
export function summarize(event: StoredEvent<'asset:materialized'> | WeirEvent): string {
  if (event.type !== 'asset:materialized') throw new Error('not a materialization');
  return JSON.stringify(keptSummaryOf(event));
}

/** A summary kept by the index, with what its row holds added back. */
export function readSummary(
  json: string,
  id: number,
  assetKey: string,
  partition: string,
): MaterializationSummary {
  const kept = JSON.parse(json) as KeptSummary & { id?: number };
  kept.id = id;
  return summaryFromRow(kept, assetKey, partition);
}

/** An event read back: its body parsed, with its id. */
export function parseEvent(id: number, body: string): StoredEvent {
  const event = JSON.parse(body) as StoredEvent;
  event.id = id;
  return event;
}

/** A stored event from what was appended: a copy of its JSON round trip, with its id. */
export function stored(body: string, id: number): StoredEvent {
  return parseEvent(id, body);
}
