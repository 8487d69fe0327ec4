/**
 * @module definitions/asset
 * `asset()`: a durable artefact with a key, typed inputs, a `materialize` function, checks and
 * attributes.
 */
import { DefinitionError } from '../errors.js';
import { type CheckDefinition, isCheck } from './check.js';
import { type AutomationCondition, validateCondition } from './conditions/index.js';
import type { AssetContext, FileArtefact, IoFormat, RangeAssetContext } from './context.js';
import {
  type FreshnessPolicy,
  type FreshnessSpec,
  type PartitionFreshnessOf,
  validateFreshnessSpec,
} from './freshness.js';
import { type AssetInput, isAssetInput } from './input.js';
import type { Jsonified, JsonStorable } from './jsonified.js';
import { assertValidKey } from './keys.js';
import type { AssetAttributes } from './metadata.js';
import { type Notification, validateNotifications } from './notification.js';
import {
  type PartitionMapping,
  type PartitionsDefinition,
  validatePartitions,
} from './partitions/index.js';
import { normalizeRetry, type RetryPolicy } from './retry.js';
import type { ResourceMap, SourceAssetDefinition, SourceObservation } from './source-asset.js';

declare const valueType: unique symbol;

/**
 * An asset: a durable artefact with a key, typed inputs and a `materialize` function.
 * `T` is the value downstream assets receive.
 */
export interface AssetDefinition<K extends string = string, T = unknown>
  extends Readonly<AssetAttributes> {
  readonly kind: 'asset';
  readonly key: K;
  /** Named inputs: the upstream whose value `materialize` receives under that name. */
  readonly ins: Readonly<Record<string, Upstream>>;
  /** How each input (by name) reads its upstream's partitions. */
  readonly inputModes: Readonly<Record<string, InputMode>>;
  /** Undefined: one artefact, no partitions. */
  readonly partitions: PartitionsDefinition | undefined;
  readonly backfillPolicy: BackfillPolicy;
  /** Ordering-only dependencies (keys): they run first and count for staleness, but pass no value. */
  readonly deps: readonly string[];
  readonly io: IoFormat;
  readonly resources: ResourceMap;
  readonly codeVersion: string | undefined;
  readonly retry: Required<RetryPolicy>;
  /** Contracts evaluated right after each materialization. */
  readonly checks: readonly CheckDefinition[];
  /** One policy: the asset's (a partitioned asset's newest partition). Undefined with a policy per partition. */
  readonly freshness: FreshnessPolicy | undefined;
  /** A partitioned asset given a policy per partition (`freshness: { partitions }`): each partition's, validated. */
  readonly partitionFreshness?: PartitionFreshnessOf | undefined;
  /** When the daemon materializes it by itself; undefined: only when asked. */
  readonly automation: AutomationCondition | undefined;
  /** The pool its steps take slots from; undefined: no pool. */
  readonly pool: string | undefined;
  /** How many slots of its pool a step takes (1 unless set). */
  readonly slots: number;
  /** Who hears of a failed step or of the asset being overdue (besides the project's). */
  readonly onFailure: readonly Notification[];
  readonly onOverdue: readonly Notification[];
  readonly materialize: (
    ctx: AssetContext<ResourceMap>,
    inputs: Record<string, unknown>,
  ) => unknown;
  /** Type-level only: the value this asset hands downstream. */
  readonly [valueType]?: T;
}

/** The input mode of a plain upstream (not one() or many()), shared by every such input. */
const ONE_VALUE: InputMode = Object.freeze({ many: false, mapping: undefined, lastGood: false });
const NO_DEPS: readonly (Upstream | string)[] = [];

/** `multi-run`: one step per partition; `single-run`: one step per range of partitions. */
export type BackfillPolicy = 'multi-run' | 'single-run';

export interface InputMode {
  /** True: the step receives a map from partition key to value. */
  readonly many: boolean;
  /** Undefined: the default mapping between the two assets' partitions. */
  readonly mapping: PartitionMapping | undefined;
  /** Partitions that fail or have no good version do not stop the step (`many(x, { lastGood: true })`). */
  readonly lastGood: boolean;
}

/** Anything an asset can read from. */
export type Upstream = AssetDefinition<string, unknown> | SourceAssetDefinition<string>;

/** The value a downstream receives from `U`. */
export type ValueOf<U> =
  U extends AssetDefinition<string, infer T>
    ? T
    : U extends SourceAssetDefinition<string>
      ? SourceObservation
      : never;

