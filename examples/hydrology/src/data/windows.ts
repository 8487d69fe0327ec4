/**
 * @module data/windows
 * Sequence-to-one training windows, as neuralhydrology builds them: for every target day of
 * a split, the `steps` days of inputs ending on that day (the target day included) → that
 * day's discharge. The warm-up of a window comes from the days before its split's start, so
 * windows of different splits may share *input* days (the first validation window reads
 * 269 days of the training period), but a target day belongs to exactly one split.
 *
 * Features per step, in order: the dynamic inputs, one validity channel per dynamic input,
 * then the static attributes. With `autoregressive: true` the previous day's discharge
 * (`q_prev`, normalised like the target) and its validity (`q_prev_valid`) join the dynamic
 * inputs and their channels.
 *
 * Invalid data:
 * - A window is dropped if any forcing inside it is invalid (validity 0 or `NaN`) or absent,
 *   so `x` never holds a made-up value the model is not told about.
 * - The validity channel therefore says how a kept value came to be: 1 observed, 0.5
 *   imputed by a polishing fill. On raw data it is all ones; on polished data it marks the
 *   fills the window was kept thanks to. 0 means unknown; it only occurs for `q_prev`.
 * - `q_prev` does not drop windows (neuralhydrology keeps samples whose autoregressive input
 *   is missing): an invalid previous-day discharge is 0 (the training mean) with validity 0.
 * - A target is `NaN` (masked) unless observed; with `imputedTargets: true` imputed targets
 *   count as known too. Invalid or absent targets are always masked.
 *
 * Normalisation uses the training split only: per dynamic input, the mean and standard
 * deviation (population) over every basin's valid values on the days the training windows
 * read (the training period and its warm-up); the target and `q_prev` use the mean and
 * standard deviation of the usable training targets. Static attributes are normalised
 * across the basins of the set. A zero deviation is replaced by 1.
 */
import type { Series } from '@weir/timeseries';
import { Validity } from '@weir/timeseries';
import type { SampleSet, Samples } from '../samples.js';

const DAY_MS = 86_400_000;

/** Inclusive range of target days, ISO dates (`YYYY-MM-DD`, UTC). */
export interface DateRange {
  readonly start: string;
  readonly end: string;
}

export type SplitName = 'train' | 'validation' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

export type Splits = Readonly<Record<SplitName, DateRange>>;

/** The date split (target days; warm-up is taken from before each start). */
export const CAMELS_SPLITS: Splits = {
  train: { start: '2000-10-01', end: '2001-09-30' },
  validation: { start: '2001-10-01', end: '2002-03-31' },
  test: { start: '2002-04-01', end: '2002-12-31' },
};

/** 270 days of forcings per sample, as in Kratzert et al. (2019) and neuralhydrology. */
export const DEFAULT_STEPS = 270;

/** What the windowing needs of a basin: daily series stamped at 00:00 UTC. */
export interface BasinData {
  readonly id: string;
  /** The target (discharge), in `unit` of the sample set. */
  readonly discharge: Series;
  /** Dynamic inputs by name. */
  readonly forcings: Readonly<Record<string, Series>>;
  readonly attributes?: Readonly<Record<string, number>>;
}

export interface WindowOptions {
  readonly splits?: Splits;
  /** Days per window, target day included (default 270). */
  readonly steps?: number;
  /** Dynamic inputs, keys of `forcings` (default prcp, srad, tmax, tmin, vp). */
  readonly inputs?: readonly string[];
  /** Static attributes (default none). */
  readonly attributes?: readonly string[];
  /** Add the previous day's discharge and its validity as inputs. */
  readonly autoregressive?: boolean;
  /** Treat imputed targets as known (default: only observed targets are). */
  readonly imputedTargets?: boolean;
}

/** Mean and deviation a feature was normalised with: `normalised = (v − mean) / std`. */
export interface Scaling {
  readonly name: string;
  readonly mean: number;
  readonly std: number;
}

/** What happened to one basin's candidate windows in one split. */
export interface SplitCount {
  readonly basin: string;
  /** Target days in the split. */
  readonly candidates: number;
  /** Dropped because a forcing in the window was invalid or absent. */
  readonly dropped: number;
  /** Kept with a masked (`NaN`) target. */
  readonly maskedTargets: number;
  /** Kept: `candidates − dropped`. */
  readonly samples: number;
}

