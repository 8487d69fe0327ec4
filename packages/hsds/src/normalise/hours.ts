// Opening hours in free text ("9:00 am - 5:00 pm, Monday - Friday", "M-F 8:30-4:30",
// "Mon, Wed 1pm-4pm; Sat 10-12", "24 hours", "By appointment") as HSDS `schedule` rows. Text
// that does not read as days with hours is kept as the description of a single row, never
// guessed; words around well-read days and hours are kept as each row's description.

import { type ClockTime, type DayNumber, type HoursToken, tokenizeHours } from './hours-tokens.js';
import type { HsdsScheduleFields } from './hsds-fields.js';
import { type Opening, scheduleRows } from './schedule-rows.js';
import { cleanText } from './text.js';

export interface HoursParse {
  /** The rows; when the text is not understood, one row with only its `description`; none for
   * an empty text. */
  schedules: HsdsScheduleFields[];
  /** `full`: every word read; `partial`: days and hours read, other words (qualifiers such as
   * "(Administrative)") kept as each row's description; `none`: description only. */
  understood: 'full' | 'partial' | 'none';
  /** True when am/pm was read from hours written without it: "9-5" is 09:00-17:00 (an
   * opening hour from 6 to 11 is morning, from 12 to 5 afternoon; the closing hour is the
   * first one after it). */
  inferredMeridiem: boolean;
}

const END_OF_DAY = 23 * 60 + 59;

interface Range {
  opens: number;
  closes: number;
  inferred: boolean;
}

type Group =
  | { kind: 'days'; days: DayNumber[] }
  | { kind: 'times'; ranges: Range[]; allDay: boolean }
  | { kind: 'closed' }
  | { kind: 'break' }
  | { kind: 'word' };

class NotHours extends Error {}

/** Reads opening hours. Never throws. */
export function parseOpeningHours(text: string): HoursParse {
  // The description is the text as written, only its spacing tidied.
  const description = text.replace(/\s+/g, ' ').trim();
  if (description === '') return { schedules: [], understood: 'none', inferredMeridiem: false };
  const none: HoursParse = {
    schedules: [{ description }],
    understood: 'none',
    inferredMeridiem: false,
  };
  let groups: Group[];
  try {
    groups = groupTokens(onOneClock(tokenizeHours(cleanText(text))));
  } catch (e) {
    if (e instanceof NotHours) return none;
    throw e;
  }
  const week = pairGroups(groups);
  if (!week || week.openings.length === 0) return none;
  const leftover = groups.some((g) => g.kind === 'word');
  const schedules = scheduleRows(week.openings);
  if (leftover) for (const row of schedules) row.description = description;
  return {
    schedules,
    understood: leftover ? 'partial' : 'full',
    inferredMeridiem: week.inferred,
  };
}

// A text that writes some times on a 24-hour clock ("09:00", "17:30") writes them all so:
// its "10:30" is not to be read as am or pm.
function onOneClock(tokens: HoursToken[]): HoursToken[] {
  const clock24 = tokens.some((t) => t.kind === 'time' && t.time.twentyFour && !t.time.meridiem);
  if (!clock24) return tokens;
  return tokens.map((t) =>
    t.kind === 'time' && !t.time.meridiem && !t.time.named
      ? { kind: 'time', time: { ...t.time, twentyFour: true } }
      : t,
  );
}

function groupTokens(tokens: readonly HoursToken[]): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.kind) {
      case 'days': {
        const days = new Set(t.days);
        let last = t.days;
        for (;;) {
          let j = i + 1;
          const range = tokens[j]?.kind === 'range';
          if (range) j++;
          else while (tokens[j]?.kind === 'list') j++;
          const next = tokens[j];
          if (next?.kind !== 'days') break;
          if (range) {
            if (last.length !== 1 || next.days.length !== 1) throw new NotHours();
            for (const d of dayRange(last[0]!, next.days[0]!)) days.add(d);
          } else for (const d of next.days) days.add(d);
          last = next.days;
          i = j;
        }
        groups.push({ kind: 'days', days: [...days] });
        break;
      }
      case 'time': {
        const ranges: Range[] = [];
        for (;;) {
          const [open, dash, close] = [tokens[i], tokens[i + 1], tokens[i + 2]];
          if (open?.kind !== 'time' || dash?.kind !== 'range' || close?.kind !== 'time')
            throw new NotHours();
          ranges.push(resolveRange(open.time, close.time));
          i += 2;
          let j = i + 1;
          while (tokens[j]?.kind === 'list') j++;
          if (tokens[j]?.kind !== 'time') break;
          i = j;
        }
        groups.push({ kind: 'times', ranges, allDay: false });
        break;
      }
      case 'allDay':
        groups.push({
          kind: 'times',
          ranges: [{ opens: 0, closes: END_OF_DAY, inferred: false }],
          allDay: true,
        });
        break;
      case 'closed':
        groups.push({ kind: 'closed' });
        break;
      case 'clause':
        groups.push({ kind: 'break' });
        break;
      case 'date':
        // A date makes this a one-off event, which weekly rows would misstate.
        throw new NotHours();
      case 'word':
        groups.push({ kind: 'word' });
        break;
      case 'range':
      case 'list':
        break;
    }
  }
  return groups;
}

function dayRange(from: DayNumber, to: DayNumber): DayNumber[] {
  const out: DayNumber[] = [];
  for (let d = from; ; d = ((d + 1) % 7) as DayNumber) {
    out.push(d);
    if (d === to) return out;
  }
}

