/**
 * `camels/forecasts`: each variant's model over the test period (2002-04-01 .. 2002-12-31),
 * in mm/day; and `camels/evaluation`: NSE and KGE per basin against the real record, for
 * every variant and for 1-day persistence.
 */
import { allPartitionsMapping, asset, many } from 'weir';
import { kge, median, nse } from '../data/metrics.js';
import { loadLstmWeights, predict } from '../lstm/index.js';
import { decodeBasin, rawBasin } from './basins.js';
import { lstmModel } from './model.js';
import { asVariant, VARIANTS, variants } from './variants.js';
import { trainingWindows } from './windows.js';
import { decodeWindows } from './windows-codec.js';

export interface Forecast {
  readonly basin: string;
  /** The target day, `YYYY-MM-DD`. */
  readonly date: string;
  /** mm/day. */
  readonly forecast: number;
}

export const forecasts = asset({
  key: 'camels/forecasts',
  group: 'camels',
  kinds: ['table'],
  description: 'Daily discharge forecasts (mm/day) of each variant’s model over the test period',
  partitions: variants,
  ins: { model: lstmModel, windows: trainingWindows },
  materialize: async (ctx, { model, windows }): Promise<Forecast[]> => {
    const set = decodeWindows(windows);
    const weights = await loadLstmWeights(model.path);
    const y = predict(weights, set.test);
    const out: Forecast[] = [];
    for (let i = 0; i < set.test.count; i++) {
      out.push({
        basin: set.basins[set.test.basin[i]!]!,
        date: new Date(set.test.date[i]!).toISOString().slice(0, 10),
        forecast: Number((y[i]! * set.target.std + set.target.mean).toFixed(4)),
      });
    }
    ctx.addMetadata({ variant: asVariant(ctx.partition.key), forecasts: out.length });
    return out;
  },
});

export interface Score {
  readonly variant: string;
  readonly basin: string;
  readonly nse: number | null;
  readonly kge: number | null;
  readonly days: number;
}

export const evaluation = asset({
  key: 'camels/evaluation',
  group: 'camels',
  kinds: ['report'],
  description: 'NSE and KGE per basin on the test period: each variant and 1-day persistence',
  ins: {
    forecasts: many(forecasts, allPartitionsMapping()),
    records: many(rawBasin, allPartitionsMapping()),
  },
  materialize: (ctx, { forecasts, records }): Score[] => {
    const observed = new Map<string, number>();
    for (const bytes of records.values()) {
      const { basin } = decodeBasin(bytes);
      const q = basin.discharge;
      for (let i = 0; i < q.time.length; i++) {
        if (Number.isFinite(q.values[i]!)) observed.set(`${basin.id}@${q.time[i]}`, q.values[i]!);
      }
    }
    const obsAt = (basin: string, date: string, lagDays = 0) =>
      observed.get(`${basin}@${Date.parse(`${date}T00:00:00Z`) - lagDays * 86_400_000}`);
    const scores: Score[] = [];
    const persistence = forecasts.get('polished') ?? [];
    const byVariant: [string, (f: Forecast) => number | undefined][] = [
      ...VARIANTS.filter((v) => forecasts.has(v)).map(
        (v) => [v, (f: Forecast) => f.forecast] as [string, (f: Forecast) => number | undefined],
      ),
      ['persistence', (f: Forecast) => obsAt(f.basin, f.date, 1)],
    ];
    for (const [variant, simulate] of byVariant) {
      const rows = variant === 'persistence' ? persistence : forecasts.get(variant)!;
      for (const basin of new Set(rows.map((r) => r.basin))) {
        const obs: number[] = [];
        const sim: number[] = [];
        for (const r of rows) {
          if (r.basin !== basin) continue;
          const o = obsAt(basin, r.date);
          const s = simulate(r);
          if (o === undefined || s === undefined) continue;
          obs.push(o);
          sim.push(s);
        }
        scores.push({
          variant,
          basin,
          nse: finite(nse(obs, sim)),
          kge: finite(kge(obs, sim).kge),
          days: obs.length,
        });
      }
    }
    for (const [variant] of byVariant) {
      const mine = scores.filter((s) => s.variant === variant);
      ctx.addMetadata({
        [`median_nse.${variant}`]: finite(median(mine.map((s) => s.nse ?? Number.NaN))),
        [`median_kge.${variant}`]: finite(median(mine.map((s) => s.kge ?? Number.NaN))),
      });
    }
    return scores;
  },
});

function finite(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toFixed(4)) : null;
}
