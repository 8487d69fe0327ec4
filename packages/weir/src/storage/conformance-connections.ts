/**
 * @module storage/conformance-connections
 * The EventLog conformance cases that need more than one connection to one storage:
 * reopening it, and concurrent appenders followed by a cursor reader (the ordering
 * guarantee: ids in commit order, appends contiguous and atomic).
 */
import { expect } from 'vitest';
import {
  appenderBatch,
  expectCommitOrder,
  expectWholeAppends,
  materialization,
  started,
  step,
} from './_conformance-fixtures.js';
import { type EventLogConformanceOptions, itWith } from './conformance.js';
import type { EventLog } from './event-log.js';
import type { StoredEvent } from './events.js';

/** Appenders, and appends each, in the concurrency case. */
const WRITERS = 4;
const BATCHES = 30;

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
        expectWholeAppends(seen);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const batches = await appended;
      expectCommitOrder(
        seen,
        batches.flat().map((batch) => batch.map((event) => event.id)),
      );
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

/** One writer's appends (see appenderBatch), yielding between them. */
async function appendBatches(writer: EventLog, w: number): Promise<StoredEvent[][]> {
  const batches: StoredEvent[][] = [];
  for (let b = 0; b < BATCHES; b++) {
    batches.push(await writer.append(appenderBatch(w, b)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return batches;
}
