/**
 * @module execution/_ticket-context
 * The run context and the unit of a ticket, rebuilt in the process that runs it: the asset
 * from the project it loaded, the partition spaces as of the run's clock, and the versions
 * of its inputs exactly as the claim saw them (the log's, unless another run moved one on
 * since: then the version the claim was made against, read by its event id).
 */
import {
  type AssetDefinition,
  PartitionSet,
  type PartitionSpace,
  unitLabel,
} from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph, AssetNode } from '../graph/index.js';
import type { StoredEvent } from '../storage/index.js';
import { codeVersionOf } from '../versioning/index.js';
import { mappedKeys } from './_inputs.js';
import type { ResourcePool } from './_resources.js';
import { RunContext, type RunContextOptions } from './_run-context.js';
import type { StepUnit } from './_units.js';
import { VersionBook, type VersionEvent } from './_version-book.js';
import type { Instance } from './instance.js';
import { resolveSpaces } from './partitions.js';
import type { UnitTicket } from './unit-ticket.js';

/** What a runner keeps for one run while it runs that run's units. */
export interface RunState {
  resources: ResourcePool;
  /** Partition spaces as of the run's clock, resolved when a unit first needs them. */
  spaces: Map<string, PartitionSpace>;
}

export interface TicketContextOptions {
  graph: AssetGraph;
  instance: Pick<Instance, 'eventLog' | 'artefacts'>;
  state: RunState;
  signal: AbortSignal;
  onEvent?: RunContextOptions['onEvent'];
  onLog?: RunContextOptions['onLog'];
  worker?: string;
}

/**
 * The asset of `ticket` in `graph`, or why this process (queue worker `worker`) cannot run it:
 * the asset is not in the project it loaded, its code or its inputs are not those the run
 * planned with.
 */
export function ticketNode(graph: AssetGraph, ticket: UnitTicket, worker?: string): AssetNode {
  const node = graph.get(ticket.assetKey);
  const who = worker === undefined ? 'this process' : `worker ${worker}`;
  const differs = (what: string) =>
    new EnvironmentError(
      'E_PROJECT_LOAD',
      `${who} cannot run ${unitLabel(ticket.assetKey, ticket.partitions)} of run ${ticket.runId}: ${what}`,
      {
        hint: 'every process that runs steps must load the same project (same files, same code) as the process that planned the run: a long-lived one (a weir worker, a daemon) that loaded it before the code changed must be restarted',
      },
    );
  if (node === undefined || node.kind !== 'asset') {
    throw differs(`the project it loaded has no asset ${ticket.assetKey}`);
  }
  const code = codeVersionOf(node.definition as AssetDefinition);
  if (code !== ticket.codeVersion) {
    throw differs(
      `its code differs (version ${code.slice(0, 12)} here, ${ticket.codeVersion.slice(0, 12)} when the run planned it)`,
    );
  }
  const reads = Object.keys(ticket.reads).sort();
  if (reads.join('\0') !== [...node.parents].sort().join('\0')) {
    throw differs(
      `it reads ${node.parents.join(', ') || 'nothing'} here, ${reads.join(', ') || 'nothing'} when the run planned it`,
    );
  }
  return node;
}

/** The context and unit that run `ticket` here, reading the versions its claim saw. */
export async function ticketContext(
  ticket: UnitTicket,
  node: AssetNode,
  options: TicketContextOptions,
): Promise<{ run: RunContext; unit: StepUnit }> {
  const { graph, instance, state } = options;
  const { eventLog } = instance;
  const keys = [node.key, ...node.parents];
  const partitioned = keys.filter((key) => graph.get(key)?.partitions !== undefined);
  const missing = partitioned.filter((key) => !state.spaces.has(key));
  if (missing.length > 0) {
    for (const [key, space] of await resolveSpaces(graph, eventLog, missing, ticket.now)) {
      state.spaces.set(key, space);
    }
  }
  const spaces = new Map(partitioned.map((key) => [key, state.spaces.get(key)!]));
  const plain = keys.filter((key) => !spaces.has(key));
  const records = new Map((await eventLog.latest(plain)).map((r) => [r.assetKey, r]));
  const run = new RunContext({
    runId: ticket.runId,
    graph,
    eventLog,
    artefacts: instance.artefacts,
    resources: state.resources,
    versions: new VersionBook(records, spaces.keys(), eventLog),
    signal: options.signal,
    spaces,
    holder: ticket.holder,
    previousAvailable: ticket.previous,
    now: ticket.now,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    ...(options.worker === undefined ? {} : { worker: options.worker }),
  });
  const unit = unitOf(ticket, spaces.get(node.key));
  await pinReads(run, node, unit, ticket.reads);
  return { run, unit };
}

/** The unit of `ticket` in `space` (its asset's partition space here). */
function unitOf(ticket: UnitTicket, space: PartitionSpace | undefined): StepUnit {
  const keys = [...ticket.partitions];
  const label = unitLabel(ticket.assetKey, keys);
  const unit: StepUnit = {
    id: 0,
    key: ticket.assetKey,
    partitions: undefined,
    space,
    keys,
    label,
    parents: [],
    children: [],
  };
  if (space === undefined) {
    if (keys.length === 1 && keys[0] === '') return unit;
    throw new EnvironmentError(
      'E_PROJECT_LOAD',
      `${label}: ${ticket.assetKey} is not partitioned in the project this process loaded`,
    );
  }
  const indices = keys.map((key) => space.indexOf(key));
  const absent = keys.filter((_, i) => indices[i]! < 0);
  if (absent.length > 0 || keys.length === 0) {
    throw new EnvironmentError(
      'E_NOT_FOUND',
      `${label}: partition ${absent.join(', ')} of ${ticket.assetKey} no longer exists`,
    );
  }
  const first = indices[0]!;
  if (indices.some((index, i) => index !== first + i)) {
    throw new EnvironmentError(
      'E_PROJECT_LOAD',
      `${label}: its partitions are not one range of ${ticket.assetKey}'s partition space here`,
    );
  }
  unit.partitions = PartitionSet.fromRanges(space.size, [[first, first + keys.length]]);
  return unit;
}

/**
 * Makes the run read, of every upstream partition the unit reads, the version its claim saw:
 * the log's newest usable one unless another run replaced it since.
 */
async function pinReads(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  reads: UnitTicket['reads'],
): Promise<void> {
  for (const parent of node.parents) {
    const claimed = reads[parent] ?? {};
    const partitioned = run.versions.isPartitioned(parent);
    const keys = partitioned ? mappedKeys(run, node, unit, parent) : [''];
    if (partitioned) await run.versions.load(parent, keys);
    for (const key of keys) {
      const wanted = claimed[key] ?? 0;
      if ((run.versions.event(parent, key)?.id ?? 0) === wanted) continue;
      const event = wanted === 0 ? undefined : await run.eventLog.event(wanted);
      if (wanted !== 0 && !isVersion(event)) {
        throw new EnvironmentError(
          'E_STORAGE',
          `${unit.label} read ${unitLabel(parent, [key])} at event ${wanted}, which is not a version in this process's event log`,
        );
      }
      run.versions.pin(parent, key, event as VersionEvent | undefined);
    }
  }
}

function isVersion(event: StoredEvent | undefined): boolean {
  return event?.type === 'asset:materialized' || event?.type === 'asset:observed';
}
