/**
 * `station/raw_readings`: each month's file exactly as delivered, never modified (the bytes
 * are the artefact). Its checks say whether the file can be read at all (blocking: a month
 * with a broken row keeps its last good version current) and how many readings break the
 * laws of physics or leave the sensor's range (a warning: polishing deals with those).
 */
import { readFile } from 'node:fs/promises';
import { asset, check, eager } from 'weir';
import { inboxFileOf } from '../paths.js';
import { ABSENT, inbox, months } from './inbox.js';
import { readMonth, VARIABLES } from './readings.js';

/**
 * Bounds per variable. Physical: no value outside can be real (a stage below the gauge zero,
 * water below −1 °C or above 40 °C in a river). Sensor: the instrument's measuring range
 * (the SAC254 probe reads 0-60 1/m); a value outside is a sensor fault, not the river.
 */
export const BOUNDS: Record<
  (typeof VARIABLES)[number],
  { min: number; max: number; kind: string }
> = {
  level_raw: { min: 0, max: 1000, kind: 'physical (cm above the gauge zero)' },
  water_temp_raw: { min: -1, max: 40, kind: 'physical (°C, liquid river water)' },
  sac254_raw: { min: 0, max: 60, kind: "the sensor's measuring range (1/m)" },
};

const readable = check<Uint8Array>({
  name: 'readable',
  description:
    'Every row has a valid timestamp and numbers in the expected columns, within the month; a delivered file has readings',
  evaluate: (ctx, bytes) => {
    const key = ctx.partition ?? '';
    const file = inboxFileOf(key);
    let frame: ReturnType<typeof readMonth>;
    try {
      frame = readMonth(bytes, file);
    } catch (error) {
      return { passed: false, message: (error as Error).message };
    }
    if (bytes.length > 0 && frame.time.length === 0) {
      return { passed: false, message: `${file}: a header and no readings` };
    }
    const outside = frame.time.filter(
      (t) => new Date(t).toISOString().slice(0, 7) !== key.slice(0, 7),
    );
    if (outside.length > 0) {
      const first = new Date(outside[0]!).toISOString();
      return {
        passed: false,
        message: `${file}: ${outside.length} readings outside ${key.slice(0, 7)} (the first at ${first}): misfiled rows belong in their own month's file`,
      };
    }
    return {
      passed: true,
      metadata: { rows: frame.time.length, duplicateTimes: duplicates(frame.time) },
    };
  },
});

/** Readings that share a timestamp with the one before (the feed repeated a time). */
function duplicates(time: Float64Array): number {
  const sorted = Float64Array.from(time).sort();
  let n = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) n++;
  return n;
}

const withinBounds = check<Uint8Array>({
  name: 'within_bounds',
  description: 'Readings inside the physical bounds and the sensor range (see BOUNDS)',
  severity: 'warn',
  evaluate: (ctx, bytes) => {
    let frame: ReturnType<typeof readMonth>;
    try {
      frame = readMonth(bytes, inboxFileOf(ctx.partition ?? ''));
    } catch {
      return { passed: true, message: 'not evaluated: the file cannot be read' };
    }
    const outside: Record<string, number> = {};
    for (const v of VARIABLES) {
      const { min, max } = BOUNDS[v];
      outside[v] = frame.columns.get(v)!.filter((x) => x < min || x > max).length;
    }
    const total = Object.values(outside).reduce((a, b) => a + b, 0);
    const listed = VARIABLES.filter((v) => outside[v]! > 0).map(
      (v) => `${outside[v]} ${v} outside ${BOUNDS[v].min}..${BOUNDS[v].max} (${BOUNDS[v].kind})`,
    );
    return {
      passed: total === 0,
      message: total === 0 ? 'every reading within bounds' : listed.join('; '),
      metadata: outside,
    };
  },
});

export const rawReadings = asset({
  key: 'station/raw_readings',
  group: 'station',
  kinds: ['csv'],
  description: "One month of the station's telemetry, byte for byte as delivered",
  partitions: months,
  io: 'bytes',
  ins: { delivered: inbox },
  automation: eager(),
  checks: [readable, withinBounds],
  materialize: async (ctx, { delivered }) => {
    if (delivered.dataVersion === ABSENT) {
      ctx.addMetadata({ delivered: false });
      return new Uint8Array(0);
    }
    const file = inboxFileOf(ctx.partition.key);
    const bytes = new Uint8Array(await readFile(file));
    // An empty delivery is not "no month yet": the file arrived broken; keep the last good one.
    if (bytes.length === 0)
      throw new Error(`${file} is empty: a delivered file needs a header and readings`);
    ctx.addMetadata({ delivered: true, bytes: bytes.length });
    return bytes;
  },
});
