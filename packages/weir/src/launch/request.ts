/**
 * @module launch/request
 * `launchRequest()`: a validated `LaunchRequest` from an asset (its key, tags, pool and slots)
 * or from worker tags alone, plus the command, environment and limits of the launch.
 */

import { randomUUID } from 'node:crypto';
import { DefinitionError, WeirError } from '../errors.js';
import {
  type ComputeResources,
  computeResourcesOf,
  validateComputeResources,
} from './compute-resources.js';
import type { LaunchRequest } from './launcher.js';
import { assertValidWorkerTag, workerTagsOf } from './worker-tags.js';

/** What `launchRequest()` reads of an asset: an `AssetDefinition` or a graph node fits. */
export interface LaunchableAsset {
  readonly key: string;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly pool?: string | undefined;
  readonly slots?: number | undefined;
}

export interface LaunchSpec {
  /** The asset whose step the worker runs; omit for a worker serving a pool of steps by `workerTags`. */
  asset?: LaunchableAsset;
  partition?: string;
  run?: string;
  /** The code location the worker loads. */
  location?: string;
  /** Worker tags: for a worker by tags, or added to those the asset's tags ask for. */
  workerTags?: readonly string[];
  /** The command line, program first: `['weir', 'worker', '--tags', 'gpu', '--once']`. */
  command: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Overrides the compute the asset's tags declare, field by field. */
  resources?: ComputeResources;
  timeoutMs?: number;
  /** The launch's id; a random UUID unless given (tests give one to compare manifests). */
  id?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function usage(message: string, hint: string): WeirError {
  return new WeirError('E_USAGE', `launch request: ${message}`, { hint });
}

/**
 * Builds and checks a launch request.
 *
 * @example
 * const request = launchRequest({
 *   asset: lstmModel,                      // tags: { resources: 'gpu', memory: '16Gi' }, pool: 'gpu'
 *   command: ['weir', 'worker', '--tags', 'gpu', '--once'],
 *   env: { WEIR_PROJECT: '/app' },
 *   timeoutMs: 3_600_000,
 * });
 * const handle = await launcher.launch(request);
 * const exit = await handle.wait();        // { outcome: 'succeeded', exitCode: 0, … }
 */
export function launchRequest(spec: LaunchSpec): LaunchRequest {
  const { asset } = spec;
  const owner = asset === undefined ? 'launch request' : `asset '${asset.key}'`;
  const tags = { ...(asset?.tags ?? {}) };
  const workerTags = new Set(workerTagsOf(tags, owner));
  for (const tag of spec.workerTags ?? []) {
    assertValidWorkerTag(tag, 'launch request workerTags');
    workerTags.add(tag);
  }
  const slots = asset?.slots ?? 1;
  if (!Number.isInteger(slots) || slots < 1) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner}: slots must be an integer ≥ 1, got ${slots}`,
    );
  }
  const fromTags = computeResourcesOf(tags, owner);
  const resources = validateComputeResources(
    { ...fromTags, ...definedOnly(spec.resources ?? {}) },
    'launch request resources',
  );
  return Object.freeze({
    id: checkedId(spec.id),
    asset: asset?.key,
    partition: spec.partition === '' ? undefined : spec.partition, // '': Weir's unpartitioned
    run: spec.run,
    location: spec.location,
    tags: Object.freeze(tags),
    workerTags: Object.freeze([...workerTags].sort()),
    pool: asset?.pool,
    slots,
    command: Object.freeze(checkedCommand(spec.command)),
    env: Object.freeze(checkedEnv(spec.env ?? {})),
    resources: Object.freeze(resources),
    timeoutMs: checkedTimeout(spec.timeoutMs),
  });
}

function definedOnly(resources: ComputeResources): ComputeResources {
  return Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== undefined));
}

function checkedId(id: string | undefined): string {
  if (id === undefined) return randomUUID();
  if (!ID.test(id)) {
    throw usage(`id '${id}' is not usable`, 'up to 128 letters, digits, ".", "_" or "-"');
  }
  return id;
}

function checkedCommand(command: readonly string[]): string[] {
  if (!Array.isArray(command) || command.length === 0) {
    throw usage(
      'command is empty',
      "give the program and its arguments: ['weir', 'worker', '--once']",
    );
  }
  command.forEach((part, i) => {
    if (typeof part !== 'string' || part.includes('\0') || (i === 0 && part.trim() === '')) {
      throw usage(
        `command[${i}] ${JSON.stringify(part)} is not an argument`,
        'every part is a string without NUL characters; the first names the program',
      );
    }
  });
  return [...command];
}

function checkedEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      throw usage(
        `environment variable name '${name}' is not valid`,
        'letters, digits and _, not starting with a digit',
      );
    }
    if (typeof value !== 'string' || value.includes('\0')) {
      throw usage(
        `environment variable ${name} must be a string without NUL characters`,
        `got ${typeof value}`,
      );
    }
  }
  return { ...env };
}

function checkedTimeout(timeoutMs: number | undefined): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw usage(
      `timeoutMs must be a whole number of milliseconds > 0, got ${timeoutMs}`,
      'omit it for no limit',
    );
  }
  return timeoutMs;
}
