import { DefinitionError } from '../errors.js';
import { type CheckDefinition, isCheck } from './check.js';
import type { AssetContext, FileArtefact, IoFormat } from './context.js';
import { type FreshnessPolicy, validateFreshnessPolicy } from './freshness.js';
import type { Jsonified } from './jsonified.js';
import { assertValidKey } from './keys.js';
import type { AssetAttributes } from './metadata.js';
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
  /** Ordering-only dependencies (keys): they run first and count for staleness, but pass no value. */
  readonly deps: readonly string[];
  readonly io: IoFormat;
  readonly resources: ResourceMap;
  readonly codeVersion: string | undefined;
  readonly retry: Required<RetryPolicy>;
  /** Contracts evaluated right after each materialization. */
  readonly checks: readonly CheckDefinition[];
  readonly freshness: FreshnessPolicy | undefined;
  readonly materialize: (
    ctx: AssetContext<ResourceMap>,
    inputs: Record<string, unknown>,
  ) => unknown;
  /** Type-level only: the value this asset hands downstream. */
  readonly [valueType]?: T;
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

export type InputsOf<Ins> = { readonly [N in keyof Ins]: ValueOf<Ins[N]> };

/** What is stored (and so received downstream) for a materialize function returning `R`. */
export type StoredValue<IO extends IoFormat, R> = IO extends 'files'
  ? FileArtefact
  : IO extends 'bytes'
    ? Uint8Array
    : Jsonified<Awaited<R>>;

export interface AssetSpec<
  K extends string,
  Ins extends Readonly<Record<string, Upstream>>,
  Res extends ResourceMap,
  IO extends IoFormat,
  R,
> extends AssetAttributes {
  key: K;
  ins?: Ins;
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
  /** How old the newest materialization may be, e.g. `{ maxLag: '6h' }` or `{ cron: '0 7 * * *' }`. */
  freshness?: FreshnessPolicy;
  materialize: (ctx: AssetContext<Res, IO>, inputs: InputsOf<Ins>) => R | Promise<R>;
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
  const Ins extends Readonly<Record<string, Upstream>> = Record<never, never>,
  const Res extends ResourceMap = Record<never, never>,
  IO extends IoFormat = 'json',
  R = unknown,
>(spec: AssetSpec<K, Ins, Res, IO, R>): AssetDefinition<K, StoredValue<IO, R>> {
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
  for (const [name, upstream] of Object.entries(spec.ins ?? {})) {
    if (!isUpstream(upstream)) {
      throw new DefinitionError(
        'E_DEFINITION',
        `${owner} input '${name}' is not an asset or source asset definition`,
        {
          hint: 'pass the definition returned by asset() or sourceAsset(); use deps for plain keys',
        },
      );
    }
    ins[name] = upstream;
  }
  const deps = (spec.deps ?? []).map((dep, i) => {
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
  return {
    ...spec,
    kind: 'asset',
    key: spec.key,
    ins,
    deps,
    io,
    resources: spec.resources ?? {},
    codeVersion: spec.codeVersion,
    retry: normalizeRetry(spec.retry, owner),
    checks: validateChecks(spec.checks, owner),
    freshness:
      spec.freshness === undefined ? undefined : validateFreshnessPolicy(spec.freshness, owner),
    materialize: spec.materialize as unknown as AssetDefinition['materialize'],
  };
}

function validateChecks(checks: readonly unknown[] | undefined, owner: string): CheckDefinition[] {
  const seen = new Set<string>();
  return (checks ?? []).map((candidate, i) => {
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
