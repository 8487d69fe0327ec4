/**
 * @module storage/conformance-connections
 * The EventLog conformance cases that need more than one connection to one storage:
 * reopening it, and concurrent appenders followed by a cursor reader (the ordering
 * guarantee: ids in commit order, appends contiguous and atomic).
 */
import { expect } from 'vitest';
import { materialization, started, step } from './_conformance-fixtures.js';
import { type EventLogConformanceOptions, itWith } from './conformance.js';
import type { EventLog } from './event-log.js';
import type { StoredEvent, WeirEvent } from './events.js';

/** Appenders, batches each, and events per batch (1 to this many) in the concurrency case. */
const WRITERS = 4;
const BATCHES = 30;
const MAX_BATCH = 5;

/** Registers the cases; call inside the suite's describe(). */
export function connectionConformanceCases(options: EventLogConformanceOptions): void {
  itWith(
    options,
    'reopen',
    'keeps everything across close and reopen',
    async (connect, { log }) => {
      await log.append([
        started('r1'),
        { type: 'asset:materialized', ...step('r1', 'a'), materialization: materialization('v1') },
      ]);
      await log.close();
      const again = await connect();
      expect(
        (await again.latest()).map((r) => r.materialization?.materialization.dataVersion),
      ).toEqual(['v1']);
      expect((await again.events()).length).toBe(2);
      await again.close();
    },
  );

  itWith(
    options,
    'concurrentAppends',
    'gives concurrent appenders commit-ordered ids: a cursor reader sees every event once, each append whole',
    async (connect, { log }) => {
      const writers = await Promise.all(Array.from({ length: WRITERS }, () => connect()));
      let writing = true;
      const appended = Promise.all(writers.map((writer, w) => appendBatches(writer, w))).finally(
        () => {
          writing = false;
        },
      );
      const seen: StoredEvent[] = [];
      let readsWhileWriting = 0;
      // Follows the appenders while they write, then reads what is left.
      for (let more = true; more; ) {
        more = writing;
        const page = await log.events({ afterId: seen.at(-1)?.id ?? 0 });
        if (writing && page.length > 0) readsWhileWriting++;
        seen.push(...page);
        expectWholeBatches(seen);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const batches = await appended;
      const ids = seen.map((event) => event.id);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
      const written = batches.flat(2).map((event) => event.id);
      expect(ids.length).toBe(written.length);
      expect(new Set(ids)).toEqual(new Set(written));
      // Each append's events are contiguous: nothing of another append lies between them.
      const position = new Map(ids.map((id, i) => [id, i]));
      for (const batch of batches.flat()) {
        const first = position.get(batch[0]!.id)!;
        expect(batch.map((event) => position.get(event.id))).toEqual(
          batch.map((_, i) => first + i),
        );
      }
      expect(seen).toEqual(await log.events());
      // The reader did follow the appenders rather than read everything at the end.
      expect(readsWhileWriting).toBeGreaterThan(1);
      // The index saw every append too.
      for (let w = 0; w < WRITERS; w++) {
        expect((await log.partitionStates(`writer${w}`)).partitions).toHaveLength(BATCHES);
      }
      await Promise.all(writers.map((writer) => writer.close()));
      await log.close();
    },
  );
}

/** One writer's batches: 1 to MAX_BATCH log events, then a materialization, yielding between. */
async function appendBatches(writer: EventLog, w: number): Promise<StoredEvent[][]> {
  const batches: StoredEvent[][] = [];
  for (let b = 0; b < BATCHES; b++) {
    const size = 1 + ((w * 7 + b * 3) % MAX_BATCH);
    const events: WeirEvent[] = [];
    for (let i = 0; i < size; i++) {
      events.push({
        ...step(`w${w}`, `writer${w}`),
        partition: `b${b}`,
        type: 'step:log',
        level: 'info',
        message: `${w}/${b}/${i}/${size}`,
      });
    }
    events.push({
      ...step(`w${w}`, `writer${w}`),
      partition: `b${b}`,
      type: 'asset:materialized',
      materialization: materialization(`w${w}b${b}`),
    });
    batches.push(await writer.append(events));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return batches;
}

/**
 * Every append a reader has seen part of, it has seen whole: its log events (each says how
 * many there are) and its materialization.
 */
function expectWholeBatches(seen: readonly StoredEvent[]): void {
  const batches = new Map<string, { seen: number; size: number }>();
  for (const event of seen) {
    if (event.type !== 'step:log' && event.type !== 'asset:materialized') continue;
    const key = `${event.runId}/${event.partition}`;
    const batch = batches.get(key) ?? { seen: 0, size: 0 };
    batch.seen++;
    if (event.type === 'step:log') batch.size = Number(event.message.split('/')[3]) + 1;
    batches.set(key, batch);
  }
  for (const [key, batch] of batches)
    expect(batch.seen, `append ${key} seen in part`).toBe(batch.size);
}
