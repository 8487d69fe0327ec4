/**
 * @module cli/commands/daemon
 * `weir daemon` and `weir dev`: the daemon in the foreground, printing what it does and why,
 * until Ctrl-C (runs in flight are cancelled and recorded so). Several may run against one
 * instance: one is the daemon, the others stand by and take over if it dies. `weir dev` also
 * serves the web UI and API (`weir serve`'s server) for local work.
 */
import { Daemon, type DaemonActivity } from '../../daemon/index.js';
import { instanceLabel } from '../../instance/index.js';
import { commandExecutor } from '../_queue.js';
import { type Command, positiveInteger, stringOption } from '../command.js';
import { formatClock, type Output, paint, STATUS_COLOR } from '../format.js';
import { SERVER_HELP, SERVER_OPTIONS, startCommandServer } from './serve.js';

const help = `options:
  --max-runs N   runs at once (default 4); more wait in the queue
  --executor E   where its runs' steps run: in-process (default), processes[:N], or queue
                 (each step to a \`weir worker\`, PostgreSQL instance; see docs/executors.md)
What it runs: sensors (at their interval), sources with observeEvery, schedule ticks, and
the automation conditions of assets (whenever the log changes). See docs/automation.md.
`;

function daemonCommand(name: 'daemon' | 'dev', summary: string): Command {
  const dev = name === 'dev';
  return {
    name,
    summary,
    usage: dev
      ? 'weir dev [--max-runs N] [--port N] [--host ADDRESS] [--token-file FILE]'
      : 'weir daemon [--max-runs N] [--executor processes[:N]|queue]',
    help: dev ? `${help}and the web UI and API (as \`weir serve\`):\n${SERVER_HELP}` : help,
    options: dev
      ? { 'max-runs': { type: 'string' }, executor: { type: 'string' }, ...SERVER_OPTIONS }
      : { 'max-runs': { type: 'string' }, executor: { type: 'string' } },
    async run(ctx) {
      const { project, path } = await ctx.project();
      const opened = await ctx.writableInstance(`weir ${name} records ticks and runs`);
      const config = await ctx.instanceConfig();
      const executor = await commandExecutor(ctx, stringOption(ctx.values.executor), {
        project: path,
        ...(config.embedded ? { instanceDir: config.dir } : {}),
      });
      const instance = executor === undefined ? opened : { ...opened, executor };
      const instanceName = instanceLabel(await ctx.instanceConfig());
      const maxRuns = positiveInteger(ctx.values['max-runs'], 'max-runs') ?? 4;
      const show = ctx.values.json
        ? (activity: DaemonActivity) => ctx.output.out(`${JSON.stringify(activity)}\n`)
        : (activity: DaemonActivity) => render(activity, ctx.output);
      const daemon = new Daemon(project, {
        instance,
        instanceName,
        maxRuns,
        signal: ctx.signal,
        onActivity: (activity) => {
          if (activity.type === 'run-started') ctx.report({ runStarted: activity.runId });
          if (activity.type === 'run-ended' && activity.end.runId !== undefined)
            ctx.report({ runEnded: activity.end.runId });
          show(activity);
        },
      });
      if (process.env.WEIR_NOW !== undefined) {
        ctx.output.err(
          `weir ${name}: WEIR_NOW is ignored here: the daemon runs on the real clock (sensors, schedules and freshness are about now)\n`,
        );
      }
      const automated = countAutomation(daemon, project);
      if (!ctx.values.json) {
        ctx.output.out(`weir ${name}: ${automated} on ${instanceName} (Ctrl-C to stop)\n`);
      }
      const server = dev ? await startCommandServer(ctx, name) : undefined;
      try {
        await daemon.run();
      } finally {
        await server?.close();
        await executor?.close();
      }
      if (!ctx.values.json) ctx.output.out('stopped\n');
      return 0;
    },
  };
}

export const daemonCommandDef = daemonCommand(
  'daemon',
  'Run sensors, schedules and automation conditions until stopped',
);
export const devCommand = daemonCommand(
  'dev',
  'The daemon and the web UI in the foreground, for local work',
);