/** The value of one entry of `ins`: an upstream, `one(upstream, …)` or `many(upstream, …)`. */
export type InputValue<I> =
  I extends AssetInput<infer U, infer Many>
    ? Many extends true
      ? ReadonlyMap<string, ValueOf<U>>
      : ValueOf<U>
    : ValueOf<I>;

export type InputsOf<Ins> = { readonly [N in keyof Ins]: InputValue<Ins[N]> };

/** What a `single-run` step receives: every input as a map from partition key to value. */
export type RangeInputsOf<Ins> = {
  readonly [N in keyof Ins]: Ins[N] extends AssetInput<infer U, boolean>
    ? ReadonlyMap<string, ValueOf<U>>
    : ReadonlyMap<string, ValueOf<Ins[N]>>;
};

/** An entry of `ins`. */
export type InputSpec = Upstream | AssetInput<Upstream>;

/** What a `single-run` step returns: a value per partition key of `ctx.partitions.keys`. */
export type PartitionValues<V> = ReadonlyMap<string, V> | Readonly<Record<string, V>>;

/** What is stored (and so received downstream) for a materialize function returning `R`. */
export type StoredValue<IO extends IoFormat, R> = IO extends 'files'
  ? FileArtefact
  : IO extends 'bytes'
    ? Uint8Array
    : Jsonified<Awaited<R>>;

export interface AssetSpec<
  K extends string,
  Ins extends Readonly<Record<string, InputSpec>>,
  Res extends ResourceMap,
  IO extends IoFormat,
  R,
  P extends PartitionsDefinition | undefined = undefined,
> extends AssetAttributes {
  key: K;
  /**
   * Named inputs. A partitioned upstream is read through a partition mapping: the default
   * for the two assets' partitions, or one given with `one(upstream, mapping)`; an input that
   * reads several partitions must say so with `many(upstream, mapping?)`.
   */
  ins?: Ins;
  /**
   * Split the asset into partitions (days, stations, states): each is materialized, versioned
   * and checked on its own, and a changed upstream partition makes stale only the downstream
   * partitions that read it.
   */
  partitions?: P;
  /**
   * `single-run`: a range of partitions is materialized in one call (for vectorised work),
   * see `RangeAssetSpec`. Default `multi-run`: one call per partition.
   */
  backfillPolicy?: 'multi-run';
  deps?: readonly (Upstream | string)[];
  /** `json` (default): the returned value as JSON; `bytes`: a returned Uint8Array; `files`: what the step writes at `ctx.outputPath`. */
  io?: IO;
  resources?: Res;
  /**
   * Set it when you want refactors not to trigger recomputation; without it the code
   * version is derived from `materialize`'s source, so editing the code makes it stale.
   */
  codeVersion?: string;
  retry?: RetryPolicy;
  /**
   * Contracts on the value, evaluated right after each materialization; a failed blocking
   * check stops the downstream and keeps the previous good version current.
   */
  checks?: readonly CheckDefinition<NoInfer<StoredValue<IO, R>>>[];
  /**
   * How old the newest materialization may be, e.g. `{ maxLag: '6h' }` or `{ cron: '0 7 * * *' }`
   * (a partitioned asset: its newest partition); or, partitioned, a policy per partition:
   * `{ partitions: (key) => policy | undefined }`, each judged by that partition's own last
   * materialization (docs/partitions.md).
   */
  freshness?: FreshnessSpec;
  /**
   * When the daemon (`weir daemon`) materializes it by itself: `eager()`, `onCron('0 6 * * *')`,
   * `onMissing()`, `onOverdue()`, or a composition of conditions (see docs/automation.md).
   */
  automation?: AutomationCondition;
  /** A pool of the project (`defineProject({ pools })`) whose slots its steps take, e.g. `'gpu'`. */
  pool?: string;
  /** Slots of `pool` one step takes (a heavy step: more); default 1. */
  slots?: number;
  /** Notified when a step of this asset fails (in addition to the project's `notifications`). */
  onFailure?: Notification | readonly Notification[];
  /** Notified when this asset becomes overdue (its freshness policy is violated). */
  onOverdue?: Notification | readonly Notification[];
  materialize: (ctx: AssetContext<Res, IO, P>, inputs: InputsOf<Ins>) => R | Promise<R>;
}

/**
 * A partitioned asset materialized a range of partitions per call (`backfillPolicy:
 * 'single-run'`), for vectorised work: `materialize` receives `ctx.partitions` (the keys and
 * the time span) and every input as a map from partition key to value (an unpartitioned
 * upstream: one entry, key `''`), and returns a value for each key of `ctx.partitions.keys`.
 */
