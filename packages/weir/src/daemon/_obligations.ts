/**
 * @module daemon/_obligations
 * Who hears of a missed obligation: the daemon follows the log for failed steps (of any
 * process on the instance) and records freshness on a clock (each violation and recovery an
 * event, `recordFreshness`), and sends the `onFailure` / `onOverdue` notifications of the
 * asset and of the project. Sending never blocks the daemon, and a failed send is reported,
 * not retried forever.
 */
import type { Notification, ProjectDefinition } from '../definitions/index.js';
import { type Instance, recordFreshness } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { StoredEvent } from '../storage/index.js';
import { describeTarget, type NotificationEvent, sendNotification } from './notify.js';

export interface Sent {
  target: string;
  event: NotificationEvent;
  ok: boolean;
  error?: string;
}

export class Obligations {
  /** The newest event id looked at for failures. */
  private cursor: number;
  private readonly sending = new Set<Promise<void>>();
  /** Aborts the sends still going when the daemon stops and will not wait longer. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly project: ProjectDefinition,
    private readonly graph: AssetGraph,
    private readonly instance: Instance,
    /** How notifications name the instance (its folder). */
    private readonly instanceName: string,
    startAfter: number,
    private readonly onSent: (sent: Sent) => void,
  ) {
    this.cursor = startAfter;
  }

  /** Notifies the failures recorded since the last call. */
  async followFailures(): Promise<void> {
    const failures = await this.instance.eventLog.events({
      afterId: this.cursor,
      types: ['step:failed'],
      limit: 1_000,
    });
    for (const failure of failures as StoredEvent<'step:failed'>[]) {
      this.cursor = failure.id;
      this.notify('onFailure', {
        kind: 'failure',
        assetKey: failure.assetKey,
        ...(failure.partition === '' ? {} : { partition: failure.partition }),
        runId: failure.runId,
        message: `${label(failure.assetKey, failure.partition)} failed: ${failure.error.message}`,
        at: new Date(failure.timestamp).toISOString(),
        instance: this.instanceName,
      });
    }
    if (failures.length === 0)
      this.cursor = Math.max(this.cursor, await this.instance.eventLog.lastEventId());
  }

  /** Records freshness at `now` and notifies each violation and recovery. */
  async checkFreshness(now: number): Promise<StoredEvent<'freshness:evaluated'>[]> {
    const recorded = await recordFreshness(this.graph, { instance: this.instance, now });
    for (const event of recorded) {
      const { status } = event.freshness;
      if (status === 'unknown') continue;
      // A policy per partition: each partition is notified on its own, not the asset's summary.
      const perPartition = this.graph.node(event.assetKey).definition.partitionFreshness;
      if ((perPartition !== undefined) !== (event.partition !== '')) continue;
      if (status === 'fresh' && !(await this.wasOverdue(event))) continue;
      const what = label(event.assetKey, event.partition);
      this.notify('onOverdue', {
        kind: status === 'overdue' ? 'overdue' : 'recovered',
        assetKey: event.assetKey,
        ...(event.partition === '' ? {} : { partition: event.partition }),
        message:
          status === 'overdue'
            ? `${what} is overdue: ${event.freshness.reason}`
            : `${what} is fresh again`,
        at: new Date(event.timestamp).toISOString(),
        instance: this.instanceName,
      });
    }
    return recorded;
  }

  /** Whether the freshness recorded before `event` for its asset (or partition) said overdue. */
  private async wasOverdue(event: StoredEvent<'freshness:evaluated'>): Promise<boolean> {
    // The asset's own events, or (a partition's) the newest of its partition among recent ones.
    const previous = (
      (await this.instance.eventLog.events({
        assetKey: event.assetKey,
        types: ['freshness:evaluated'],
        afterId: event.id,
        descending: true,
        limit: event.partition === '' ? 20 : 1_000,
      })) as StoredEvent<'freshness:evaluated'>[]
    ).find((e) => e.partition === event.partition);
    return previous?.freshness.status === 'overdue';
  }

  /**
   * Resolves when every notification sent so far has been delivered or given up; with
   * `maxMs` (the daemon stopping), sends still going after that long are abandoned.
   */
  async idle(maxMs?: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    if (maxMs !== undefined) timer = setTimeout(() => this.stopping.abort(), maxMs);
    try {
      while (this.sending.size > 0) await Promise.all(this.sending);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A sensor's tick failed after one that did not (or its first): the project's onFailure. */
  sensorFailed(tick: StoredEvent<'sensor:ticked'>): void {
    this.notify('onFailure', {
      kind: 'failure',
      sensor: tick.name,
      message: `sensor ${tick.name} ${tick.outcome === 'timed-out' ? 'timed out' : 'failed'}: ${tick.error?.message ?? ''}`,
      at: new Date(tick.timestamp).toISOString(),
      instance: this.instanceName,
    });
  }

  private notify(occasion: 'onFailure' | 'onOverdue', event: NotificationEvent): void {
    const definition =
      event.assetKey === undefined ? undefined : this.graph.get(event.assetKey)?.definition;
    const targets: readonly Notification[] = [
      ...((definition as { [K in typeof occasion]?: readonly Notification[] } | undefined)?.[
        occasion
      ] ?? []),
      ...this.project.notifications[occasion],
    ];
    for (const target of targets) {
      const sending = sendNotification(target, event, { signal: this.stopping.signal }).then(
        (outcome) => {
          this.onSent({
            target: describeTarget(target),
            event,
            ok: outcome.ok,
            ...(outcome.ok ? {} : { error: outcome.error }),
          });
        },
      );
      const tracked: Promise<void> = sending.finally(() => this.sending.delete(tracked));
      this.sending.add(tracked);
    }
  }
}

const label = (key: string, partition: string) => (partition === '' ? key : `${key}[${partition}]`);