/** A {@link SampleSet} plus how it was built (the contract itself is unchanged). */
export interface WindowedSampleSet extends SampleSet {
  readonly steps: number;
  readonly splits: Splits;
  /** Scalings of the dynamic inputs (with `q_prev`) and the static attributes. */
  readonly scaling: { readonly dynamic: readonly Scaling[]; readonly static: readonly Scaling[] };
  readonly counts: Readonly<Record<SplitName, readonly SplitCount[]>>;
}

/** Validity code → the value of a validity channel. */
export function validityChannel(code: number): number {
  return code === Validity.OBSERVED ? 1 : code === Validity.IMPUTED ? 0.5 : 0;
}

/** `YYYY-MM-DD` → days since 1970-01-01. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return ms / DAY_MS;
}

/** An inclusive range of day numbers. */
export interface DayRange {
  readonly first: number;
  readonly last: number;
}

/** The splits as day numbers; throws if a range is empty or two ranges share a day. */
export function splitDays(splits: Splits): Readonly<Record<SplitName, DayRange>> {
  const days = {} as Record<SplitName, DayRange>;
  for (const name of SPLIT_NAMES) {
    const first = dayNumber(splits[name].start);
    const last = dayNumber(splits[name].end);
    if (last < first) throw new RangeError(`split ${name} ends before it starts`);
    days[name] = { first, last };
  }
  for (const [i, a] of SPLIT_NAMES.entries()) {
    for (const b of SPLIT_NAMES.slice(i + 1)) {
      if (days[a].first <= days[b].last && days[b].first <= days[a].last) {
        throw new RangeError(`splits ${a} and ${b} share target days`);
      }
    }
  }
  return days;
}

/** A series placed on `length` days from day `first`: `NaN` / invalid where it has no value. */
function onGrid(
  s: Series,
  first: number,
  length: number,
): { values: Float64Array; validity: Uint8Array } {
  const values = new Float64Array(length).fill(Number.NaN);
  const validity = new Uint8Array(length);
  for (let i = 0; i < s.time.length; i++) {
    const day = s.time[i]! / DAY_MS;
    if (!Number.isInteger(day)) {
      throw new RangeError(
        `series ${s.name}: ${new Date(s.time[i]!).toISOString()} is not 00:00 UTC`,
      );
    }
    const g = day - first;
    if (g < 0 || g >= length) continue;
    const v = s.values[i]!;
    const code = Number.isNaN(v) ? Validity.INVALID : s.validity[i]!;
    values[g] = v;
    validity[g] = code;
  }
  return { values, validity };
}

/** Population mean and deviation of the values where `use` holds; deviation 0 becomes 1. */
function meanStd(
  name: string,
  columns: readonly { values: Float64Array; use: (i: number) => boolean }[],
  from: number,
  to: number,
): Scaling {
  let n = 0;
  let sum = 0;
  for (const { values, use } of columns) {
    for (let i = from; i <= to; i++) {
      if (use(i)) {
        n++;
        sum += values[i]!;
      }
    }
  }
  if (n === 0) throw new RangeError(`no valid training data for ${name}`);
  const mean = sum / n;
  let ss = 0;
  for (const { values, use } of columns) {
    for (let i = from; i <= to; i++) if (use(i)) ss += (values[i]! - mean) ** 2;
  }
  const std = Math.sqrt(ss / n);
  return { name, mean, std: std > 0 ? std : 1 };
}

interface Prepared {
  readonly id: string;
  /** Per dynamic input (forcings), its grid values and validity. */
  readonly forcings: readonly { values: Float64Array; validity: Uint8Array }[];
  /** Discharge on the grid shifted one day earlier: index `g + 1` is grid day `g`. */
  readonly q: { values: Float64Array; validity: Uint8Array };
  /** `bad[g + 1] − bad[a]`: forcing days in `[a, g]` that are invalid. */
  readonly badPrefix: Uint32Array;
  readonly attributes: readonly number[];
}

function prepare(
  basin: BasinData,
  inputs: readonly string[],
  attributes: readonly string[],
  gridFirst: number,
  length: number,
): Prepared {
  const forcings = inputs.map((name) => {
    const s = basin.forcings[name];
    if (s === undefined) throw new RangeError(`basin ${basin.id} has no forcing ${name}`);
    return onGrid(s, gridFirst, length);
  });
  const badPrefix = new Uint32Array(length + 1);
  for (let g = 0; g < length; g++) {
    let bad = 0;
    for (const f of forcings) if (f.validity[g] === Validity.INVALID) bad = 1;
    badPrefix[g + 1] = badPrefix[g]! + bad;
  }
  const attrs = attributes.map((name) => {
    const v = basin.attributes?.[name];
    if (v === undefined || !Number.isFinite(v)) {
      throw new RangeError(`basin ${basin.id} has no numeric attribute ${name}`);
    }
    return v;
  });
  return {
    id: basin.id,
    forcings,
    q: onGrid(basin.discharge, gridFirst - 1, length + 1),
    badPrefix,
    attributes: attrs,
  };
}

