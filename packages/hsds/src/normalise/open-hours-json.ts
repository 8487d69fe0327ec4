// The structured opening hours of LinkSF-style JSON exports: `openHours` maps a day number
// (0 = Sunday … 6 = Saturday, as JavaScript's Date counts) to `[opens, closes]` pairs written
// as HHMM integers (`[[900, 1200], [1300, 1700]]`).

import type { DayNumber } from './hours-tokens.js';
import type { HsdsScheduleFields } from './hsds-fields.js';
import { type Opening, scheduleRows } from './schedule-rows.js';

export interface OpenHoursParse {
  schedules: HsdsScheduleFields[];
  /** Entries that are not a day with HHMM pairs, as `day: value` (left out of the rows). */
  problems: string[];
}

/** Reads an `openHours` object into HSDS rows. Never throws; `null`, `undefined` or `{}` give no
 * rows. A closing time of 2400 (end of day) is `23:59`, as for "24 hours" in text. */
export function openHoursToSchedules(openHours: unknown): OpenHoursParse {
  const problems: string[] = [];
  if (openHours === null || openHours === undefined) return { schedules: [], problems };
  if (typeof openHours !== 'object' || Array.isArray(openHours)) {
    return { schedules: [], problems: [`not an object: ${JSON.stringify(openHours)}`] };
  }
  const openings: Opening[] = [];
  for (const [key, pairs] of Object.entries(openHours)) {
    const sundayFirst = Number(key);
    if (!/^[0-6]$/.test(key) || !Array.isArray(pairs)) {
      problems.push(`${key}: ${JSON.stringify(pairs)}`);
      continue;
    }
    const day = ((sundayFirst + 6) % 7) as DayNumber;
    for (const pair of pairs) {
      const opens = Array.isArray(pair) && pair.length === 2 ? minutes(pair[0]) : undefined;
      const closes = Array.isArray(pair) && pair.length === 2 ? minutes(pair[1]) : undefined;
      if (opens === undefined || closes === undefined || opens === closes || opens === 1440) {
        problems.push(`${key}: ${JSON.stringify(pair)}`);
        continue;
      }
      openings.push({
        day,
        opens,
        closes: closes === 1440 || closes === 0 ? 23 * 60 + 59 : closes,
      });
    }
  }
  return { schedules: scheduleRows(openings), problems };
}

function minutes(hhmm: unknown): number | undefined {
  if (typeof hhmm !== 'number' || !Number.isInteger(hhmm) || hhmm < 0 || hhmm > 2400)
    return undefined;
  const h = Math.floor(hhmm / 100);
  const m = hhmm % 100;
  return m < 60 ? h * 60 + m : undefined;
}
