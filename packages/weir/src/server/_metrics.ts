/**
 * @module server/_metrics
 * GET /metrics in Prometheus' text format (prom-client). Gauges are read when scraped (assets
 * by status, overdue, with failing checks; runs in progress); counters and histograms count
 * what the event hub sees from the server's start (runs and steps by outcome, step durations,
 * sensor tick durations), as Prometheus counters do: `rate()` and `increase()` handle the
 * reset when the server restarts.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StoredEvent } from '../storage/index.js';
import type { ServerContext } from './_context.js';

const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export class Metrics {
  readonly registry = new Registry();
  private readonly runs: Counter<'status'>;
  private readonly steps: Counter<'outcome'>;
  private readonly stepSeconds: Histogram;
  private readonly tickSeconds: Histogram<'sensor'>;
  private readonly reactionSeconds: Histogram;
  private readonly scheduleLagSeconds: Histogram<'schedule'>;
  /** When each asset's data last changed (a materialization or observation the hub saw). */
  private readonly changedAt = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(private readonly context: ServerContext) {
    const registers = [this.registry];
    this.runs = new Counter({
      name: 'weir_runs_total',
      help: 'Runs finished, by status',
      labelNames: ['status'],
      registers,
    });
    this.steps = new Counter({
      name: 'weir_steps_total',
      help: 'Steps ended, by outcome (materialized, failed, skipped, cancelled)',
      labelNames: ['outcome'],
      registers,
    });
    this.stepSeconds = new Histogram({
      name: 'weir_step_duration_seconds',
      // Not by asset: 10,000 assets × buckets would be more series than a Prometheus should hold.
      help: 'How long materializing an asset (partition) took',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.tickSeconds = new Histogram({
      name: 'weir_sensor_tick_duration_seconds',
      help: "How long a sensor's tick took",
      labelNames: ['sensor'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.reactionSeconds = new Histogram({
      name: 'weir_daemon_reaction_seconds',
      help: 'From an upstream change to the start of the run an automation condition launched for it',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers,
    });
    this.scheduleLagSeconds = new Histogram({
      name: 'weir_schedule_tick_lag_seconds',
      help: "From a schedule's cron time to its tick being handled",
      labelNames: ['schedule'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 3600],
      registers,
    });
    new Gauge({
      name: 'weir_assets',
      help: 'Assets by status (fresh, stale, missing, failed)',
      labelNames: ['status'],
      registers,
      async collect() {
        const counts = { fresh: 0, stale: 0, missing: 0, failed: 0 };
        for (const state of await context.live.status()) counts[state.status]++;
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'weir_assets_overdue',
      help: 'Assets whose freshness policy is violated now',
      registers,
      async collect() {
        const states = await context.live.status();
        this.set(states.filter((s) => s.freshness?.status === 'overdue').length);
      },
    });
    new Gauge({
      name: 'weir_assets_check_failing',
      help: 'Assets whose current materialization failed a check (blocking or warning)',
      registers,
      async collect() {
        const states = await context.live.status();
        this.set(
          states.filter(
            (s) =>
              s.warnings.length > 0 ||
              s.causes.some((c) => c.category === 'check' && c.key === s.key),
          ).length,
        );
      },
    });
    new Gauge({
      name: 'weir_runs_running',
      help: 'Runs in progress on the instance',
      registers,
      async collect() {
        this.set(
          (await context.instance.eventLog.runs({ status: 'running', limit: 10_000 })).length,
        );
      },
    });
    new Gauge({
      name: 'weir_last_event_id',
      help: 'The newest event id of the log (grows with every event)',
      registers,
      collect() {
        this.set(context.hub.lastEventId);
      },
    });
    this.unsubscribe = context.hub.subscribe((events) => {
      for (const event of events) this.count(event);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** A condition's run: how long after the newest change of the asset's upstream it started. */
  private reaction(event: StoredEvent<'run:started'>): void {
    const trigger = event.trigger;
    if (trigger?.kind !== 'condition' || !this.context.graph.has(trigger.name)) return;
    let newest = 0;
    for (const parent of this.context.graph.node(trigger.name).parents) {
      newest = Math.max(newest, this.changedAt.get(parent) ?? 0);
    }
    // Only a change seen moments before: otherwise the run was for something else (missing, a cron).
    const ms = event.timestamp - newest;
    if (newest > 0 && ms >= 0 && ms < 60_000) this.reactionSeconds.observe(ms / 1000);
  }

  private count(event: StoredEvent): void {
    switch (event.type) {
      case 'run:finished':
        this.runs.inc({ status: event.status });
        return;
      case 'asset:observed':
        this.changedAt.set(event.assetKey, event.timestamp);
        return;
      case 'run:started':
        this.reaction(event);
        return;
      case 'schedule:ticked':
        this.scheduleLagSeconds.observe(
          { schedule: event.name },
          Math.max(0, event.timestamp - event.tick) / 1000,
        );
        return;
      case 'asset:materialized': {
        this.changedAt.set(event.assetKey, event.timestamp);
        this.steps.inc({ outcome: 'materialized' });
        const { startedAt, endedAt } = event.materialization;
        this.stepSeconds.observe(Math.max(0, endedAt - startedAt) / 1000);
        return;
      }
      case 'step:failed':
        this.steps.inc({ outcome: 'failed' });
        return;
      case 'step:skipped':
        this.steps.inc({ outcome: 'skipped' });
        return;
      case 'step:cancelled':
        this.steps.inc({ outcome: 'cancelled' });
        return;
      case 'sensor:ticked':
        this.tickSeconds.observe({ sensor: event.name }, event.durationMs / 1000);
        return;
    }
  }
}