export interface RangeAssetSpec<
  K extends string,
  Ins extends Readonly<Record<string, InputSpec>>,
  Res extends ResourceMap,
  IO extends 'json' | 'bytes',
  V,
  P extends PartitionsDefinition,
> extends Omit<
    AssetSpec<K, Ins, Res, IO, V, P>,
    'backfillPolicy' | 'materialize' | 'io' | 'partitions'
  > {
  io?: IO;
  partitions: P;
  backfillPolicy: 'single-run';
  materialize: (
    ctx: RangeAssetContext<Res>,
    inputs: RangeInputsOf<Ins>,
  ) => PartitionValues<V> | Promise<PartitionValues<V>>;
}

/**
 * Declares an asset. Inputs are typed from their upstream definitions, with no annotations.
 *
 * @example
 * const readings = asset({
 *   key: 'gauges/readings',
 *   deps: [gaugeCsv],
 *   materialize: () => parseReadings(readFileSync('data/gauge_readings.csv', 'utf8')),
 * });
 * const dailyMax = asset({
 *   key: 'gauges/daily_max',
 *   ins: { readings },
 *   materialize: (ctx, { readings }) => maxPerDay(readings), // readings: Reading[]
 * });
 */
export function asset<
  const K extends string,
  const Ins extends Readonly<Record<string, InputSpec>> = Record<never, never>,
  const Res extends ResourceMap = Record<never, never>,
  IO extends 'json' | 'bytes' = 'json',
  V = unknown,
  const P extends PartitionsDefinition = PartitionsDefinition,
>(
  spec: RangeAssetSpec<K, Ins, Res, IO, V, P> & JsonStorable<IO, V>,
): AssetDefinition<K, StoredValue<IO, V>>;
export function asset<
  const K extends string,
  const Ins extends Readonly<Record<string, InputSpec>> = Record<never, never>,
  const Res extends ResourceMap = Record<never, never>,
  IO extends IoFormat = 'json',
  R = unknown,
  const P extends PartitionsDefinition | undefined = undefined,
>(
  spec: AssetSpec<K, Ins, Res, IO, R, P> & JsonStorable<IO, R>,
): AssetDefinition<K, StoredValue<IO, R>>;
export function asset(
  spec:
    | AssetSpec<
        string,
        Readonly<Record<string, InputSpec>>,
        ResourceMap,
        IoFormat,
        unknown,
        PartitionsDefinition | undefined
      >
    | RangeAssetSpec<
        string,
        Readonly<Record<string, InputSpec>>,
        ResourceMap,
        'json' | 'bytes',
        unknown,
        PartitionsDefinition
      >,
): AssetDefinition {
  const owner = `asset '${String(spec.key)}'`;
  assertValidKey(spec.key, 'asset');
  if (typeof spec.materialize !== 'function') {
    throw new DefinitionError('E_DEFINITION', `${owner} needs a materialize(ctx, inputs) function`);
  }
  const io = spec.io ?? 'json';
  if (io !== 'json' && io !== 'bytes' && io !== 'files') {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has io '${String(io)}'; use 'json', 'bytes' or 'files'`,
    );
  }
  const ins: Record<string, Upstream> = {};
  const inputModes: Record<string, InputMode> = {};
  const specIns: Readonly<Record<string, InputSpec>> = spec.ins ?? {};
  for (const name of Object.keys(specIns)) {
    const entry = specIns[name]!;
    const upstream = isAssetInput(entry) ? entry.upstream : entry;
    inputModes[name] = isAssetInput(entry)
      ? { many: entry.many, mapping: entry.mapping, lastGood: entry.lastGood }
      : ONE_VALUE;
    if (!isUpstream(upstream)) {
      throw new DefinitionError(
        'E_DEFINITION',
        `${owner} input '${name}' is not an asset or source asset definition`,
        {
          hint: 'pass the definition returned by asset() or sourceAsset() (or one()/many() of it); use deps for plain keys',
        },
      );
    }
    ins[name] = upstream;
  }
  const deps = (spec.deps ?? NO_DEPS).map((dep, i) => {
    if (typeof dep === 'string') return dep;
    if (isUpstream(dep)) return dep.key;
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} deps[${i}] is neither a key nor an asset definition`,
    );
  });
  if (
    spec.codeVersion !== undefined &&
    (typeof spec.codeVersion !== 'string' || spec.codeVersion === '')
  ) {
    throw new DefinitionError('E_DEFINITION', `${owner} codeVersion must be a non-empty string`);
  }
  const partitions = validatePartitions(spec.partitions, owner);
  const backfillPolicy: BackfillPolicy = spec.backfillPolicy ?? 'multi-run';
  if (backfillPolicy !== 'multi-run' && backfillPolicy !== 'single-run') {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has backfillPolicy '${String(backfillPolicy)}'; use 'multi-run' or 'single-run'`,
    );
  }
  if (backfillPolicy === 'single-run' && (partitions === undefined || io === 'files')) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has backfillPolicy 'single-run', which needs ${partitions === undefined ? 'partitions' : "io 'json' or 'bytes' (a value per partition)"}`,
    );
  }
  const automation = automationOf(spec, owner);
  const freshness = validateFreshnessSpec(spec.freshness, owner, partitions !== undefined);
  // The definition's own fields as one literal (one shape for every asset), then whatever
  // else the spec holds (description, tags, …). Copying the spec first (`{ ...spec, … }` or
  // Object.assign) gave each combination of options its own shape and was most of asset()'s
  // time: 10,000 assets 57 -> 42 ms cold, 24 -> 10 ms warm.
  const definition: Record<PropertyKey, unknown> = {
    kind: 'asset' as const,
    key: spec.key,
    ins,
    inputModes,
    partitions,
    backfillPolicy,
    deps,
    io,
    resources: spec.resources ?? {},
    codeVersion: spec.codeVersion,
    retry: normalizeRetry(spec.retry, owner),
    checks: validateChecks(spec.checks, owner),
    freshness: freshness.freshness,
    partitionFreshness: freshness.partitionFreshness,
    automation: automation.automation,
    pool: automation.pool,
    slots: automation.slots,
    onFailure: automation.onFailure,
    onOverdue: automation.onOverdue,
    materialize: spec.materialize,
  };
  for (const name of Object.keys(spec)) {
    if (!Object.hasOwn(definition, name)) definition[name] = spec[name as keyof typeof spec];
  }
  return definition as unknown as AssetDefinition;
}

