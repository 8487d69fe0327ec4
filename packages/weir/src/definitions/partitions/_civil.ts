/**
 * @module definitions/partitions/_civil
 * Calendar arithmetic on "wall-clock milliseconds": a local date and time encoded as if it
 * were UTC, so `Date.UTC` does the calendar and plain subtraction does the rest. Time zones
 * come in only in `_zone.ts`.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** A parsed local date-time; `offsetMinutes` is set when the text carried `Z` or `±HH:mm`. */
export interface ParsedDateTime {
  /** Wall-clock milliseconds (local time encoded as UTC). */
  wall: number;
  /** True when the text had a time of day, false for a bare date. */
  hasTime: boolean;
  offsetMinutes: number | undefined;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm` or `YYYY-MM-DDTHH:mm:ss`, optionally ending in `Z`
 * or `±HH:mm`; undefined when the text is not one of those or names no real date.
 */
export function parseDateTime(text: string): ParsedDateTime | undefined {
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes: number | undefined;
  const zone = m[7];
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone !== undefined) {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  return { wall, hasTime: m[4] !== undefined, offsetMinutes };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Wall-clock ms at midnight of the day `year-month-day` (month 1-12, may overflow). */
export function wallOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

/** Days since 1970-01-01 of a wall-clock time (floored). */
export function dayNumber(wall: number): number {
  return Math.floor(wall / DAY);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Months since year 0 (`year * 12 + month - 1`) and the rest of a wall-clock time. */
export function monthParts(wall: number): {
  monthIndex: number;
  dayOfMonth: number;
  msOfDay: number;
} {
  const date = new Date(wall);
  const msOfDay = wall - Math.floor(wall / DAY) * DAY;
  return {
    monthIndex: date.getUTCFullYear() * 12 + date.getUTCMonth(),
    dayOfMonth: date.getUTCDate(),
    msOfDay,
  };
}

/** Wall-clock ms of day `dayOfMonth` in the month `monthIndex` (see `monthParts`). */
export function wallOfMonth(monthIndex: number, dayOfMonth: number): number {
  const year = Math.floor(monthIndex / 12);
  return Date.UTC(year, monthIndex - year * 12, dayOfMonth);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` of a wall-clock time. */
export function formatDate(wall: number): string {
  const d = new Date(wall);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `YYYY-MM-DDTHH:mm` of a wall-clock time. */
export function formatDateTime(wall: number): string {
  const d = new Date(wall);
  return `${formatDate(wall)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `+HH:mm` / `-HH:mm` of an offset in milliseconds. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / MINUTE);
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
