/**
 * @module definitions/sensor
 * `sensor()`: user code the daemon calls every `interval` to look at the outside world (a
 * folder, an endpoint's ETag, a table's newest row), with a durable cursor. It returns
 * observations of source assets, dynamic partitions to add or remove, and runs to request.
 */
import { DefinitionError, UserCodeError } from '../errors.js';
import { automationNameProblem, positiveDuration, rejectUnknown } from './_spec.js';
import type { ResourceValues, StepLogger } from './context.js';
import { jsonProblem, type Metadata } from './metadata.js';
import { optionKeys } from './option-keys.js';
import { dynamicNameProblem, partitionKeyProblem } from './partitions/index.js';
import { type Selector, selectionText } from './selector.js';
import type { ResourceMap } from './source-asset.js';

/** What `poll` receives. */
export interface SensorContext<Res extends ResourceMap = ResourceMap> {
  readonly name: string;
  /** The cursor the last successful tick returned (undefined before the first, or if none did). */
  readonly cursor: string | undefined;
  /** When the last tick (successful or not) started; undefined before the first. */
  readonly lastTickAt: Date | undefined;
  /** The daemon's clock for this tick (injectable in tests): use it, not `new Date()`. */
  readonly now: Date;
  readonly resources: ResourceValues<Res>;
  readonly log: StepLogger;
  /** Aborted when the tick times out or the daemon stops: pass it to fetch() and long loops. */
  readonly signal: AbortSignal;
}

/** A source asset seen with a data version (an ETag, a file hash, a max timestamp). */
export interface SensorObservation {
  /** The source asset: its definition or its key. */
  readonly asset: string | { readonly key: string };
  /** The partition observed, for a partitioned source. */
  readonly partition?: string;
  readonly dataVersion: string;
  readonly metadata?: Metadata;
}

/** Keys to add to (or remove from) a dynamic partitions definition, by its name or itself. */
export interface DynamicPartitionsRequest {
  readonly name: string | { readonly kind: 'dynamic'; readonly name: string };
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
}

/** Which partitions a run request covers: keys, or an inclusive range; all when empty. */
export interface RunPartitions {
  readonly keys?: readonly string[];
  readonly from?: string;
  readonly to?: string;
}

/** A run the daemon should launch, with the reason it records. */
export interface RunRequest {
  readonly selection: Selector;
  readonly partitions?: RunPartitions;
  readonly reason?: string;
}

/** What `poll` returns; every field is optional, and returning nothing keeps the cursor. */
export interface SensorResult {
  /** The cursor the next tick receives; omitted: the previous one is kept. */
  readonly cursor?: string;
  readonly observations?: readonly SensorObservation[];
  readonly dynamicPartitions?: readonly DynamicPartitionsRequest[];
  readonly runs?: readonly RunRequest[];
}

export interface SensorSpec<Res extends ResourceMap = ResourceMap> {
  /** Unique among the project's sensors and schedules: letters, digits, `_`, `.`, `-`. */
  name: string;
  description?: string;
  /** How long between ticks: `'30s'`, `'5m'`, or milliseconds. */
  interval: string | number;
  /** How long a tick may take before it is aborted and recorded as failed; default 60s. */
  timeout?: string | number;
  resources?: Res;
  poll: (ctx: SensorContext<Res>) => SensorResult | undefined | Promise<SensorResult | undefined>;
}

/** A validated sensor. */
export interface SensorDefinition {
  readonly kind: 'sensor';
  readonly name: string;
  readonly description: string | undefined;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly resources: ResourceMap;
  readonly poll: (
    ctx: SensorContext,
  ) => SensorResult | undefined | Promise<SensorResult | undefined>;
}

const SPEC_KEYS = optionKeys<SensorSpec>({
  name: true,
  description: true,
  interval: true,
  timeout: true,
  resources: true,
  poll: true,
});
const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Declares a sensor: `poll` runs every `interval` in the daemon; a tick that throws or runs
 * past `timeout` is recorded as failed (its cursor is not kept) and retried at the next
 * interval, without stopping the daemon or other sensors.
 *
 * @example
 * const telemetry = sensor({
 *   name: 'telemetry_etag',
 *   interval: '1m',
 *   poll: async (ctx) => {
 *     const res = await fetch('https://api.example.org/telemetry', { method: 'HEAD', signal: ctx.signal });
 *     const etag = res.headers.get('etag') ?? '';
 *     if (etag === ctx.cursor) return;
 *     return { cursor: etag, observations: [{ asset: 'raw/telemetry', dataVersion: etag }] };
 *   },
 * });
 */
export function sensor<const Res extends ResourceMap = Record<never, never>>(
  spec: SensorSpec<Res>,
): SensorDefinition {
  if (typeof spec !== 'object' || spec === null) {
    throw new DefinitionError('E_DEFINITION', 'sensor() needs a spec { name, interval, poll }');
  }
  const nameProblem = automationNameProblem(spec.name);
  if (nameProblem !== undefined)
    throw new DefinitionError('E_DEFINITION', `sensor: ${nameProblem}`);
  const owner = `sensor '${spec.name}'`;
  rejectUnknown(spec, SPEC_KEYS, owner);
  if (typeof spec.poll !== 'function') {
    throw new DefinitionError('E_DEFINITION', `${owner} needs a poll(ctx) function`);
  }
  return {
    kind: 'sensor',
    name: spec.name,
    description: spec.description,
    intervalMs: positiveDuration(spec.interval, `${owner} interval`),
    timeoutMs:
      spec.timeout === undefined
        ? DEFAULT_TIMEOUT_MS
        : positiveDuration(spec.timeout, `${owner} timeout`),
    resources: spec.resources ?? {},
    poll: spec.poll as SensorDefinition['poll'],
  };
}

