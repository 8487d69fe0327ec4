/**
 * @module execution/ticket-runner
 * Runs units from their tickets in a process that loaded the project and opened the run's
 * instance (a child of the run's process, or a queue worker): exactly what the in-process
 * executor does with the unit, recording the same events, under the lease the run took.
 * It keeps each run's resources until told the run ended.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { StoredEvent } from '../storage/index.js';
import { RunStopped, toErrorInfo } from './_errors.js';
import { ResourcePool } from './_resources.js';
import type { LogEntry } from './_step-logger.js';
import { type RunState, ticketContext, ticketNode } from './_ticket-context.js';
import type { StepOutcome } from './executor.js';
import type { Instance } from './instance.js';
import { graphOf } from './project-graph.js';
import { runUnit } from './step.js';
import { type TicketOutcome, UNIT_TICKET_VERSION, type UnitTicket } from './unit-ticket.js';

export interface RunTicketOptions {
  /** Abort to cancel the unit (as the run's signal does in-process). */
  signal?: AbortSignal;
  /** Every event the unit records, as it is recorded (to hand on to the run's listeners). */
  onEvent?: (event: StoredEvent) => void;
  /** Every `ctx.log` entry as it is written. */
  onLog?: (assetKey: string, entry: LogEntry) => void;
  /**
   * The queue worker running it (its id): recorded on every event of the unit it records
   * (`worker`), so the event log says which worker ran each step.
   */
  worker?: string;
}

/** Runs tickets against one project and one instance (the run's: the same event log and artefacts). */
export class TicketRunner {
  private readonly graph: AssetGraph;
  private readonly runs = new Map<string, RunState & { controller: AbortController }>();

  constructor(
    project: ProjectDefinition | AssetGraph,
    private readonly instance: Pick<Instance, 'eventLog' | 'artefacts'>,
  ) {
    this.graph = graphOf(project);
  }

  /**
   * Runs the unit of `ticket` to its outcome. Refuses (`unrun`, recording nothing) a ticket
   * this process cannot run as its run would: not of this instance, another project, a
   * lease the run no longer holds (then `cancelled`).
   */
  async run(ticket: UnitTicket, options: RunTicketOptions = {}): Promise<TicketOutcome> {
    try {
      if (ticket?.v !== UNIT_TICKET_VERSION) {
        throw new EnvironmentError(
          'E_USAGE',
          `a unit ticket of version ${JSON.stringify(ticket?.v)}, this process reads version ${UNIT_TICKET_VERSION}`,
          { hint: 'run the same version of Weir in every process of a deployment' },
        );
      }
      const node = ticketNode(this.graph, ticket, options.worker);
      const lost = await this.leaseProblem(ticket);
      if (lost !== undefined) return lost;
      const { run, unit } = await ticketContext(ticket, node, {
        graph: this.graph,
        instance: this.instance,
        state: this.stateOf(ticket.runId),
        signal: options.signal ?? new AbortController().signal,
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
        ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
        ...(options.worker === undefined ? {} : { worker: options.worker }),
      });
      return asJson(await runUnit(run, unit, ticket.attempt));
    } catch (error) {
      if (error instanceof RunStopped) return { status: 'stopped', error: toErrorInfo(error) };
      return { status: 'unrun', error: toErrorInfo(error) };
    }
  }

  /** The run ended: disposes of the resources its units created here; returns what failed. */
  async releaseRun(runId: string): Promise<Error[]> {
    const state = this.runs.get(runId);
    if (state === undefined) return [];
    this.runs.delete(runId);
    state.controller.abort();
    return state.resources.disposeAll();
  }

  /** Releases every run (see `releaseRun`). */
  async close(): Promise<Error[]> {
    const errors: Error[] = [];
    for (const runId of [...this.runs.keys()]) errors.push(...(await this.releaseRun(runId)));
    return errors;
  }

  private stateOf(runId: string): RunState {
    let state = this.runs.get(runId);
    if (state === undefined) {
      const controller = new AbortController();
      state = {
        controller,
        resources: new ResourcePool(this.graph.resources, controller.signal),
        spaces: new Map(),
      };
      this.runs.set(runId, state);
    }
    return state;
  }

  /**
   * Why the ticket's run does not hold the unit's leases here: it is not in this event log
   * (this process opened another instance), or it lost or settled them meanwhile.
   */
  private async leaseProblem(ticket: UnitTicket): Promise<TicketOutcome | undefined> {
    const { eventLog } = this.instance;
    const leases = await eventLog.leases(ticket.assetKey, ticket.partitions);
    const ours = leases.filter((lease) => lease.runId === ticket.runId);
    if (ours.length === ticket.partitions.length) return undefined;
    if ((await eventLog.run(ticket.runId)) === undefined) {
      throw new EnvironmentError(
        'E_USAGE',
        `run ${ticket.runId} is not in this process's event log: it opened another instance than the run's`,
        {
          hint: 'a process that runs steps must open the instance of the process that planned the run',
        },
      );
    }
    const other = leases.find((lease) => lease.runId !== ticket.runId);
    return {
      status: 'cancelled',
      reason:
        other === undefined
          ? 'its run no longer holds its lease (it settled the step meanwhile)'
          : `its lease is held by run ${other.runId} (this run was judged dead)`,
    };
  }
}

function asJson(outcome: StepOutcome): TicketOutcome {
  return outcome.status === 'failed'
    ? { status: 'failed', error: toErrorInfo(outcome.error) }
    : outcome;
}
