/**
 * @module execution/verify
 * `verify()`: checks the artefacts of a selection against their content hashes (the current
 * ones, or all history), optionally proves that each current materialization is reproducible
 * (re-run from its recorded inputs and code into a scratch store: same data version?), and
 * repairs missing or corrupt artefacts whose content a reproduction gives back exactly.
 *
 * It changes no current data and no index: checks and reproductions record nothing (they are
 * reads, repeatable at any time); a repair rewrites bytes in the store and records an
 * `artefact:repaired` event, which indexes nothing, so the log explains the change.
 */
import { type ArtefactHealth, isArtefactError, type StoredArtefact } from '../artefacts/index.js';
import type { ProjectDefinition } from '../definitions/index.js';
import { unitLabel } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Materialization, MaterializationEvent } from '../storage/index.js';
import { differences } from './_differences.js';
import { ResourcePool } from './_resources.js';
import { ScratchArtefacts } from './_scratch-store.js';
import type { LogEntry } from './_step-logger.js';
import { type Target, targetsOf } from './_verify-targets.js';
import type { Instance } from './instance.js';
import { type PartitionRequest, requestedPartitions } from './partitions.js';
import { graphOf } from './project-graph.js';
import { readState } from './read-state.js';
import { type ReproduceContext, type ReproductionOutcome, reproduce } from './reproduce.js';

export interface VerifyOptions {
  instance: Instance;
  /** A selection expression; every asset when omitted. */
  selection?: string;
  /** Partitioned assets: only these partitions (all when omitted). */
  partitions?: PartitionRequest;
  /** Every materialization in history, not only the current ones. */
  all?: boolean;
  /** Re-materialize each current materialization from its recorded inputs and compare. */
  reproduce?: boolean;
  /** Rewrite missing or corrupt artefacts whose content a reproduction gives back exactly. */
  repair?: boolean;
  /** The time that decides which time windows exist (default: now). */
  now?: number;
  signal?: AbortSignal;
  /** `ctx.log` entries of reproduced steps. */
  onLog?: (assetKey: string, entry: LogEntry) => void;
}

export type ArtefactStatus = 'intact' | 'missing' | 'corrupt' | 'unreadable' | 'collected';

export interface ArtefactCheck {
  assetKey: string;
  partition: string;
  materializationId: number;
  location: string;
  /** What consumers read now (false: history, with `all`). */
  current: boolean;
  /** `collected`: removed by `weir gc` on purpose (history only). */
  status: ArtefactStatus;
  /** With `repair`, for a missing or corrupt artefact: rewritten, or why not. */
  repair?: { repaired: true } | { repaired: false; reason: string };
}

export interface ReproductionCheck {
  assetKey: string;
  partition: string;
  materializationId: number;
  /** `differs`: the step is not deterministic (or reads something its inputs do not say). */
  status: 'reproduced' | 'differs' | 'cannot-reproduce' | 'failed';
  /** Why it could not be reproduced, or how the re-run failed. */
  reason?: string;
  recorded: { dataVersion: string; contentHash: string };
  reproduced?: { dataVersion: string; contentHash: string };
  /** What differed, briefly (versions, fields, bytes, files). */
  differences?: string[];
}

export interface VerifyReport {
  artefacts: ArtefactCheck[];
  reproductions: ReproductionCheck[];
}

export async function verify(
  project: ProjectDefinition | AssetGraph,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const graph = graphOf(project);
  const { instance } = options;
  const signal = options.signal ?? new AbortController().signal;
  // Sources are observed only to tell whether one moved on since a reproduced step read it.
  const snapshot = await readState(graph, {
    instance,
    ...(options.selection === undefined ? {} : { selection: options.selection }),
    observe: options.reproduce === true || options.repair === true,
    checkArtefacts: false,
    details: true,
    ...(options.now === undefined ? {} : { now: options.now }),
    signal,
  });
  const keys = graph.keys.filter(
    (key) => snapshot.selected.has(key) && graph.node(key).kind === 'asset',
  );
  const query = {
    eventLog: instance.eventLog,
    records: snapshot.records,
    partitions: snapshot.partitions,
    requested: requestedPartitions(graph, keys, snapshot.partitions.spaces, options.partitions),
    all: options.all === true,
  };
  const targets: Target[] = [];
  for (const key of keys) targets.push(...(await targetsOf(query, key)));
  const collected = await collectedLocations(instance);
  const health = new Map<string, ArtefactHealth>();
  const artefacts: ArtefactCheck[] = [];
  for (const { event, current } of targets) {
    const location = event.materialization.artefact.location;
    if (!health.has(location))
      health.set(location, await instance.artefacts.verify(location, { deep: true }));
    artefacts.push(
      checkOf(event, current, statusOf(health.get(location)!, collected.has(location))),
    );
  }
  const wantsRun = options.reproduce === true || options.repair === true;
  if (!wantsRun) return { artefacts, reproductions: [] };
  const resources = new ResourcePool(graph.resources, signal);
  const scratch = new ScratchArtefacts(instance.artefacts);
  try {
    const ctx: ReproduceContext = {
      graph,
      instance,
      artefacts: scratch,
      spaces: snapshot.partitions.spaces,
      records: snapshot.records,
      observations: snapshot.observations,
      resources,
      signal,
    };
    const runs = new Runs(ctx, scratch);
    const reproductions = options.reproduce ? await reproduceCurrent(runs, targets) : [];
    if (options.repair) await repairAll(runs, targets, artefacts);
    return { artefacts, reproductions };
  } finally {
    await scratch.close();
    await resources.disposeAll();
  }
}