function targetUsable(code: number, imputed: boolean): boolean {
  return code === Validity.OBSERVED || (imputed && code === Validity.IMPUTED);
}

/** The normalised feature rows of one basin, `length × features`, one row per grid day. */
function featureRows(
  p: Prepared,
  dynamic: readonly Scaling[],
  target: Scaling,
  staticValues: readonly number[],
  autoregressive: boolean,
  length: number,
): Float32Array {
  const nDyn = dynamic.length;
  const features = 2 * nDyn + staticValues.length;
  const rows = new Float32Array(length * features);
  for (let g = 0; g < length; g++) {
    const row = g * features;
    p.forcings.forEach((f, k) => {
      const code = f.validity[g]!;
      const { mean, std } = dynamic[k]!;
      rows[row + k] = code === Validity.INVALID ? 0 : (f.values[g]! - mean) / std;
      rows[row + nDyn + k] = validityChannel(code);
    });
    if (autoregressive) {
      const k = nDyn - 1;
      const code = p.q.validity[g]!; // discharge of grid day g − 1
      rows[row + k] = code === Validity.INVALID ? 0 : (p.q.values[g]! - target.mean) / target.std;
      rows[row + nDyn + k] = validityChannel(code);
    }
    staticValues.forEach((v, a) => {
      rows[row + 2 * nDyn + a] = v;
    });
  }
  return rows;
}

function emptyCount(basin: string, candidates: number): SplitCount {
  return { basin, candidates, dropped: 0, maskedTargets: 0, samples: 0 };
}

/**
 * The samples of one split: for each basin (in order) and each target day (ascending) whose
 * window has no invalid forcing.
 */
function splitSamples(
  prepared: readonly Prepared[],
  rows: readonly Float32Array[],
  range: DayRange,
  gridFirst: number,
  steps: number,
  features: number,
  target: Scaling,
  imputedTargets: boolean,
): { samples: Samples; counts: SplitCount[] } {
  const candidates = range.last - range.first + 1;
  const kept: number[][] = prepared.map((p) => {
    const days: number[] = [];
    for (let day = range.first; day <= range.last; day++) {
      const g = day - gridFirst;
      if (p.badPrefix[g + 1]! - p.badPrefix[g - steps + 1]! === 0) days.push(g);
    }
    return days;
  });
  const count = kept.reduce((n, d) => n + d.length, 0);
  const x = new Float32Array(count * steps * features);
  const y = new Float32Array(count);
  const basin = new Uint16Array(count);
  const date = new Float64Array(count);
  const stride = steps * features;
  const counts: SplitCount[] = [];
  let s = 0;
  prepared.forEach((p, b) => {
    const c = emptyCount(p.id, candidates);
    let masked = 0;
    for (const g of kept[b]!) {
      x.set(rows[b]!.subarray((g - steps + 1) * features, (g + 1) * features), s * stride);
      const code = p.q.validity[g + 1]!;
      y[s] = targetUsable(code, imputedTargets)
        ? (p.q.values[g + 1]! - target.mean) / target.std
        : Number.NaN;
      if (Number.isNaN(y[s]!)) masked++;
      basin[s] = b;
      date[s] = (gridFirst + g) * DAY_MS;
      s++;
    }
    const n = kept[b]!.length;
    counts.push({ ...c, dropped: candidates - n, maskedTargets: masked, samples: n });
  });
  return { samples: { count, steps, features, x, y, basin, date }, counts };
}

/** Per basin, the population deviation of its finite training targets (0 if it has none). */
function basinStds(train: Samples, basins: number): Float32Array {
  const n = new Float64Array(basins);
  const sum = new Float64Array(basins);
  const ss = new Float64Array(basins);
  for (let i = 0; i < train.count; i++) {
    const v = train.y[i]!;
    if (Number.isNaN(v)) continue;
    const b = train.basin[i]!;
    n[b]!++;
    sum[b]! += v;
  }
  for (let i = 0; i < train.count; i++) {
    const v = train.y[i]!;
    if (Number.isNaN(v)) continue;
    const b = train.basin[i]!;
    ss[b]! += (v - sum[b]! / n[b]!) ** 2;
  }
  return Float32Array.from(n, (c, b) => (c === 0 ? 0 : Math.sqrt(ss[b]! / c)));
}

