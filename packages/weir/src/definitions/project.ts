/**
 * @module definitions/project
 * `defineProject()`: the assets, resources, sensors, schedules and settings a project gathers.
 */
import { DefinitionError } from '../errors.js';
import { automationNameProblem } from './_spec.js';
import { type AppDefinition, isApp } from './app.js';
import { type AssetDefinition, isUpstream } from './asset.js';
import type { InstanceSettings } from './instance-settings.js';
import {
  type NotificationSpec,
  type Notifications,
  validateNotificationSpec,
} from './notification.js';
import type { ResourceDefinition } from './resource.js';
import { isSchedule, type ScheduleDefinition } from './schedule.js';
import { isSensor, type SensorDefinition } from './sensor.js';
import type { SourceAssetDefinition } from './source-asset.js';

export type AnyAssetDefinition = AssetDefinition<string, unknown> | SourceAssetDefinition<string>;

export interface ProjectSpec {
  assets: readonly AnyAssetDefinition[];
  resources?: readonly ResourceDefinition<string, unknown>[];
  instance?: InstanceSettings;
  /** How many steps may run at once; default 4. */
  concurrency?: number;
  /** Sensors the daemon ticks (`sensor()`, `folderSensor()`). */
  sensors?: readonly SensorDefinition[];
  /** Schedules the daemon launches (`schedule()`). */
  schedules?: readonly ScheduleDefinition[];
  /** Pools and how many slots each has at once, e.g. `{ gpu: 1, warehouse: 8 }`. */
  pools?: Readonly<Record<string, number>>;
  /** Who hears of any failed step or overdue asset. */
  notifications?: NotificationSpec;
  /** HTTP apps `weir serve` and `weir dev` mount at `/apps/<name>/` (`app()`). */
  apps?: readonly AppDefinition[];
  /**
   * Code locations by name: folders (relative to this file) each holding a project of its own
   * (`weir.config.ts`, its own `package.json` and dependencies), loaded in its own process;
   * their assets join this project's graph, and their steps run in their own processes.
   */
  locations?: Readonly<Record<string, string>>;
}

export interface ProjectDefinition {
  readonly kind: 'project';
  readonly assets: readonly AnyAssetDefinition[];
  readonly resources: readonly ResourceDefinition<string, unknown>[];
  readonly instance: InstanceSettings;
  readonly concurrency: number;
  readonly sensors: readonly SensorDefinition[];
  readonly schedules: readonly ScheduleDefinition[];
  readonly pools: Readonly<Record<string, number>>;
  readonly notifications: Notifications;
  readonly apps: readonly AppDefinition[];
  /** Code locations by name: their folders, relative to the project file (see `ProjectSpec`). */
  readonly locations: Readonly<Record<string, string>>;
}

/**
 * Declares a project: the assets Weir manages and the resources they use, and what the daemon
 * runs by itself. A project file (`weir.config.ts`) exports it as its default export.
 *
 * @example
 * export default defineProject({
 *   assets: [gaugeCsv, readings, dailyMax],
 *   resources: [thresholds],
 *   sensors: [telemetryInbox],
 *   schedules: [nightly],
 *   pools: { gpu: 1 },
 *   notifications: { onFailure: { url: 'https://hooks.example.org/weir' } },
 *   apps: [directoryApp],
 * });
 */
export function defineProject(spec: ProjectSpec): ProjectDefinition {
  if (!Array.isArray(spec.assets)) {
    throw new DefinitionError('E_DEFINITION', 'defineProject() needs an `assets` array');
  }
  spec.assets.forEach((entry: unknown, i) => {
    if (!isUpstream(entry)) {
      throw new DefinitionError(
        'E_DEFINITION',
        `defineProject() assets[${i}] is ${entry === undefined ? 'undefined' : entry === null ? 'null' : `not an asset (${typeof entry})`}`,
        {
          hint: 'list what asset() or sourceAsset() returned; undefined is often an asset declared after defineProject(), or an import of a name the module does not export',
        },
      );
    }
  });
  const concurrency = spec.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new DefinitionError(
      'E_DEFINITION',
      `project concurrency must be an integer ≥ 1, got ${concurrency}`,
    );
  }
  const sensors = listOf(spec.sensors, 'sensors', isSensor, 'sensor() or folderSensor()');
  const schedules = listOf(spec.schedules, 'schedules', isSchedule, 'schedule()');
  uniqueNames([...sensors, ...schedules]);
  const apps = listOf(spec.apps, 'apps', isApp, 'app()');
  uniqueAppNames(apps);
  return {
    kind: 'project',
    assets: spec.assets,
    resources: spec.resources ?? [],
    instance: spec.instance ?? {},
    concurrency,
    sensors,
    schedules,
    pools: validatePools(spec.pools),
    notifications: validateNotificationSpec(spec.notifications, 'project'),
    apps,
    locations: validateLocations(spec.locations),
  };
}