/** Reproductions made once per materialization (a repair reuses the proof's run). */
class Runs {
  private readonly done = new Map<number, Promise<ReproductionOutcome>>();
  constructor(
    readonly ctx: ReproduceContext,
    readonly scratch: ScratchArtefacts,
  ) {}

  of(event: MaterializationEvent): Promise<ReproductionOutcome> {
    let outcome = this.done.get(event.id);
    if (outcome === undefined) {
      outcome = reproduce(this.ctx, event);
      this.done.set(event.id, outcome);
    }
    return outcome;
  }
}

async function reproduceCurrent(
  runs: Runs,
  targets: readonly Target[],
): Promise<ReproductionCheck[]> {
  const out: ReproductionCheck[] = [];
  for (const { event, current } of targets) {
    if (!current) continue;
    const outcome = await runs.of(event);
    out.push(await reproductionCheck(runs, event, outcome));
  }
  return out;
}

async function reproductionCheck(
  runs: Runs,
  event: MaterializationEvent,
  outcome: ReproductionOutcome,
): Promise<ReproductionCheck> {
  const recorded = event.materialization;
  const base = {
    assetKey: event.assetKey,
    partition: event.partition,
    materializationId: event.id,
    recorded: { dataVersion: recorded.dataVersion, contentHash: recorded.artefact.contentHash },
  };
  if (outcome.status !== 'ran') return { ...base, status: outcome.status, reason: outcome.reason };
  const made = outcome.materialization;
  const reproduced = { dataVersion: made.dataVersion, contentHash: made.artefact.contentHash };
  if (sameData(recorded, made)) return { ...base, status: 'reproduced', reproduced };
  const found = await differences(recorded, made, runs.ctx.instance.artefacts, runs.scratch);
  return { ...base, status: 'differs', reproduced, differences: found };
}

function sameData(recorded: Materialization, made: Materialization): boolean {
  if (recorded.dataVersion !== made.dataVersion) return false;
  if (recorded.artefact.contentHash === made.artefact.contentHash) return true;
  // A data version of the step's own (ctx.setDataVersion) says what the data is whatever its
  // bytes (an embedded time, a database file's page layout): equal versions are the same data.
  return recorded.dataVersion !== recorded.artefact.contentHash;
}

/** Rewrites each missing or corrupt artefact a reproduction gives back exactly. */
async function repairAll(
  runs: Runs,
  targets: readonly Target[],
  artefacts: ArtefactCheck[],
): Promise<void> {
  const repaired = new Set<string>();
  for (const [i, { event }] of targets.entries()) {
    const check = artefacts[i]!;
    if (check.status === 'intact' || check.status === 'collected') continue;
    if (repaired.has(check.location)) {
      // Another materialization with the same content: its copy was rewritten just now.
      check.status = 'intact';
      check.repair = { repaired: true };
      continue;
    }
    check.repair = await repairOne(runs, event, check);
    if (check.repair.repaired) repaired.add(check.location);
  }
}

async function repairOne(
  runs: Runs,
  event: MaterializationEvent,
  check: ArtefactCheck,
): Promise<NonNullable<ArtefactCheck['repair']>> {
  const outcome = await runs.of(event);
  if (outcome.status !== 'ran') return { repaired: false, reason: outcome.reason };
  if (outcome.materialization.artefact.contentHash !== event.materialization.artefact.contentHash) {
    return {
      repaired: false,
      reason: 'a reproduction gives different content (the step is not deterministic)',
    };
  }
  const { instance } = runs.ctx;
  const label = unitLabel(event.assetKey, [event.partition]);
  const { artefact } = event.materialization;
  let stored: StoredArtefact;
  try {
    stored =
      artefact.format === 'files'
        ? await instance.artefacts.putPath(
            await runs.scratch.scratch.localPath(artefact.location),
            { label },
          )
        : await instance.artefacts.putBytes(await runs.scratch.scratch.read(artefact.location), {
            label,
          });
  } catch (error) {
    // This artefact cannot be rewritten here (its copy belongs to another user, the disk is
    // full): said in its row, and the other repairs go on.
    if (!isArtefactError(error)) throw error;
    return { repaired: false, reason: error.message };
  }
  if (stored.location !== artefact.location) {
    return { repaired: false, reason: `the reproduction was stored at ${stored.location}` };
  }
  await instance.eventLog.append([
    {
      type: 'artefact:repaired',
      assetKey: event.assetKey,
      partition: event.partition,
      timestamp: Date.now(),
      materializationId: event.id,
      location: artefact.location,
      found: check.status as 'missing' | 'corrupt' | 'unreadable',
    },
  ]);
  check.status = 'intact';
  return { repaired: true };
}

function checkOf(
  event: MaterializationEvent,
  current: boolean,
  status: ArtefactStatus,
): ArtefactCheck {
  return {
    assetKey: event.assetKey,
    partition: event.partition,
    materializationId: event.id,
    location: event.materialization.artefact.location,
    current,
    status,
  };
}

function statusOf(health: ArtefactHealth, collected: boolean): ArtefactStatus {
  if (health.status === 'missing' && collected) return 'collected';
  return health.status;
}

/** Locations `weir gc` removed (see `artefacts:collected`), with when (the latest time). */
export async function collectedLocations(instance: Instance): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const event of await instance.eventLog.events({ types: ['artefacts:collected'] })) {
    if (event.type !== 'artefacts:collected') continue;
    for (const location of event.locations) out.set(location, event.timestamp);
  }
  return out;
}
