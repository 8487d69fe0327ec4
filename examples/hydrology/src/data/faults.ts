/**
 * @module data/faults
 * Seeded, labelled synthetic faults in a copy of a series, so raw and polished training can
 * be compared on CAMELS, whose record has no gaps. Everything this produces is synthetic and
 * says so (`label: 'synthetic'`); report it as such wherever it appears.
 *
 * Faults look like raw sensor data, not like polished data: spikes, flat lines and negative
 * values keep their flags and validity (finding them is the polisher's job); a gap is what a
 * reader makes of `-999` (`NaN`, flag missing, cause `MISSING_VALUE`, invalid). Faults never
 * overlap or touch one another, and are placed only on points that hold a value.
 */
import type { Series } from '@weir/timeseries';
import { Cause, cloneSeries, Flag, Validity } from '@weir/timeseries';

export type FaultKind = 'spike' | 'flat-line' | 'gap' | 'negative';
export const FAULT_KINDS: readonly FaultKind[] = ['spike', 'flat-line', 'gap', 'negative'];

/** How many faults of each kind, and how big. Ranges are inclusive `[min, max]`. */
export interface FaultPlan {
  readonly seed: number;
  /** One non-zero point multiplied by a factor drawn from `factor` (default 20 to 200). */
  readonly spikes?: { readonly count: number; readonly factor?: readonly [number, number] };
  /** A sensor stuck at the run's first value for `length` points (default 5 to 20). */
  readonly flatLines?: { readonly count: number; readonly length?: readonly [number, number] };
  /** `length` points missing (default 1 to 10). */
  readonly gaps?: { readonly count: number; readonly length?: readonly [number, number] };
  /** One point replaced by its negative (−|v|, or −1 where v is 0). */
  readonly negatives?: { readonly count: number };
  /** Only points with `from ≤ time ≤ to` (epoch ms) are faulted. */
  readonly within?: { readonly from: number; readonly to: number };
}

/** One injected fault: where, and the values before and after. */
export interface InjectedFault {
  readonly kind: FaultKind;
  /** Index of the first point, and the number of points. */
  readonly index: number;
  readonly length: number;
  /** Time of the first and last point (epoch ms). */
  readonly from: number;
  readonly to: number;
  readonly original: readonly number[];
  readonly injected: readonly number[];
}

export interface FaultedSeries {
  readonly label: 'synthetic';
  readonly seed: number;
  /** The faulted copy; the input series is not modified. */
  readonly series: Series;
  /** In order of position. */
  readonly faults: readonly InjectedFault[];
}

/** mulberry32: a small, fast, seeded PRNG with uniform output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MAX_ATTEMPTS = 10_000;

interface Request {
  readonly kind: FaultKind;
  readonly length: number;
  readonly factor: number;
}

function integerIn(random: () => number, [min, max]: readonly [number, number]): number {
  return min + Math.floor(random() * (max - min + 1));
}

function requests(plan: FaultPlan, random: () => number): Request[] {
  const out: Request[] = [];
  const add = (kind: FaultKind, count: number, length: () => number, factor: () => number) => {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`${kind} count: ${count}`);
    for (let i = 0; i < count; i++) out.push({ kind, length: length(), factor: factor() });
  };
  const one = () => 1;
  const [fMin, fMax] = plan.spikes?.factor ?? [20, 200];
  add('spike', plan.spikes?.count ?? 0, one, () => fMin + random() * (fMax - fMin));
  const flat = plan.flatLines?.length ?? [5, 20];
  add('flat-line', plan.flatLines?.count ?? 0, () => integerIn(random, flat), one);
  const gap = plan.gaps?.length ?? [1, 10];
  add('gap', plan.gaps?.count ?? 0, () => integerIn(random, gap), one);
  add('negative', plan.negatives?.count ?? 0, one, one);
  for (const r of out) {
    if (!(r.length >= 1)) throw new RangeError(`${r.kind} length must be ≥ 1`);
  }
  return out;
}

/**
 * A start index whose `length` points (and one on each side) are free and hold values (non-zero
 * ones for a spike, which would otherwise change nothing).
 */
