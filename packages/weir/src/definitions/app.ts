/**
 * @module definitions/app
 * `app()`: an HTTP application of the project that `weir serve` and `weir dev` mount at
 * `/apps/<name>/`, beside the UI and the API, behind the same access rules. An app is one
 * Web-standard function, `(request, ctx) => Response`, so any framework (Hono, itty-router, a
 * hand-written switch) fits; `ctx` gives what it needs from Weir: the current value of an asset,
 * where it is mounted, who is calling. The server's side of it lives in `server/`: this module
 * only declares.
 */
import { DefinitionError } from '../errors.js';
import { rejectUnknown } from './_spec.js';
import type { AssetDefinition, ValueOf } from './asset.js';

/** What an app asks of the server for one request. */
export interface AppContext {
  /** The app's name. */
  readonly name: string;
  /**
   * Where the app is mounted, without a trailing slash: `/apps/directory`. The request the app
   * receives has this prefix removed from its URL, so links it writes for the browser start
   * with `basePath` (or are relative to it).
   */
  readonly basePath: string;
  /** The role of the caller: a viewer reads; an operator may also change things (docs/api.md). */
  readonly role: 'viewer' | 'operator';
  /**
   * The current value of an asset (or of one partition of it), as its downstream would read
   * it now: the newest usable materialization. Pass the asset's definition for a typed value,
   * or its key. JSON values are decoded once per materialization and shared between requests:
   * read them, never change them. An asset with no usable value yet, an unknown key or a
   * partition it lacks throws a `WeirError` (`E_NOT_FOUND`, `E_UNKNOWN_ASSET`).
   */
  value<U extends AssetDefinition<string, unknown>>(
    asset: U,
    options?: { partition?: string },
  ): Promise<AppAssetValue<ValueOf<U>>>;
  value(key: string, options?: { partition?: string }): Promise<AppAssetValue<unknown>>;
  /** A line for the server's log, prefixed with the app's name. */
  log(line: string): void;
}

/** An asset's current value and which materialization it comes from. */
export interface AppAssetValue<T> {
  key: string;
  /** `''` for an unpartitioned asset. */
  partition: string;
  format: 'json' | 'bytes' | 'files';
  /** Decoded JSON, bytes, or for `io: 'files'` a `FileArtefact` (a local path to read). */
  value: T;
  dataVersion: string;
  codeVersion: string;
  /** The id of the `asset:materialized` event: changes exactly when the value does. */
  materializationId: number;
  /** When it was recorded (epoch ms). */
  materializedAt: number;
}

/** Answers one request; the URL's path is the app's sub-path (`/`, `/services/42`). */
export type AppHandler = (request: Request, ctx: AppContext) => Response | Promise<Response>;

export interface AppSpec {
  /** In URLs: lowercase letters, digits and '-', starting with a letter, at most 40 characters. */
  name: string;
  /** One line for the UI's list of apps. */
  description?: string;
  fetch: AppHandler;
}

export interface AppDefinition {
  readonly kind: 'app';
  readonly name: string;
  readonly description: string | undefined;
  readonly fetch: AppHandler;
}

const APP_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** Why `name` cannot name an app, or undefined when it can. */
export function appNameProblem(name: unknown): string | undefined {
  if (typeof name === 'string' && APP_NAME.test(name) && !name.endsWith('-')) return undefined;
  return `invalid app name ${JSON.stringify(name)}: an app's name is part of its URL (/apps/NAME/), so it holds lowercase letters, digits and '-', starts with a letter, does not end with '-', and has at most 40 characters`;
}

/**
 * Declares an HTTP app of the project, served at `/apps/<name>/` by `weir serve` and `weir dev`.
 *
 * @example
 * export const directoryApp = app({
 *   name: 'directory',
 *   description: 'Search the merged directory',
 *   fetch: async (request, ctx) => {
 *     const { value } = await ctx.value(directory);
 *     return Response.json({ services: value.services.length });
 *   },
 * });
 */
export function app(spec: AppSpec): AppDefinition {
  if (typeof spec !== 'object' || spec === null) {
    throw new DefinitionError('E_DEFINITION', 'app() needs an object: { name, fetch }');
  }
  rejectUnknown(spec, ['name', 'description', 'fetch'], 'app()');
  const problem = appNameProblem(spec.name);
  if (problem !== undefined) {
    throw new DefinitionError('E_DEFINITION', problem, {
      hint: "write a name such as 'directory' or 'search-page'",
    });
  }
  if (typeof spec.fetch !== 'function') {
    throw new DefinitionError('E_DEFINITION', `app '${spec.name}' needs a fetch function`, {
      hint: 'fetch: (request, ctx) => new Response(…): a Web-standard Request in, a Response out',
    });
  }
  if (spec.description !== undefined && typeof spec.description !== 'string') {
    throw new DefinitionError('E_DEFINITION', `app '${spec.name}': description must be a string`);
  }
  return {
    kind: 'app',
    name: spec.name,
    description: spec.description,
    fetch: spec.fetch,
  };
}

export function isApp(value: unknown): value is AppDefinition {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'app'
  );
}
