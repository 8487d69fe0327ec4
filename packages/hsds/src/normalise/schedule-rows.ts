// Opening intervals (a day, an opening and a closing time) as HSDS `schedule` rows: one row per
// distinct opening and closing time, with every day that has it in `byday`, so that the same
// week always gives the same rows.

import type { DayNumber } from './hours-tokens.js';
import type { HsdsScheduleFields, HsdsWeekday } from './hsds-fields.js';

export const WEEKDAYS: readonly HsdsWeekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** One opening: `opens`/`closes` are minutes after midnight; `closes` before `opens` runs past
 * midnight. */
export interface Opening {
  day: DayNumber;
  opens: number;
  closes: number;
}

/** Minutes after midnight as `HH:MM`. */
export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The canonical rows of a week of openings: grouped by times, days in week order, rows
 * ordered by their first day and then by opening time; duplicates dropped. */
export function scheduleRows(openings: readonly Opening[]): HsdsScheduleFields[] {
  const byTimes = new Map<string, Set<DayNumber>>();
  for (const o of openings) {
    const key = `${hhmm(o.opens)}-${hhmm(o.closes)}`;
    const days = byTimes.get(key) ?? new Set<DayNumber>();
    days.add(o.day);
    byTimes.set(key, days);
  }
  const rows = [...byTimes].map(([key, days]) => {
    const [opens_at, closes_at] = key.split('-') as [string, string];
    const sorted = [...days].sort((a, b) => a - b);
    return {
      first: sorted[0]!,
      byday: sorted.map((d) => WEEKDAYS[d]).join(','),
      opens_at,
      closes_at,
    };
  });
  rows.sort(
    (a, b) =>
      a.first - b.first ||
      a.opens_at.localeCompare(b.opens_at) ||
      a.closes_at.localeCompare(b.closes_at),
  );
  return rows.map(({ byday, opens_at, closes_at }) => ({
    freq: 'WEEKLY',
    byday,
    opens_at,
    closes_at,
  }));
}
