/**
 * `station/level_forecast_skill`: does polishing make a forecast better? A one-hour-ahead
 * autoregressive level forecast (AR(8) on the 15-minute grid) fitted on 2016 twice, once on
 * the raw readings aligned to the grid (every reading trusted) and once on the polished
 * series (only points the polishing calls observed), then scored on 2017 against 1-hour
 * persistence, only at points that the maintenance log and the polishing agree are valid.
 */
import {
  parsePolishConfig,
  polish,
  type Series,
  seriesFromArrowIPC,
  Validity,
} from '@weir/timeseries';
import { asset, eager, many } from 'weir';
import { kge, nse } from '../data/metrics.js';
import { inboxFileOf } from '../paths.js';
import { type ArModel, fitAr, forecastAt } from './autoregressive.js';
import { maintenanceLog, polishedTimeseries } from './polished.js';
import { rawReadings } from './raw.js';
import { concatFrames, readMonth } from './readings.js';

const ORDER = 8;
const HORIZON = 4;
const TEST_FROM = Date.UTC(2017, 0, 1);
const alignOnly = parsePolishConfig({
  duplicates: 'mean',
  align: { freq: '15min', method: 'time' },
  variables: { level_raw: {} },
});

export interface Skill {
  readonly nse: number;
  readonly kge: number;
  /** Root mean square error, cm. */
  readonly rmse: number;
}

export interface LevelForecastSkill {
  /** Why there are no scores yet (2016 or 2017 not delivered), or undefined. */
  readonly waitingFor?: string;
  readonly horizonMinutes: number;
  readonly order: number;
  readonly trainSamples: { readonly raw: number; readonly polished: number };
  readonly scoredPoints: number;
  readonly trainedOnRaw?: Skill;
  readonly trainedOnPolished?: Skill;
  readonly persistence?: Skill;
}

/** Fewer samples than this in either period: no scores, the asset says what it waits for. */
const MIN_SAMPLES = 1000;

export const levelForecastSkill = asset({
  key: 'station/level_forecast_skill',
  group: 'station',
  kinds: ['report'],
  description: 'One-hour level forecast skill in 2017: trained on raw vs polished 2016 data',
  deps: [maintenanceLog],
  ins: { polished: many(polishedTimeseries), raw: many(rawReadings) },
  automation: eager(),
  materialize: (ctx, { polished, raw }): LevelForecastSkill => {
    const level = joinMonths(
      [...polished.values()].map((bytes) => levelOf(seriesFromArrowIPC(bytes))),
    );
    const frames = [...raw].map(([key, bytes]) => readMonth(bytes, inboxFileOf(key)));
    const rawLevel = onGrid(levelOf(polish(concatFrames(frames), alignOnly).series), level.time);
    const train = (t: number) => level.time[t]! < TEST_FROM;
    const observed = (t: number) => level.validity[t] === Validity.OBSERVED;
    const onRaw = fitAr(rawLevel, train, ORDER, HORIZON);
    const onPolished = fitAr(level.values, (t) => train(t) && observed(t), ORDER, HORIZON);
    const scored = scoredPoints(level, rawLevel, onRaw, onPolished, observed);
    const base = {
      horizonMinutes: HORIZON * 15,
      order: ORDER,
      trainSamples: { raw: onRaw.samples, polished: onPolished.samples },
      scoredPoints: scored.observed.length,
    };
    if (onPolished.samples < MIN_SAMPLES || scored.observed.length < MIN_SAMPLES) {
      const waitingFor = `too few valid points to train (2016) or score (2017): ${onPolished.samples} and ${scored.observed.length}; deliver more months (node bin/replay.mjs)`;
      ctx.log.warn(waitingFor);
      ctx.addMetadata({ scored_points: scored.observed.length });
      return { ...base, waitingFor };
    }
    const skill: LevelForecastSkill = {
      ...base,
      trainedOnRaw: score(scored.observed, scored.raw),
      trainedOnPolished: score(scored.observed, scored.polished),
      persistence: score(scored.observed, scored.persistence),
    };
    const byModel = {
      raw: skill.trainedOnRaw!,
      polished: skill.trainedOnPolished!,
      persistence: skill.persistence!,
    };
    const metadata: Record<string, number> = { scored_points: skill.scoredPoints };
    for (const [name, metric] of [
      ['nse', 'nse'],
      ['kge', 'kge'],
      ['rmse_cm', 'rmse'],
    ] as const) {
      for (const [model, s] of Object.entries(byModel)) metadata[`${name}.${model}`] = s[metric];
    }
    ctx.addMetadata(metadata);
    return skill;
  },
});

function levelOf(series: readonly Series[]): Series {
  return series.find((s) => s.name === 'level_raw')!;
}

function joinMonths(months: readonly Series[]): Series {
  const cat = <T extends Float64Array | Uint8Array | Uint32Array>(
    pick: (s: Series) => T,
    make: (n: number) => T,
  ): T => {
    const out = make(months.reduce((n, s) => n + s.time.length, 0));
    let at = 0;
    for (const s of months) {
      out.set(pick(s), at);
      at += s.time.length;
    }
    return out;
  };
  return {
    name: 'level_raw',
    time: cat(
      (s) => s.time,
      (n) => new Float64Array(n),
    ),
    values: cat(
      (s) => s.values,
      (n) => new Float64Array(n),
    ),
    flags: cat(
      (s) => s.flags,
      (n) => new Uint8Array(n),
    ),
    causes: cat(
      (s) => s.causes,
      (n) => new Uint32Array(n),
    ),
    validity: cat(
      (s) => s.validity,
      (n) => new Uint8Array(n),
    ),
  };
}

/** `s`'s values at the times of `grid` (NaN where it has none). */
function onGrid(s: Series, grid: Float64Array): Float64Array {
  const byTime = new Map<number, number>();
  for (let i = 0; i < s.time.length; i++) byTime.set(s.time[i]!, s.values[i]!);
  return Float64Array.from(grid, (t) => byTime.get(t) ?? Number.NaN);
}

/** Test-period targets that are valid, with the three forecasts made for them. */
function scoredPoints(
  level: Series,
  rawLevel: Float64Array,
  onRaw: ArModel,
  onPolished: ArModel,
  observed: (t: number) => boolean,
) {
  const out = {
    observed: [] as number[],
    raw: [] as number[],
    polished: [] as number[],
    persistence: [] as number[],
  };
  for (let t = ORDER - 1; t + HORIZON < level.time.length; t++) {
    const target = t + HORIZON;
    if (level.time[t]! < TEST_FROM || !observed(target)) continue;
    let inputsValid = true;
    for (let k = 0; k < ORDER; k++) inputsValid &&= observed(t - k);
    if (!inputsValid) continue;
    const raw = forecastAt(onRaw, rawLevel, t);
    const polished = forecastAt(onPolished, level.values, t);
    if (!Number.isFinite(raw) || !Number.isFinite(polished)) continue;
    out.observed.push(level.values[target]!);
    out.raw.push(raw);
    out.polished.push(polished);
    out.persistence.push(level.values[t]!);
  }
  return out;
}

function score(observed: number[], simulated: number[]): Skill {
  let se = 0;
  for (let i = 0; i < observed.length; i++) se += (simulated[i]! - observed[i]!) ** 2;
  return {
    nse: nse(observed, simulated),
    kge: kge(observed, simulated).kge,
    rmse: Math.sqrt(se / observed.length),
  };
}
