/**
 * @module definitions/resource
 * `resource()`: a typed, named dependency of assets, created once per run.
 */
import { assertValidKey } from './keys.js';

/** What a resource's `create` receives besides its config. */
export interface ResourceContext {
  readonly key: string;
  readonly signal: AbortSignal;
}

/**
 * A typed, named dependency of assets (configuration, a client, a connection), declared
 * once in the project with `defineProject({ resources })` and handed to `materialize`
 * through `ctx.resources`.
 */
export interface ResourceDefinition<K extends string = string, T = unknown> {
  readonly kind: 'resource';
  readonly key: K;
  readonly description: string | undefined;
  /**
   * What identifies this resource's configuration in provenance: the explicit
   * `identity`, else the config (hashed, never stored in clear).
   */
  readonly identity: unknown;
  readonly create: (ctx: ResourceContext) => T | Promise<T>;
  dispose?(value: T): void | Promise<void>;
}

export interface ResourceSpec<K extends string, T, C> {
  key: K;
  description?: string;
  /** Plain configuration, passed to `create` and hashed into each materialization's provenance. */
  config?: C;
  /** Overrides what provenance records as this resource's identity (e.g. a schema version). */
  identity?: string;
  create: (config: C, ctx: ResourceContext) => T | Promise<T>;
  /** Called once at the end of the run that created the value. */
  dispose?: (value: T) => void | Promise<void>;
}

/**
 * Declares a resource.
 *
 * @example
 * const thresholds = resource({
 *   key: 'thresholds',
 *   config: { floodStageM: 3.2 },
 *   create: (config) => config,
 * });
 */
export function resource<const K extends string, T, C = undefined>(
  spec: ResourceSpec<K, T, C>,
): ResourceDefinition<K, T> {
  assertValidKey(spec.key, 'resource');
  const config = spec.config as C;
  const definition: ResourceDefinition<K, T> = {
    kind: 'resource',
    key: spec.key,
    description: spec.description,
    identity: spec.identity ?? spec.config ?? null,
    create: (ctx) => spec.create(config, ctx),
  };
  const dispose = spec.dispose;
  return dispose === undefined
    ? definition
    : { ...definition, dispose: (value: T) => dispose(value) };
}
