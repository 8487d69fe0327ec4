/**
 * @module cli/command
 * What a CLI command is, and the context it runs in (arguments, output, the project and the
 * instance, opened once).
 */
import type { ParseArgsConfig } from 'node:util';
import { EnvironmentError } from '../errors.js';
import type { Instance } from '../execution/index.js';
import { type InstanceConfig, instanceLabel, openConfiguredInstance } from '../instance/index.js';
import type { StoredEvent } from '../storage/index.js';
import { instanceConfigOf } from './_instance-config.js';
import { withLocations } from './_location-instance.js';
import type { Output } from './format.js';
import { type LoadedProject, loadProject } from './load-project.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Option values as parsed: `multiple` options give arrays. */
export type OptionValue = string | boolean | string[] | undefined;

export interface CommandContext {
  positionals: string[];
  values: Record<string, OptionValue>;
  output: Output;
  cwd: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  project(): Promise<LoadedProject>;
  /**
   * Which instance the command uses: the environment (`WEIR_DATABASE_URL`, `WEIR_ARTEFACTS`),
   * then `weir.instance.ts`, then the project's `instance` field (docs/instance.md).
   */
  instanceConfig(): Promise<InstanceConfig>;
  /** The configured instance, opened once (crashed runs of this host closed). */
  instance(): Promise<Instance>;
  /**
   * The instance, for a command that records (`doing` says what, e.g. `weir materialize
   * records runs`): a read-only instance is refused before anything starts.
   */
  writableInstance(doing: string): Promise<Instance>;
  /** Tells whoever supervises the command which runs and backfills it works on. */
  report(activity: RunActivity): void;
}

/** A run started or ended, or a backfill began, in a command. */
export interface RunActivity {
  runStarted?: string;
  runEnded?: string;
  backfill?: string;
}

export interface ContextOptions {
  positionals: string[];
  values: Record<string, OptionValue>;
  output: Output;
  cwd: string;
  signal: AbortSignal;
  /** Closed when the command ends, last first. */
  cleanups: Array<() => Promise<void>>;
  onActivity?: (activity: RunActivity & { instance: InstanceConfig }) => void;
}

/** A command is a definition that returns an exit code; only main() touches the process. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Option descriptions and notes, printed under the usage by `weir help COMMAND`. */
  help?: string;
  options: OptionSpec;
  run(ctx: CommandContext): Promise<number>;
}

export const GLOBAL_OPTIONS: OptionSpec = {
  project: { type: 'string', short: 'p' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
};

export function createContext(options: ContextOptions): CommandContext {
  const { values, output, cwd, cleanups } = options;
  let loaded: Promise<LoadedProject> | undefined;
  let config: Promise<InstanceConfig> | undefined;
  let configured: InstanceConfig | undefined;
  let instance: Promise<Instance> | undefined;
  const explicit = values.project as string | undefined;
  const ctx: CommandContext = {
    positionals: options.positionals,
    values,
    output,
    cwd,
    signal: options.signal,
    report: (activity) => {
      if (configured !== undefined) options.onActivity?.({ ...activity, instance: configured });
    },
    project: () => {
      loaded ??= loadProject(cwd, explicit).then((project) => {
        for (const { location, problem } of project.locations?.problems ?? []) {
          const kept = [...(project.locations?.unavailableOf.values() ?? [])].includes(location);
          output.err(
            `warning: code location '${location}' did not load (${kept ? 'its assets stand as it last loaded, and cannot run' : 'its assets are left out'}): ${problem}\n`,
          );
        }
        return project;
      });
      return loaded;
    },
    instanceConfig: () => {
      config ??= ctx.project().then(instanceConfigOf);
      return config;
    },
    instance: () => {
      instance ??= ctx.instanceConfig().then(async (resolved) => {
        configured = resolved;
        const opened = withLocations(
          await openConfiguredInstance(resolved),
          await ctx.project(),
          resolved,
        );
        cleanups.push(() => opened.close());
        // Once per command: runs whose process died are closed as crashed.
        for (const runId of await opened.recover()) {
          output.err(`note: closed run ${runId}, whose process had died\n`);
        }
        return opened;
      });
      return instance;
    },
    writableInstance: async (doing) => {
      const opened = await ctx.instance();
      if (opened.readOnly) {
        const resolved = await ctx.instanceConfig();
        throw new EnvironmentError(
          'E_READ_ONLY',
          `the instance ${instanceLabel(resolved)} is read-only here, and ${doing}`,
          {
            hint: `run it where the instance is writable (as its owner, or after chmod -R u+w ${resolved.dir}); status, why, history, runs, logs, list and verify read it as it is`,
          },
        );
      }
      return opened;
    },
  };
  return ctx;
}

/** An `onEvent` that reports the run's start and end to `ctx`, then hands each event on. */
export function reportingRuns(
  ctx: CommandContext,
  next?: (event: StoredEvent) => void,
): (event: StoredEvent) => void {
  return (event) => {
    if (event.type === 'run:started') ctx.report({ runStarted: event.runId });
    else if (event.type === 'run:finished') ctx.report({ runEnded: event.runId });
    next?.(event);
  };
}

/** The one positional a command requires, or a usage error naming it. */
export function requirePositional(ctx: CommandContext, name: string, usage: string): string {
  const [value, ...extra] = ctx.positionals;
  if (value === undefined)
    throw new EnvironmentError('E_USAGE', `missing ${name}`, { hint: `usage: ${usage}` });
  if (extra.length > 0) {
    throw new EnvironmentError(
      'E_USAGE',
      `one ${name.replace(/^an? /, '')} only, not also ${extra.map((e) => `'${e}'`).join(', ')}`,
      {
        hint: `usage: ${usage}`,
      },
    );
  }
  return value;
}

/** The largest count an option takes (a limit, a depth, a concurrency): beyond, it is a typo. */
const MAX_COUNT = 1_000_000;

export function positiveInteger(value: OptionValue, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT) {
    throw new EnvironmentError(
      'E_USAGE',
      `--${option} takes a whole number from 1 to ${MAX_COUNT}, got '${value}'`,
    );
  }
  return n;
}

/** A port-like option: a whole number from 0 to 65535. */
export function nonNegativeInteger(value: OptionValue, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new EnvironmentError(
      'E_USAGE',
      `--${option} takes a whole number from 0 to 65535, got '${value}'`,
    );
  return n;
}

/** A string option's value (the last one, if given several times). */
export function stringOption(value: OptionValue): string | undefined {
  if (Array.isArray(value)) return value[value.length - 1];
  return typeof value === 'string' ? value : undefined;
}