/**
 * Windows of all basins for the three date splits, normalised with training statistics.
 *
 * @example
 * const set = buildSampleSet(await loadCamelsBasins(ids, camelsLayout(root)), {
 *   attributes: DEFAULT_ATTRIBUTES,
 * });
 * set.train.count; // 1460 on the four CAMELS basins
 */
export function buildSampleSet(
  basins: readonly BasinData[],
  options: WindowOptions = {},
): WindowedSampleSet {
  const splits = options.splits ?? CAMELS_SPLITS;
  const steps = options.steps ?? DEFAULT_STEPS;
  const inputs = options.inputs ?? ['prcp', 'srad', 'tmax', 'tmin', 'vp'];
  const attributes = options.attributes ?? [];
  const autoregressive = options.autoregressive ?? false;
  const imputedTargets = options.imputedTargets ?? false;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be ≥ 1: ${steps}`);
  if (basins.length === 0 || basins.length > 65_535) {
    throw new RangeError(`need 1 to 65535 basins, got ${basins.length}`);
  }
  const unit = basins[0]!.discharge.unit ?? '';
  for (const b of basins) {
    if ((b.discharge.unit ?? '') !== unit) {
      throw new RangeError(`basin ${b.id}: discharge in ${b.discharge.unit}, not ${unit}`);
    }
  }
  const days = splitDays(splits);
  const gridFirst = Math.min(...SPLIT_NAMES.map((n) => days[n].first)) - (steps - 1);
  const gridLast = Math.max(...SPLIT_NAMES.map((n) => days[n].last));
  const length = gridLast - gridFirst + 1;
  const prepared = basins.map((b) => prepare(b, inputs, attributes, gridFirst, length));

  // Training statistics: the days the training windows read, and the training targets.
  const train = days.train;
  const readFrom = train.first - (steps - 1) - gridFirst;
  const readTo = train.last - gridFirst;
  const target = meanStd(
    'q',
    prepared.map((p) => ({
      values: p.q.values.subarray(1),
      use: (i: number) => targetUsable(p.q.validity[i + 1]!, imputedTargets),
    })),
    train.first - gridFirst,
    readTo,
  );
  const forcingScaling = inputs.map((name, k) =>
    meanStd(
      name,
      prepared.map((p) => ({
        values: p.forcings[k]!.values,
        use: (i: number) => p.forcings[k]!.validity[i] !== Validity.INVALID,
      })),
      readFrom,
      readTo,
    ),
  );
  const dynamic = autoregressive
    ? [...forcingScaling, { ...target, name: 'q_prev' }]
    : forcingScaling;
  const staticScaling = attributes.map((name, a) => {
    const values = Float64Array.from(prepared, (p) => p.attributes[a]!);
    return meanStd(name, [{ values, use: () => true }], 0, values.length - 1);
  });
  const rows = prepared.map((p) =>
    featureRows(
      p,
      dynamic,
      target,
      staticScaling.map(({ mean, std }, a) => (p.attributes[a]! - mean) / std),
      autoregressive,
      length,
    ),
  );
  const features = 2 * dynamic.length + attributes.length;
  const built = {} as Record<SplitName, { samples: Samples; counts: SplitCount[] }>;
  for (const name of SPLIT_NAMES) {
    built[name] = splitSamples(
      prepared,
      rows,
      days[name],
      gridFirst,
      steps,
      features,
      target,
      imputedTargets,
    );
  }
  const dynamicNames = dynamic.map((d) => d.name);
  return {
    basins: basins.map((b) => b.id),
    featureNames: [...dynamicNames, ...dynamicNames.map((n) => `${n}_valid`), ...attributes],
    train: built.train.samples,
    validation: built.validation.samples,
    test: built.test.samples,
    target: { mean: target.mean, std: target.std, unit },
    basinStd: basinStds(built.train.samples, basins.length),
    steps,
    splits,
    scaling: { dynamic, static: staticScaling },
    counts: {
      train: built.train.counts,
      validation: built.validation.counts,
      test: built.test.counts,
    },
  };
}