// Days pair with the hours or the "closed" next to them, before or after; what is left unpaired
// (hours without days, days without hours) makes the whole text unread, except "24 hours"
// alone, which is every day, and more hours after a break following days and their hours
// ("Monday: 9-12; 1-5"), which are those days' too; days and hours may be split by a break. Days said to be closed and open are a
// contradiction ("closed Wednesday afternoon"), not read either.
function pairGroups(
  groups: readonly Group[],
): { openings: Opening[]; inferred: boolean } | undefined {
  const openings: Opening[] = [];
  const closedDays = new Set<DayNumber>();
  let inferred = false;
  let pending: Group | undefined;
  let daysThenHours: readonly DayNumber[] | undefined;
  const settle = (days: readonly DayNumber[], other: Group): void => {
    if (other.kind === 'closed') {
      for (const d of days) closedDays.add(d);
      return;
    }
    if (other.kind !== 'times') return;
    for (const r of other.ranges) {
      inferred ||= r.inferred;
      for (const day of days) openings.push({ day, opens: r.opens, closes: r.closes });
    }
  };
  const flush = (): boolean => {
    if (!pending) return true;
    if (pending.kind === 'times' && pending.allDay) settle([0, 1, 2, 3, 4, 5, 6], pending);
    else return false;
    pending = undefined;
    return true;
  };
  let afterBreak = false;
  for (const g of groups) {
    if (g.kind === 'word') continue;
    if (g.kind === 'break') {
      // Days may have their hours after the break ("Monday - Friday; 8:30am-5pm"), and hours
      // their days ("8:00 am - 4:00 pm; Monday- Friday").
      const carried = pending?.kind === 'days' || (pending?.kind === 'times' && !pending.allDay);
      if (!carried && !flush()) return undefined;
      afterBreak = true;
      continue;
    }
    const continuesDays = afterBreak && !pending && g.kind === 'times' && !g.allDay;
    afterBreak = false;
    if (continuesDays && daysThenHours) {
      settle(daysThenHours, g);
      continue;
    }
    if (!pending) {
      pending = g;
      continue;
    }
    if (pending.kind === 'days' && g.kind !== 'days') {
      settle(pending.days, g);
      daysThenHours = g.kind === 'times' ? pending.days : undefined;
    } else if (g.kind === 'days' && pending.kind !== 'days') {
      settle(g.days, pending);
      daysThenHours = undefined;
    } else return undefined;
    pending = undefined;
  }
  if (!flush()) return undefined;
  if (openings.some((o) => closedDays.has(o.day))) return undefined;
  return { openings, inferred };
}

function resolveRange(open: ClockTime, close: ClockTime): Range {
  const o = candidates(open);
  const c = candidates(close);
  let opens: number;
  let inferred = false;
  if (o.length === 1) opens = o[0]!;
  else if (c.length === 1) {
    opens = nearestBefore(o, c[0]!);
    inferred = true;
  } else {
    opens = unmarkedOpening(open, close);
    inferred = true;
  }
  const closes = c.length === 1 ? c[0]! : nearestAfter(opens, c);
  inferred ||= c.length > 1;
  if (closes === opens) throw new NotHours();
  return { opens, closes: closes === 0 ? END_OF_DAY : closes, inferred };
}

// Neither end says am or pm: business hours. An opening from 9 to 11 is morning, from 12 to 5
// afternoon; from 6 to 8 it is morning only if the closing hour is past noon ("7-3", "8-8"),
// since "6-8" or "7-9" may as well be an evening.
function unmarkedOpening(open: ClockTime, close: ClockTime): number {
  const morning = open.hour * 60 + open.minute;
  if (open.hour >= 9 && open.hour <= 11) return morning;
  if (open.hour === 12) return 12 * 60 + open.minute;
  if (open.hour >= 1 && open.hour <= 5) return morning + 12 * 60;
  const closesAfternoon = close.hour <= open.hour || close.hour === 12;
  if (open.hour >= 6 && open.hour <= 8 && closesAfternoon) return morning;
  throw new NotHours();
}

// The minutes a written time may mean: one value when am/pm, a 24-hour clock or a name says
// which; otherwise the morning and the afternoon reading.
function candidates(t: ClockTime): number[] {
  if (t.minute > 59) throw new NotHours();
  if (t.named) return [t.named === 'noon' ? 12 * 60 : 0];
  const morning = (t.hour % 12) * 60 + t.minute;
  if (t.meridiem) {
    if (t.hour < 1 || t.hour > 12) throw new NotHours();
    return [t.meridiem === 'am' ? morning : morning + 12 * 60];
  }
  if (t.twentyFour || t.hour === 0) {
    if (t.hour > 24 || (t.hour === 24 && t.minute > 0)) throw new NotHours();
    return [(t.hour % 24) * 60 + t.minute];
  }
  return [morning, morning + 12 * 60];
}

const forward = (from: number, to: number) => (to - from + 1440) % 1440;

function nearestAfter(opens: number, closes: readonly number[]): number {
  return (
    [...closes]
      .filter((c) => forward(opens, c) > 0)
      .sort((a, b) => forward(opens, a) - forward(opens, b))[0] ?? opens
  );
}

function nearestBefore(opens: readonly number[], closes: number): number {
  return (
    [...opens]
      .filter((o) => forward(o, closes) > 0)
      .sort((a, b) => forward(a, closes) - forward(b, closes))[0] ?? closes
  );
}