const LOCATION_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

function validateLocations(locations: unknown): Readonly<Record<string, string>> {
  if (locations === undefined) return {};
  if (typeof locations !== 'object' || locations === null || Array.isArray(locations)) {
    throw new DefinitionError('E_DEFINITION', 'defineProject() locations must be an object', {
      hint: "write locations: { prep: './prep', ml: './ml' } (name → folder)",
    });
  }
  const folders = new Map<string, string>();
  for (const [name, folder] of Object.entries(locations)) {
    if (!LOCATION_NAME.test(name)) {
      throw new DefinitionError(
        'E_DEFINITION',
        `code location name ${JSON.stringify(name)} is not valid`,
        { hint: 'use lowercase letters, digits, - and _, starting with a letter (prep, ml)' },
      );
    }
    if (typeof folder !== 'string' || folder.trim() === '') {
      throw new DefinitionError(
        'E_DEFINITION',
        `code location '${name}' must name its folder, got ${JSON.stringify(folder)}`,
        { hint: "write locations: { prep: './prep' } (a folder with its own weir.config.ts)" },
      );
    }
    const other = folders.get(folder);
    if (other !== undefined) {
      throw new DefinitionError(
        'E_DEFINITION',
        `code locations '${other}' and '${name}' are both the folder ${folder}`,
      );
    }
    folders.set(folder, name);
  }
  return { ...(locations as Record<string, string>) };
}

function listOf<T>(
  list: readonly T[] | undefined,
  field: string,
  is: (value: unknown) => boolean,
  builder: string,
): readonly T[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw new DefinitionError('E_DEFINITION', `defineProject() ${field} must be an array`);
  }
  list.forEach((entry: unknown, i) => {
    if (!is(entry)) {
      throw new DefinitionError(
        'E_DEFINITION',
        `defineProject() ${field}[${i}] is not built by ${builder}`,
      );
    }
  });
  return list;
}

/** Sensors and schedules share one namespace: `weir automation pause NAME` names either. */
function uniqueNames(definitions: readonly (SensorDefinition | ScheduleDefinition)[]): void {
  const seen = new Map<string, string>();
  for (const { kind, name } of definitions) {
    const other = seen.get(name);
    if (other !== undefined) {
      throw new DefinitionError(
        'E_DEFINITION',
        `the project has a ${other} and a ${kind} both named '${name}'`,
        {
          hint: 'sensors and schedules need different names (weir automation pause NAME names either)',
        },
      );
    }
    seen.set(name, kind);
  }
}

function uniqueAppNames(apps: readonly AppDefinition[]): void {
  const seen = new Set<string>();
  for (const { name } of apps) {
    if (seen.has(name)) {
      throw new DefinitionError('E_DEFINITION', `the project has two apps named '${name}'`, {
        hint: 'each app is served at /apps/NAME/: give each a name of its own',
      });
    }
    seen.add(name);
  }
}

function validatePools(pools: unknown): Readonly<Record<string, number>> {
  if (pools === undefined) return {};
  if (typeof pools !== 'object' || pools === null || Array.isArray(pools)) {
    throw new DefinitionError('E_DEFINITION', 'defineProject() pools must be an object', {
      hint: 'write pools: { gpu: 1, warehouse: 8 } (name → slots)',
    });
  }
  for (const [name, limit] of Object.entries(pools)) {
    const problem = automationNameProblem(name);
    if (problem !== undefined) throw new DefinitionError('E_DEFINITION', `pool: ${problem}`);
    if (!Number.isInteger(limit) || (limit as number) < 1) {
      throw new DefinitionError(
        'E_DEFINITION',
        `pool '${name}' must have an integer number of slots ≥ 1, got ${JSON.stringify(limit)}`,
      );
    }
  }
  return { ...(pools as Record<string, number>) };
}

export function isProject(value: unknown): value is ProjectDefinition {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'project'
  );
}