type AutomationFields = Pick<
  AssetDefinition,
  'automation' | 'pool' | 'slots' | 'onFailure' | 'onOverdue'
>;

function automationOf(
  spec: Pick<AssetSpec<string, never, never, IoFormat, unknown>, keyof AutomationFields>,
  owner: string,
): AutomationFields {
  const { pool, slots = 1 } = spec;
  if (
    pool !== undefined &&
    (typeof pool !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(pool))
  ) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has an invalid pool name ${JSON.stringify(pool)}`,
      {
        hint: "name a pool of defineProject({ pools }), e.g. pool: 'gpu'",
      },
    );
  }
  if (!Number.isInteger(slots) || slots < 1) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} slots must be an integer ≥ 1, got ${slots}`,
    );
  }
  if (spec.slots !== undefined && pool === undefined) {
    throw new DefinitionError('E_DEFINITION', `${owner} sets slots without a pool`, {
      hint: "slots are taken from a pool: add pool: 'name'",
    });
  }
  return {
    automation:
      spec.automation === undefined
        ? undefined
        : validateCondition(spec.automation, `${owner} automation`),
    pool,
    slots,
    onFailure:
      spec.onFailure === undefined
        ? []
        : validateNotifications(spec.onFailure, `${owner} onFailure`),
    onOverdue:
      spec.onOverdue === undefined
        ? []
        : validateNotifications(spec.onOverdue, `${owner} onOverdue`),
  };
}

function validateChecks(checks: readonly unknown[] | undefined, owner: string): CheckDefinition[] {
  if (checks === undefined) return [];
  const seen = new Set<string>();
  return checks.map((candidate, i) => {
    if (!isCheck(candidate)) {
      throw new DefinitionError('E_DEFINITION', `${owner} checks[${i}] is not a check`, {
        hint: 'build checks with check({ name, evaluate }) or a built-in such as boundsCheck()',
      });
    }
    if (seen.has(candidate.name)) {
      throw new DefinitionError(
        'E_DEFINITION',
        `${owner} has two checks named '${candidate.name}'`,
        {
          hint: 'give one of them another name (built-ins take { name })',
        },
      );
    }
    seen.add(candidate.name);
    return candidate as CheckDefinition;
  });
}

export function isUpstream(value: unknown): value is Upstream {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return (
    (kind === 'asset' || kind === 'source') && typeof (value as { key?: unknown }).key === 'string'
  );
}
