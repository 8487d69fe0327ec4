/**
 * @module execution/read-state
 * The one read path: how status, why, check, plan and backfill learn the current state. It
 * observes source assets (when asked) without recording anything, reads the index records and
 * partition rows of a selection and its upstream, and resolves staleness. It writes nothing.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { AssetRecord, StoredEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import {
  type AssetState,
  type PartitionInputs,
  resolveFromRows,
  resolveStaleness,
  type SourcePartitionsNow,
} from '../versioning/index.js';
import { probeArtefacts } from './_artefact-probe.js';
import { RecordMap } from './_record-map.js';
import { ResourcePool } from './_resources.js';
import type { LogEntry } from './_step-logger.js';
import type { Instance } from './instance.js';
import { NOTHING_OBSERVED, observeSources, type SourceObservations } from './observe.js';
import { partitionCacheDir, readPartitionInputs } from './partitions.js';
import { graphOf, readStatusRows, selectKeys } from './project-graph.js';

export interface ReadStateOptions {
  instance: Instance;
  /** A selection expression, or a list of asset keys; every asset when omitted. */
  selection?: string | readonly string[];
  /**
   * Observe source assets first (default true). A version that differs from the recorded one
   * counts as newer than anything recorded, so its readers show stale; it is not recorded.
   */
  observe?: boolean;
  /** The time freshness and time windows are judged at (epoch ms); now by default. */
  now?: number;
  signal?: AbortSignal;
  /** `ctx.log` entries of source observers. */
  onLog?: (assetKey: string, entry: LogEntry) => void;
  /**
   * Check that the selected assets' current artefacts are there and were not written over
   * (default true): a missing or corrupt one makes its asset stale (see _artefact-probe.ts).
   */
  checkArtefacts?: boolean;
  /**
   * Read the index record of every asset read (`records`, `AssetState.record`), as `why`,
   * `status --json` and `check` show them (default false). Otherwise a record is read only
   * where staleness needs it: for every asset not shown fresh by its status row, and for its
   * upstream; an asset its row shows fresh has no record unless it is one of those.
   */
  details?: boolean;
}

/** The state of a selection and its upstream, as read at one moment. */
export interface StateSnapshot {
  graph: AssetGraph;
  /** The selected keys. */
  selected: ReadonlySet<string>;
  /** The selection and everything upstream of it: what was read. */
  keys: ReadonlySet<string>;
  now: number;
  /**
   * Index records by asset key (with observations made in this read but not recorded): of
   * every key in `keys` with `details`, else of those staleness needed (see `details`).
   */
  records: ReadonlyMap<string, AssetRecord>;
  /** Reads the records of more keys into `records` (and so into their states' `record`). */
  loadRecords(keys: Iterable<string>): Promise<void>;
  /** Source observations made in this read: versions that changed, and failures. */
  observations: SourceObservations;
  partitions: PartitionInputs;
  /** The state of every key in `keys`. */
  states: ReadonlyMap<string, AssetState>;
}

/** Reads the current state of a selection and everything upstream of it. Writes nothing. */
export async function readState(
  project: ProjectDefinition | AssetGraph,
  options: ReadStateOptions,
): Promise<StateSnapshot> {
  const graph = graphOf(project);
  const signal = options.signal ?? new AbortController().signal;
  const resources = new ResourcePool(graph.resources, signal);
  try {
    return await readStateWith(graph, options, { resources });
  } finally {
    await resources.disposeAll();
  }
}

/**
 * `readState` with the caller's resources (a run observes with the resources its steps use),
 * or with observations the caller made and recorded already.
 */
