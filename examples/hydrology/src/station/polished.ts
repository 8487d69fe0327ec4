/**
 * `station/polished_timeseries`: each month on a 15-minute grid with a flag, causes and a
 * validity code per point (Arrow IPC). It reads the month before too: the first grid points
 * of a month are interpolated from the last readings of the previous one, and the spike and
 * flat-line tests need their neighbours.
 */

import { readFile } from 'node:fs/promises';
import {
  Cause,
  causeNames,
  Flag,
  type ManualInterval,
  type PolishConfig,
  polish,
  readMaintenanceLog,
  type Series,
  seriesToArrowIPC,
  TEST_CAUSES,
  type TestName,
  Validity,
} from '@weir/timeseries';
import { asset, eager, fileVersion, lastNMapping, many, sourceAsset } from 'weir';
import { inboxFileOf, SAQC_MAINTENANCE } from '../paths.js';
import { months } from './inbox.js';
import { stationPolicy } from './policy.js';
import { rawReadings } from './raw.js';
import { concatFrames, readMonth } from './readings.js';

export const maintenanceLog = sourceAsset({
  key: 'station/maintenance_log',
  group: 'station',
  description: 'Sensor maintenance visits: readings inside them are not valid',
  observeEvery: '1m',
  observe: () => fileVersion(SAQC_MAINTENANCE),
});

export const polishedTimeseries = asset({
  key: 'station/polished_timeseries',
  group: 'station',
  kinds: ['arrow'],
  description: 'Each month on a 15-minute grid, with flags, causes and a validity channel',
  partitions: months,
  io: 'bytes',
  deps: [maintenanceLog],
  ins: { raw: many(rawReadings, lastNMapping(2)) },
  automation: eager(),
  materialize: async (ctx, { raw }) => {
    const month = polishMonth(
      raw,
      ctx.partition.start!,
      ctx.partition.end!,
      await maintenanceIntervals(),
    );
    ctx.addMetadata(polishCounts(month, stationPolicy));
    return seriesToArrowIPC(month);
  },
});

/**
 * One month polished: the months read (this one and the one before, in order) parsed,
 * joined, polished and cut to the month's window `[start, end)`.
 */
export function polishMonth(
  raw: ReadonlyMap<string, Uint8Array>,
  start: Date,
  end: Date,
  maintenance: readonly ManualInterval[],
): Series[] {
  const frames = [...raw].map(([key, bytes]) => readMonth(bytes, inboxFileOf(key)));
  const { series } = polish(concatFrames(frames), stationPolicy, { maintenance });
  return series.map((s) => window(s, start.getTime(), end.getTime()));
}

export async function maintenanceIntervals(): Promise<ManualInterval[]> {
  return readMaintenanceLog(await readFile(SAQC_MAINTENANCE, 'utf8'), { file: SAQC_MAINTENANCE });
}

/** The points of `s` in `[start, end)` (views, not copies). */
function window(s: Series, start: number, end: number): Series {
  let from = 0;
  while (from < s.time.length && s.time[from]! < start) from++;
  let to = from;
  while (to < s.time.length && s.time[to]! < end) to++;
  return {
    ...s,
    time: s.time.subarray(from, to),
    values: s.values.subarray(from, to),
    flags: s.flags.subarray(from, to),
    causes: s.causes.subarray(from, to),
    validity: s.validity.subarray(from, to),
  };
}

/** Causes that record what was done to a point, not a test that judged it. */
const NOT_TESTS = Cause.FILL_LINEAR | Cause.FILL_FORWARD | Cause.MASKED | Cause.ALIGNED;

/**
 * Per variable: grid points, how many are flagged (suspect or worse) by each cause, how many
 * were filled or masked, and the validity counts, as flat keys (`level_raw.flagged.RANGE`) so
 * each is a metadata series the UI plots month by month. Every count the configuration can
 * produce is present, zero included (a month without a spike says 0, not nothing).
 */
export function polishCounts(
  series: readonly Series[],
  config: PolishConfig,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of series) {
    const vc = config.variables[s.name];
    const configured = [
      ...Object.keys(vc?.tests ?? {}).map((t) => `flagged.${TEST_CAUSES[t as TestName]}`),
      ...(config.align === undefined ? [] : ['flagged.GAP']),
      ...(vc?.fill?.method === 'linear' || vc?.fill?.method === 'forward' ? ['filled'] : []),
      ...(vc?.fill?.method === 'mask' ? ['masked'] : []),
      'observed',
      'imputed',
      'invalid',
    ];
    for (const name of configured) out[`${s.name}.${name}`] = 0;
    const bump = (name: string) => {
      out[`${s.name}.${name}`] = (out[`${s.name}.${name}`] ?? 0) + 1;
    };
    out[`${s.name}.points`] = s.time.length;
    for (let i = 0; i < s.time.length; i++) {
      if (s.flags[i]! >= Flag.SUSPECT) {
        for (const cause of causeNames(s.causes[i]! & ~NOT_TESTS)) bump(`flagged.${cause}`);
      }
      if (s.causes[i]! & (Cause.FILL_LINEAR | Cause.FILL_FORWARD)) bump('filled');
      if (s.causes[i]! & Cause.MASKED) bump('masked');
      bump(validityName(s.validity[i]!));
    }
  }
  return out;
}

function validityName(v: number): string {
  return v === Validity.OBSERVED ? 'observed' : v === Validity.IMPUTED ? 'imputed' : 'invalid';
}
