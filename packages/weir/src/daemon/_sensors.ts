/**
 * @module daemon/_sensors
 * One tick of one sensor: poll it (with its timeout and the cursor the previous tick left),
 * apply what it returned (observations of source assets, dynamic partitions, run requests)
 * and record the tick with its new cursor. A sensor that throws, returns nonsense or hangs
 * is recorded as a failed tick with its error, keeps its previous cursor and is polled again
 * at its next interval; it never stops the daemon or another sensor.
 *
 * Order: runs are launched before the tick is recorded. A daemon killed in between polls
 * again from the old cursor and asks for the same runs; a run plans from the state, so work
 * already done is "nothing to do", not done twice.
 */

import { relative } from 'node:path';
import {
  normalizeSensorResult,
  type SensorDefinition,
  type SensorTick,
} from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import {
  addDynamicPartitions,
  bufferedLogger,
  type Instance,
  type LogEntry,
  type ResourcePool,
  removeDynamicPartitions,
  selectKeys,
  toErrorInfo,
} from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import { NO_PARTITION, type StoredEvent, type WeirEvent } from '../storage/index.js';
import { type Launcher, startedWithin } from './_launcher.js';

export interface SensorTickContext {
  graph: AssetGraph;
  instance: Instance;
  resources: ResourcePool;
  launcher: Launcher;
  /** The sensor's newest recorded tick. */
  previous: StoredEvent<'sensor:ticked'> | undefined;
  now: number;
  signal: AbortSignal;
  onLog?: (sensor: string, entry: LogEntry) => void;
}

/**
 * Polls `sensor` once and records the tick. Never throws for what the sensor does. A tick
 * the daemon stopped (its signal aborted) before the sensor answered is not recorded
 * (undefined): the sensor did not fail, and the next daemon polls it again from its cursor.
 */
export async function tickSensor(
  sensor: SensorDefinition,
  context: SensorTickContext,
): Promise<StoredEvent<'sensor:ticked'> | undefined> {
  const started = Date.now();
  const previousCursor = context.previous?.cursor;
  const base = {
    type: 'sensor:ticked' as const,
    name: sensor.name,
    timestamp: context.now,
  };
  let event: WeirEvent;
  try {
    const tick = normalizeSensorResult(await poll(sensor, context), sensor.name);
    const applied = await apply(sensor, tick, context);
    const cursor = tick.cursor ?? previousCursor;
    const did = applied.observed.length + applied.partitionsAdded + applied.runIds.length;
    event = {
      ...base,
      outcome: did > 0 ? 'requested' : 'nothing',
      ...(cursor === undefined ? {} : { cursor }),
      durationMs: Date.now() - started,
      observations: applied.observed.length,
      partitionsAdded: applied.partitionsAdded,
      runIds: applied.runIds,
      ...(applied.observed.length > 0 ? { observed: applied.observed } : {}),
    };
  } catch (error) {
    if (context.signal.aborted && !(error instanceof SensorTimeout)) return undefined;
    event = {
      ...base,
      outcome: error instanceof SensorTimeout ? 'timed-out' : 'failed',
      ...(previousCursor === undefined ? {} : { cursor: previousCursor }),
      error: toErrorInfo(error),
      durationMs: Date.now() - started,
      observations: 0,
      partitionsAdded: 0,
      runIds: [],
    };
  }
  // A tick that found nothing and left its cursor as it was is not recorded (id 0): a sensor
  // polled every few seconds for months would otherwise fill the log with copies of its cursor.
  // The first one after a failed tick is: it records the recovery.
  const recovering =
    context.previous?.outcome === 'failed' || context.previous?.outcome === 'timed-out';
  if (event.outcome === 'nothing' && event.cursor === previousCursor && !recovering) {
    return { ...event, id: 0 } as StoredEvent<'sensor:ticked'>;
  }
  const [stored] = await context.instance.eventLog.append([event]);
  return stored as StoredEvent<'sensor:ticked'>;
}

class SensorTimeout extends Error {
  override name = 'SensorTimeout';
}

