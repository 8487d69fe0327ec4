/**
 * @module server
 * The HTTP server: the web UI, the API under /api and /metrics, for a project on an instance.
 * `weir serve` runs it alone; `weir dev` beside the daemon. Binds to 127.0.0.1 unless told
 * otherwise, and beyond loopback refuses to start without a token (see docs/api.md).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import { graphOf, type Instance } from '../execution/index.js';
import { accessFor, type Tokens } from './_access.js';
import type { ServerContext } from './_context.js';
import { EventHub } from './_hub.js';
import { Launches } from './_launches.js';
import { LiveState } from './_live-state.js';
import { Metrics } from './_metrics.js';
import { uiRoot } from './_static.js';
import { createApp } from './app.js';

export type { AutomationEntry } from '../daemon/index.js';
export { isLoopback, type Role, readTokens, type Tokens } from './_access.js';
export type { MaterializationDiff } from './_diff.js';
export type { StepBar } from './_run-view.js';
export type { GraphBody, GraphNodeBody, LayoutBody, RunBody } from './_schemas.js';

export interface ServerOptions {
  project: ProjectDefinition;
  instance: Instance;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Required when `host` is not a loopback address. */
  tokens?: Tokens;
  /** How often the event log is looked at for new events (default 50 ms). */
  pollMs?: number;
  /** Where server-side failures are logged (default stderr). */
  log?: (line: string) => void;
  /** The built UI's folder (default: the package's `ui/`). */
  uiRoot?: string;
}

export interface RunningServer {
  /** http://host:port/ */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, cancels the runs it launched, and waits for them to end. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // `[::1]` as written in URLs is the address ::1.
  const host = (options.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  const access = accessFor(host, options.tokens ?? { viewer: [], operator: [] });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const graph = graphOf(options.project);
  const { instance } = options;
  const hub = new EventHub(instance, options.pollMs);
  const live = new LiveState(graph, instance);
  const context: ServerContext = {
    project: options.project,
    graph,
    instance,
    hub,
    live,
    launches: new Launches(graph, instance),
    canLaunch: !instance.readOnly,
  };
  await hub.start();
  await live.start(hub);
  const metrics = new Metrics(context);
  const app = createApp(context, { access, metrics, uiRoot: options.uiRoot ?? uiRoot(), log });
  const server = await listen(app.fetch, host, options.port ?? 3000);
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections?.();
        });
        await context.launches.close();
        metrics.close();
        live.stop();
        await hub.close();
      })();
      return closing;
    },
  };
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
): Promise<ReturnType<typeof serve> & { closeAllConnections?: () => void }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? `port ${port} is taken (another weir serve?): pass --port N, or --port 0 for any free port`
          : error.code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this machine`
            : undefined;
      reject(
        new EnvironmentError(
          'E_USAGE',
          `cannot listen on ${host}:${port}: ${error.message}`,
          hint === undefined ? {} : { hint },
        ),
      );
    });
  });
}