export function isSensor(value: unknown): value is SensorDefinition {
  return (value as { kind?: unknown } | null)?.kind === 'sensor';
}

/** A sensor tick's result, checked and normalized: keys instead of definitions, lists always. */
export interface SensorTick {
  /** Undefined: keep the previous cursor. */
  readonly cursor: string | undefined;
  readonly observations: readonly {
    asset: string;
    partition: string | undefined;
    dataVersion: string;
    metadata: Metadata;
  }[];
  readonly dynamicPartitions: readonly { name: string; add: string[]; remove: string[] }[];
  readonly runs: readonly {
    selection: string;
    partitions: RunPartitions | undefined;
    reason: string | undefined;
  }[];
}

/**
 * Checks what a sensor's `poll` returned, throwing a `UserCodeError` (`E_USER_CODE`) that
 * names the sensor and the field. Whether the keys, partitions and selections exist is for
 * the caller, which knows the graph.
 */
export function normalizeSensorResult(value: unknown, sensorName: string): SensorTick {
  const owner = `sensor '${sensorName}'`;
  const fail = (why: string): never => {
    throw new UserCodeError('E_USER_CODE', `${owner} returned ${why}`, {
      hint: 'poll() returns { cursor?, observations?, dynamicPartitions?, runs? } or nothing',
    });
  };
  if (value === undefined || value === null) {
    return { cursor: undefined, observations: [], dynamicPartitions: [], runs: [] };
  }
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`a ${typeof value}`);
  const result = value as Record<string, unknown>;
  for (const key of Object.keys(result)) {
    if (!['cursor', 'observations', 'dynamicPartitions', 'runs'].includes(key)) {
      fail(`an unknown field '${key}'`);
    }
  }
  if (result.cursor !== undefined && typeof result.cursor !== 'string') {
    fail('a cursor that is not a string (serialize it, e.g. with JSON.stringify)');
  }
  return {
    cursor: result.cursor as string | undefined,
    observations: listOf(result.observations, 'observations', fail).map((o, i) =>
      observationOf(o, `observations[${i}]`, fail),
    ),
    dynamicPartitions: listOf(result.dynamicPartitions, 'dynamicPartitions', fail).map((d, i) =>
      dynamicOf(d, `dynamicPartitions[${i}]`, fail),
    ),
    runs: listOf(result.runs, 'runs', fail).map((r, i) => runOf(r, `runs[${i}]`, owner, fail)),
  };
}

type Fail = (why: string) => never;

function listOf(value: unknown, field: string, fail: Fail): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(`${field} that is not an array`);
  return value.map((entry, i) =>
    typeof entry === 'object' && entry !== null && !Array.isArray(entry)
      ? (entry as Record<string, unknown>)
      : fail(`${field}[${i}] that is not an object`),
  );
}

function observationOf(o: Record<string, unknown>, at: string, fail: Fail) {
  const asset = typeof o.asset === 'string' ? o.asset : (o.asset as { key?: unknown })?.key;
  if (typeof asset !== 'string')
    return fail(`${at}.asset that is neither a key nor a source asset`);
  if (typeof o.dataVersion !== 'string' || o.dataVersion === '') {
    return fail(`${at}.dataVersion that is not a non-empty string`);
  }
  if (o.partition !== undefined) {
    const problem =
      typeof o.partition === 'string' ? partitionKeyProblem(o.partition) : 'not a string';
    if (problem !== undefined) fail(`${at}.partition: ${problem}`);
  }
  const metadata = (o.metadata ?? {}) as Metadata;
  const problem = jsonProblem(metadata);
  if (typeof metadata !== 'object' || Array.isArray(metadata) || problem !== undefined) {
    fail(`${at}.metadata that is not a JSON object${problem === undefined ? '' : ` (${problem})`}`);
  }
  return {
    asset,
    partition: o.partition as string | undefined,
    dataVersion: o.dataVersion,
    metadata,
  };
}

function dynamicOf(d: Record<string, unknown>, at: string, fail: Fail) {
  const name = typeof d.name === 'string' ? d.name : (d.name as { name?: unknown })?.name;
  const problem = dynamicNameProblem(name);
  if (problem !== undefined) fail(`${at}: ${problem}`);
  const keys = (field: 'add' | 'remove'): string[] => {
    const list = d[field];
    if (list === undefined) return [];
    if (!Array.isArray(list)) return fail(`${at}.${field} that is not an array of keys`);
    for (const key of list) {
      const keyProblem = partitionKeyProblem(key as string);
      if (keyProblem !== undefined) fail(`${at}.${field}: ${keyProblem}`);
    }
    return [...(list as string[])];
  };
  return { name: name as string, add: keys('add'), remove: keys('remove') };
}

function runOf(r: Record<string, unknown>, at: string, owner: string, fail: Fail) {
  let selection: string;
  try {
    selection = selectionText(r.selection, `${owner} ${at}`);
  } catch (error) {
    return fail(`${at} with an invalid selection: ${(error as Error).message}`);
  }
  const partitions = r.partitions as RunPartitions | undefined;
  if (partitions !== undefined) {
    if (typeof partitions !== 'object' || partitions === null) {
      fail(`${at}.partitions that is not { keys } or { from, to }`);
    }
    const { keys, from, to } = partitions;
    if (keys !== undefined && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))) {
      fail(`${at}.partitions.keys that is not an array of keys`);
    }
    if (
      (from !== undefined && typeof from !== 'string') ||
      (to !== undefined && typeof to !== 'string')
    ) {
      fail(`${at}.partitions.from/to that are not strings`);
    }
  }
  if (r.reason !== undefined && typeof r.reason !== 'string')
    fail(`${at}.reason that is not a string`);
  return { selection, partitions, reason: r.reason as string | undefined };
}
