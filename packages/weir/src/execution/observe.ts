import type {
  Metadata,
  ObserveContext,
  ObserveResult,
  SourceAssetDefinition,
} from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AssetRecord, EventLog, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import type { ResourcePool } from './_resources.js';
import { consoleLogger } from './_step-logger.js';
import { readRecords } from './project-graph.js';

export interface ObservationFailure {
  key: string;
  error: Error;
}

/**
 * Observes source assets and records an `asset:observed` event for each whose data version
 * differs from the last one recorded. Failures are returned, not thrown: a broken source
 * stops only what depends on it.
 */
export async function observeSources(
  graph: AssetGraph,
  keys: Iterable<string>,
  eventLog: EventLog,
  records: ReadonlyMap<string, AssetRecord>,
  resources: ResourcePool,
  signal: AbortSignal,
): Promise<{ failures: ObservationFailure[]; observed: StoredEvent<'asset:observed'>[] }> {
  const sources = [...keys].map((key) => graph.node(key)).filter((node) => node.kind === 'source');
  const failures: ObservationFailure[] = [];
  const observed: WeirEvent[] = [];
  await Promise.all(
    sources.map(async (node) => {
      const definition = node.definition as SourceAssetDefinition;
      try {
        const ctx: ObserveContext = {
          key: node.key,
          resources: await resources.valuesFor(definition.resources),
          log: consoleLogger(node.key),
          signal,
        };
        const { dataVersion, metadata } = normalize(await definition.observe(ctx), node.key);
        if (records.get(node.key)?.observation?.observation.dataVersion === dataVersion) return;
        observed.push({
          type: 'asset:observed',
          assetKey: node.key,
          partition: NO_PARTITION,
          timestamp: Date.now(),
          observation: { dataVersion, metadata },
        });
      } catch (error) {
        failures.push({
          key: node.key,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    }),
  );
  observed.sort((a, b) =>
    'assetKey' in a && 'assetKey' in b ? a.assetKey.localeCompare(b.assetKey) : 0,
  );
  const stored = (await eventLog.append(observed)) as StoredEvent<'asset:observed'>[];
  return { failures: failures.sort((a, b) => a.key.localeCompare(b.key)), observed: stored };
}

function normalize(
  result: ObserveResult,
  key: string,
): { dataVersion: string; metadata: Metadata } {
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

/**
 * The records of `keys`, read once, after observing the source assets among them (when
 * `observe`): new observations are merged in rather than read back.
 */
export async function observeAndRead(
  graph: AssetGraph,
  keys: ReadonlySet<string>,
  eventLog: EventLog,
  resources: ResourcePool,
  signal: AbortSignal,
  observe: boolean,
): Promise<{ records: Map<string, AssetRecord>; failures: ObservationFailure[] }> {
  const records = await readRecords(eventLog, keys);
  const hasSources = [...keys].some((key) => graph.node(key).kind === 'source');
  if (!observe || !hasSources) return { records, failures: [] };
  const { failures, observed } = await observeSources(
    graph,
    keys,
    eventLog,
    records,
    resources,
    signal,
  );
  for (const event of observed) {
    const record = records.get(event.assetKey) ?? {
      assetKey: event.assetKey,
      partition: event.partition,
      checks: {},
    };
    record.observation = event;
    records.set(event.assetKey, record);
  }
  return { records, failures };
}