function countAutomation(
  daemon: Daemon,
  project: { sensors: readonly unknown[]; schedules: readonly unknown[] },
): string {
  const conditions = daemon.graph.keys.filter((key) => {
    const definition = daemon.graph.node(key).definition;
    return definition.kind === 'asset' && definition.automation !== undefined;
  }).length;
  const observed = daemon.graph.keys.filter((key) => {
    const definition = daemon.graph.node(key).definition;
    return definition.kind === 'source' && definition.observeEveryMs !== undefined;
  }).length;
  const parts = [
    plural(project.sensors.length, 'sensor'),
    plural(project.schedules.length, 'schedule'),
    plural(conditions, 'asset condition'),
    plural(observed, 'source observed on a cadence', 'sources observed on a cadence'),
  ];
  return parts.join(', ');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function render(activity: DaemonActivity, output: Output): void {
  const line = (text: string) =>
    output.out(`${paint(output, 'gray', formatClock(Date.now()))}  ${text}\n`);
  switch (activity.type) {
    case 'standing':
      if (activity.leader) {
        line(
          activity.tookOver
            ? `took over as the daemon (from pid ${activity.tookOver.pid} on ${activity.tookOver.host}, gone or silent)`
            : 'is the daemon of this instance',
        );
      } else {
        line(
          `standing by: pid ${activity.holder?.pid} on ${activity.holder?.host} is the daemon of this instance`,
        );
      }
      return;
    case 'sensor': {
      const { event } = activity;
      if (event.outcome === 'nothing') return;
      if (event.outcome === 'failed' || event.outcome === 'timed-out') {
        line(
          `sensor ${event.name} ${paint(output, 'red', event.outcome)}: ${event.error?.message ?? ''}`,
        );
        return;
      }
      const did = [
        event.observations ? plural(event.observations, 'observation') : '',
        event.partitionsAdded ? plural(event.partitionsAdded, 'new partition') : '',
        event.runIds.length ? plural(event.runIds.length, 'run') : '',
      ].filter(Boolean);
      line(`sensor ${event.name}: ${did.join(', ')}`);
      return;
    }
    case 'schedule':
      line(
        `schedule ${activity.event.name} ticked (${new Date(activity.event.tick).toISOString()})${activity.event.error ? `: ${paint(output, 'red', 'failed')} ${activity.event.error.message}` : ''}`,
      );
      return;
    case 'requested':
      return;
    case 'observed': {
      const { assetKey, partition, observation } = activity.event;
      line(
        `observed ${partition ? `${assetKey}[${partition}]` : assetKey}: ${observation.dataVersion.slice(0, 12)}`,
      );
      return;
    }
    case 'observe-failed':
      line(`observing ${activity.assetKey} ${paint(output, 'red', 'failed')}: ${activity.error}`);
      return;
    case 'freshness': {
      const { assetKey, partition, freshness } = activity.event;
      line(
        `${partition ? `${assetKey}[${partition}]` : assetKey} is ${paint(output, freshness.status === 'overdue' ? 'red' : 'green', freshness.status)}: ${freshness.reason}`,
      );
      return;
    }
    case 'run-started':
      line(`run ${activity.runId} started: ${activity.order.trigger.reason}`);
      return;
    case 'run-ended': {
      const { end } = activity;
      if (end.runId === undefined && end.status === 'nothing-to-do') return;
      const failures = Object.entries(end.failures)
        .map(([k, v]) => `\n    ${k}: ${v}`)
        .join('');
      line(
        `run ${end.runId ?? '(not started)'} ${paint(output, STATUS_COLOR[end.status] ?? 'bold', end.status)}${failures}`,
      );
      return;
    }
    case 'notified':
      line(
        activity.sent.ok
          ? `notified ${activity.sent.target}: ${activity.sent.event.message}`
          : `notifying ${activity.sent.target} ${paint(output, 'red', 'failed')}: ${activity.sent.error}`,
      );
      return;
    case 'log':
      line(`${activity.name}: ${activity.entry.message}`);
      return;
    case 'error':
      line(`${paint(output, 'red', 'error')}: ${activity.message}`);
      return;
  }
}