function place(
  s: Series,
  taken: Uint8Array,
  allowed: { first: number; last: number },
  length: number,
  nonZero: boolean,
  random: () => number,
): number {
  const span = allowed.last - length + 1 - allowed.first + 1;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && span > 0; attempt++) {
    const start = allowed.first + Math.floor(random() * span);
    let ok = true;
    for (let i = start - 1; i <= start + length && ok; i++) {
      if (i < 0 || i >= taken.length) continue;
      const inside = i >= start && i < start + length;
      const v = s.values[i]!;
      if (taken[i] === 1 || (inside && (Number.isNaN(v) || (nonZero && v === 0)))) ok = false;
    }
    if (ok) return start;
  }
  throw new RangeError(`cannot place a ${length}-point fault in ${s.name}: too little free room`);
}

function apply(s: Series, r: Request, start: number): number[] {
  const { values, flags, causes, validity } = s;
  const injected: number[] = [];
  for (let i = start; i < start + r.length; i++) {
    const v = values[i]!;
    if (r.kind === 'spike') values[i] = v * r.factor;
    else if (r.kind === 'flat-line') values[i] = values[start]!;
    else if (r.kind === 'negative') values[i] = v === 0 ? -1 : -Math.abs(v);
    else {
      values[i] = Number.NaN;
      flags[i] = Flag.MISSING;
      causes[i]! |= Cause.MISSING_VALUE;
      validity[i] = Validity.INVALID;
    }
    injected.push(values[i]!);
  }
  return injected;
}

/**
 * A faulted copy of `series` and the record of every fault, reproducible from `plan.seed`.
 * Longer faults are placed first (they need the most room); throws if one cannot be placed.
 *
 * @example
 * const f = injectFaults(basin.discharge, { seed: 1, spikes: { count: 5 }, gaps: { count: 3 } });
 * f.label; // 'synthetic'
 */
export function injectFaults(series: Series, plan: FaultPlan): FaultedSeries {
  const random = seededRandom(plan.seed);
  const copy = cloneSeries(series);
  const n = copy.time.length;
  let first = 0;
  let last = n - 1;
  if (plan.within !== undefined) {
    while (first < n && copy.time[first]! < plan.within.from) first++;
    while (last >= 0 && copy.time[last]! > plan.within.to) last--;
  }
  const taken = new Uint8Array(n);
  const order = requests(plan, random)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.length - a.r.length || a.i - b.i);
  const faults: InjectedFault[] = [];
  for (const { r } of order) {
    const start = place(copy, taken, { first, last }, r.length, r.kind === 'spike', random);
    taken.fill(1, start, start + r.length);
    const original = Array.from(copy.values.subarray(start, start + r.length));
    const injected = apply(copy, r, start);
    faults.push({
      kind: r.kind,
      index: start,
      length: r.length,
      from: copy.time[start]!,
      to: copy.time[start + r.length - 1]!,
      original,
      injected,
    });
  }
  faults.sort((a, b) => a.index - b.index);
  return { label: 'synthetic', seed: plan.seed, series: copy, faults };
}

/** Per kind, how many faults and how many points they cover. */
export function faultSummary(
  faults: readonly InjectedFault[],
): Record<FaultKind, { events: number; points: number }> {
  const out = Object.fromEntries(FAULT_KINDS.map((k) => [k, { events: 0, points: 0 }])) as Record<
    FaultKind,
    { events: number; points: number }
  >;
  for (const f of faults) {
    out[f.kind].events++;
    out[f.kind].points += f.length;
  }
  return out;
}

/** One byte per point of the series: 1 where a fault was injected. */
export function faultMask(faults: readonly InjectedFault[], length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const f of faults) mask.fill(1, f.index, f.index + f.length);
  return mask;
}
