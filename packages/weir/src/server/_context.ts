/**
 * @module server/_context
 * What every route reads: the project's graph, the instance, the live state, the event hub,
 * the runs launched here and the role of the caller.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ProjectDefinition } from '../definitions/index.js';
import type { Instance } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Role } from './_access.js';
import type { EventHub } from './_hub.js';
import type { Launches } from './_launches.js';
import type { LiveState } from './_live-state.js';

export interface ServerContext {
  project: ProjectDefinition;
  graph: AssetGraph;
  instance: Instance;
  hub: EventHub;
  live: LiveState;
  launches: Launches;
  /** Whether the API may launch runs (false when the instance is read-only here). */
  canLaunch: boolean;
}

export interface AppEnv {
  Variables: { role: Role };
}

export type App = OpenAPIHono<AppEnv>;