export async function readStateWith(
  graph: AssetGraph,
  options: Omit<ReadStateOptions, 'observe'> & { observe?: boolean },
  given: { resources: ResourcePool; observed?: SourceObservations },
): Promise<StateSnapshot> {
  const { eventLog } = options.instance;
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? Date.now();
  if (!Number.isFinite(now)) {
    throw new EnvironmentError('E_USAGE', `now must be a time in epoch milliseconds, got ${now}`);
  }
  const selected = selectKeys(graph, options.selection);
  const keys = selected.size === graph.size ? selected : graph.upstreamOf(selected);
  const observations =
    given.observed ??
    (options.observe === false
      ? NOTHING_OBSERVED
      : await observeSources(graph, keys, eventLog, {
          resources: given.resources,
          signal,
          now,
          ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
        }));
  // The status rows decide which assets are fresh; records are read for sources (few, and
  // observed now), then for whatever the rows leave undecided and its upstream.
  const rows = await readStatusRows(eventLog, keys);
  const records = new RecordMap(eventLog);
  await records.load([...keys].filter((key) => graph.node(key).kind === 'source'));
  for (const change of observations.changed) {
    if (change.partition === NO_PARTITION) withPendingObservation(records, change);
  }
  const partitions = await readPartitionInputs(
    graph,
    eventLog,
    keys,
    now,
    partitionCacheDir(options.instance),
  );
  const inputs = {
    records,
    keys: selected.size === graph.size ? undefined : selected,
    now,
    unobservable: new Map(
      observations.failures
        .filter((f) => f.partition === NO_PARTITION)
        .map((f) => [f.key, f.error.message]),
    ),
    partitions,
    sources: partitionedSources(observations),
  };
  const resolved = resolveFromRows(graph, { ...inputs, rows });
  await records.load(options.details ? keys : undecided(graph, keys, resolved));
  const states = resolveStaleness(graph, { ...inputs, resolved });
  if (options.checkArtefacts !== false) {
    await probeArtefacts(graph, options.instance.artefacts, selected, rows, records, states);
  }
  const loadRecords = (more: Iterable<string>) => records.load(more);
  return { graph, selected, keys, now, records, loadRecords, observations, partitions, states };
}

/** The keys the status rows left undecided, and their upstream: whose records staleness reads. */
function undecided(
  graph: AssetGraph,
  keys: ReadonlySet<string>,
  resolved: ReadonlyMap<string, AssetState>,
): Set<string> {
  const wanted = new Set<string>();
  for (const key of keys) {
    if (resolved.has(key)) continue;
    wanted.add(key);
    for (const parent of graph.parents(key)) wanted.add(parent);
  }
  return wanted;
}

/** What observing found of each partitioned source: changed and failing partitions. */
function partitionedSources(observations: SourceObservations): Map<string, SourcePartitionsNow> {
  const found = new Map<string, { changed: Set<string>; failed: Map<string, string> }>();
  const of = (key: string) => {
    let entry = found.get(key);
    if (entry === undefined) {
      entry = { changed: new Set(), failed: new Map() };
      found.set(key, entry);
    }
    return entry;
  };
  for (const { key, partition } of observations.changed) {
    if (partition !== NO_PARTITION) of(key).changed.add(partition);
  }
  for (const { key, partition, error } of observations.failures) {
    if (partition !== NO_PARTITION) of(key).failed.set(partition, error.message);
  }
  return found;
}

/**
 * Puts an observation made now but not recorded into a source's record: its event id is 0
 * (none yet) and its data changed after every recorded event, so every reader is stale.
 */
function withPendingObservation(
  records: RecordMap,
  change: SourceObservations['changed'][number],
): void {
  const recorded = records.get(change.key);
  if (recorded?.observation?.observation.dataVersion === change.observation.dataVersion) return;
  const observation: StoredEvent<'asset:observed'> = {
    id: 0,
    type: 'asset:observed',
    assetKey: change.key,
    partition: NO_PARTITION,
    timestamp: change.timestamp,
    observation: change.observation,
  };
  records.set(change.key, {
    ...(recorded ?? { assetKey: change.key, partition: NO_PARTITION, checks: {} }),
    observation,
    dataChangedId: Number.POSITIVE_INFINITY,
  });
}