/** The sensor's poll, given up after its timeout (its signal aborted; the promise is left). */
async function poll(sensor: SensorDefinition, context: SensorTickContext): Promise<unknown> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stop = () => {};
  // A sensor that ignores its signal is not waited for: the daemon stops now, not at its timeout.
  const timeout = new Promise<never>((_, reject) => {
    stop = () => {
      controller.abort(context.signal.reason);
      reject(context.signal.reason);
    };
    if (context.signal.aborted) stop();
    context.signal.addEventListener('abort', stop, { once: true });
    timer = setTimeout(() => {
      controller.abort(new SensorTimeout());
      reject(
        new SensorTimeout(
          `sensor '${sensor.name}' did not answer within ${sensor.timeoutMs / 1000} s (its timeout)`,
        ),
      );
    }, sensor.timeoutMs);
  });
  // Handled by the race below; also when it rejects before the race (resources being made).
  timeout.catch(() => {});
  try {
    const ctx = {
      name: sensor.name,
      cursor: context.previous?.cursor,
      lastTickAt: context.previous === undefined ? undefined : new Date(context.previous.timestamp),
      now: new Date(context.now),
      resources: await context.resources.valuesFor(sensor.resources),
      log: bufferedLogger((entry) => context.onLog?.(sensor.name, entry)),
      signal: controller.signal,
    };
    return await Promise.race([Promise.resolve().then(() => sensor.poll(ctx)), timeout]);
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener('abort', stop);
  }
}

interface Applied {
  observed: NonNullable<StoredEvent<'sensor:ticked'>['observed']>;
  partitionsAdded: number;
  runIds: string[];
}

/** Checks every reference first, so a tick applies all it returned or nothing. */
async function apply(
  sensor: SensorDefinition,
  tick: SensorTick,
  context: SensorTickContext,
): Promise<Applied> {
  const { graph, instance } = context;
  const owner = `sensor '${sensor.name}'`;
  for (const [i, o] of tick.observations.entries()) {
    const node = graph.get(o.asset);
    if (node === undefined || node.kind !== 'source') {
      throw new UserCodeError(
        'E_USER_CODE',
        `${owner} observations[${i}] names '${o.asset}', which is not a source asset of the project`,
      );
    }
  }
  const selections = tick.runs.map((run, i) => {
    try {
      return [...selectKeys(graph, run.selection)];
    } catch (error) {
      throw new UserCodeError(
        'E_USER_CODE',
        `${owner} runs[${i}] has selection '${run.selection}': ${(error as Error).message}`,
      );
    }
  });
  let partitionsAdded = 0;
  for (const change of tick.dynamicPartitions) {
    if (change.add.length > 0) {
      const before = new Set(await instance.eventLog.dynamicPartitions(change.name));
      await addDynamicPartitions(instance, change.name, change.add);
      partitionsAdded += change.add.filter((key) => !before.has(key)).length;
    }
    if (change.remove.length > 0)
      await removeDynamicPartitions(instance, change.name, change.remove);
  }
  const observed = await recordChanged(tick, context);
  const launched = tick.runs.map((run, i) =>
    context.launcher.launch({
      selection: selections[i]!,
      ...(run.partitions === undefined ? {} : { partitions: run.partitions }),
      trigger: {
        kind: 'sensor',
        name: sensor.name,
        reason: run.reason ?? describeObserved(sensor.name, observed),
      },
    }),
  );
  const runIds = (await Promise.all(launched.map((l) => startedWithin(l)))).filter(
    (id): id is string => id !== undefined,
  );
  return { observed, partitionsAdded, runIds };
}

/** Appends the observations whose version differs from the recorded one. */
async function recordChanged(
  tick: SensorTick,
  context: SensorTickContext,
): Promise<Applied['observed']> {
  const { eventLog } = context.instance;
  const events: WeirEvent[] = [];
  for (const o of tick.observations) {
    const partition = o.partition ?? NO_PARTITION;
    const [record] =
      partition === NO_PARTITION
        ? await eventLog.latest([o.asset])
        : await eventLog.partitionRecords(o.asset, [partition]);
    if (record?.observation?.observation.dataVersion === o.dataVersion) continue;
    events.push({
      type: 'asset:observed',
      assetKey: o.asset,
      partition,
      timestamp: context.now,
      observation: { dataVersion: o.dataVersion, metadata: o.metadata },
    });
  }
  const stored = (await eventLog.append(events)) as StoredEvent<'asset:observed'>[];
  return stored.map(({ id, assetKey, partition, observation }) => {
    const { path, file } = observation.metadata;
    // A file inside the project folder reads best relative to it (inbox/x.csv).
    const shown =
      typeof file === 'string' && !relative(process.cwd(), file).startsWith('..')
        ? relative(process.cwd(), file)
        : path;
    return {
      assetKey,
      partition,
      dataVersion: observation.dataVersion,
      eventId: id,
      ...(typeof shown === 'string' ? { path: shown } : {}),
    };
  });
}

function describeObserved(sensor: string, observed: Applied['observed']): string {
  if (observed.length === 0) return `sensor ${sensor} requested it`;
  const first = observed[0]!;
  const what =
    first.partition === NO_PARTITION ? first.assetKey : `${first.assetKey}[${first.partition}]`;
  const more = observed.length > 1 ? ` and ${observed.length - 1} more` : '';
  return `sensor ${sensor} observed ${what}${more}`;
}
