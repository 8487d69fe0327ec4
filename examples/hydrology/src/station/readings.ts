/**
 * Reading a month's telemetry file: the columns the station delivers, parsed with
 * `@weir/timeseries` (a malformed row is an `InputError` naming file, line and column).
 */
import { type Frame, readWideCsv } from '@weir/timeseries';

/** The station's variables, as the feed names them. */
export const VARIABLES = ['level_raw', 'water_temp_raw', 'sac254_raw'] as const;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The frame of one month's file (an empty frame for a month with no file). */
export function readMonth(bytes: Uint8Array, file: string): Frame {
  if (bytes.length === 0) {
    return {
      time: new Float64Array(0),
      columns: new Map(VARIABLES.map((v) => [v, new Float64Array(0)])),
    };
  }
  return readWideCsv(decoder.decode(bytes), { file, timeColumn: 'Timestamp', columns: VARIABLES });
}

/** Several frames of the same columns, one after the other (months in order). */
export function concatFrames(frames: readonly Frame[]): Frame {
  const length = frames.reduce((n, f) => n + f.time.length, 0);
  const time = new Float64Array(length);
  const columns = new Map(VARIABLES.map((v) => [v, new Float64Array(length)]));
  let at = 0;
  for (const frame of frames) {
    time.set(frame.time, at);
    for (const v of VARIABLES) columns.get(v)!.set(frame.columns.get(v)!, at);
    at += frame.time.length;
  }
  return { time, columns };
}
