/**
 * @module execution/observe
 * Observing source assets: calling each `observe()` and comparing what it returns with the
 * last recorded observation. Observing records nothing; writers record the changes with
 * `recordObservations`. A broken source is a failure returned, not thrown: it stops only what
 * depends on it.
 */
import type { ObserveContext, ObserveResult, SourceAssetDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { EventLog, Observation, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { ResourcePool } from './_resources.js';
import { bufferedLogger, type LogEntry } from './_step-logger.js';

export interface ObservationFailure {
  key: string;
  error: Error;
}

/** A source whose observed data version differs from the last one recorded. */
export interface ChangedObservation {
  key: string;
  /** When it was observed (epoch ms). */
  timestamp: number;
  observation: Observation;
}

export interface SourceObservations {
  /** Sources whose version changed since the last recorded observation (or that had none), by key. */
  changed: ChangedObservation[];
  failures: ObservationFailure[];
}

export const NOTHING_OBSERVED: SourceObservations = { changed: [], failures: [] };

export interface ObserveOptions {
  resources: ResourcePool;
  signal: AbortSignal;
  /** `ctx.log` entries of the observers. */
  onLog?: (assetKey: string, entry: LogEntry) => void;
}

/** Observes the source assets among `keys`, in parallel. Writes nothing. */
export async function observeSources(
  graph: AssetGraph,
  keys: Iterable<string>,
  eventLog: EventLog,
  options: ObserveOptions,
): Promise<SourceObservations> {
  const sources = [...keys].map((key) => graph.node(key)).filter((node) => node.kind === 'source');
  if (sources.length === 0) return NOTHING_OBSERVED;
  const recorded = new Map(
    (await eventLog.latest(sources.map((node) => node.key))).map((r) => [r.assetKey, r]),
  );
  const changed: ChangedObservation[] = [];
  const failures: ObservationFailure[] = [];
  const onLog = options.onLog ?? (() => {});
  await Promise.all(
    sources.map(async (node) => {
      const definition = node.definition as SourceAssetDefinition;
      try {
        const ctx: ObserveContext = {
          key: node.key,
          resources: await options.resources.valuesFor(definition.resources),
          log: bufferedLogger((entry) => onLog(node.key, entry)),
          signal: options.signal,
        };
        const observation = normalize(await definition.observe(ctx), node.key);
        const last = recorded.get(node.key)?.observation?.observation.dataVersion;
        if (last === observation.dataVersion) return;
        changed.push({ key: node.key, timestamp: Date.now(), observation });
      } catch (error) {
        failures.push({
          key: node.key,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    }),
  );
  changed.sort((a, b) => a.key.localeCompare(b.key));
  failures.sort((a, b) => a.key.localeCompare(b.key));
  return { changed, failures };
}

/** Records an `asset:observed` event for each changed source, in one transaction. */
export async function recordObservations(
  eventLog: EventLog,
  observations: SourceObservations,
): Promise<StoredEvent<'asset:observed'>[]> {
  const events = observations.changed.map(
    ({ key, timestamp, observation }): WeirEvent => ({
      type: 'asset:observed',
      assetKey: key,
      partition: NO_PARTITION,
      timestamp,
      observation,
    }),
  );
  return (await eventLog.append(events)) as StoredEvent<'asset:observed'>[];
}

function normalize(result: ObserveResult, key: string): Observation {
  if (typeof result === 'string' && result !== '') return { dataVersion: result, metadata: {} };
  if (
    typeof result === 'object' &&
    result !== null &&
    typeof result.dataVersion === 'string' &&
    result.dataVersion !== ''
  ) {
    return { dataVersion: result.dataVersion, metadata: result.metadata ?? {} };
  }
  throw new TypeError(
    `source asset '${key}' observe() must return a non-empty data version string or { dataVersion, metadata }, got ${JSON.stringify(result)}`,
  );
}
