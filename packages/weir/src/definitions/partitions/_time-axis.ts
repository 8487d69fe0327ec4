/**
 * @module definitions/partitions/_time-axis
 * The arithmetic of one time-window definition over every integer index, before its start
 * and after its end included (mappings need "the window before the first" to report it
 * missing). Windows are calendar periods in the definition's zone: a day on a DST change is
 * 23 or 25 hours long. Hourly windows are elapsed hours from the first one, so the hour the
 * clock repeats in autumn is two windows (the second keyed with its offset).
 */
import {
  DAY,
  dayNumber,
  formatDate,
  formatDateTime,
  formatOffset,
  HOUR,
  MINUTE,
  monthParts,
  parseDateTime,
  wallOfMonth,
  weekdayOfDay,
} from './_civil.js';
import { type Zone, zoneFor } from './_zone.js';
import type { Cadence, TimeWindowPartitionsDefinition } from './definitions.js';

/** Nominal window length plus the largest clock change we allow for (3 h). */
const MAX_LENGTH: Record<Cadence, number> = {
  hourly: HOUR,
  daily: DAY + 3 * HOUR,
  weekly: 7 * DAY + 3 * HOUR,
  monthly: 31 * DAY + 3 * HOUR,
};

/** Index arithmetic of one time-window definition. Obtain with `timeAxis(definition)`. */
export class TimeAxis {
  readonly cadence: Cadence;
  readonly zone: Zone;
  /** Instant the definition's `end` names, or +Infinity. */
  readonly endInstant: number;
  /** Upper bound of any window's length in ms (exact for hourly). */
  readonly maxLength: number;
  /** Identifies cadence, zone and offset: axes with the same family share boundaries. */
  readonly family: string;
  /** Start of window 0: an instant for hourly, a day or month number otherwise. */
  private readonly base: number;
  /** Time of day (ms) a daily, weekly or monthly window starts at. */
  private readonly timeOfDay: number;
  private readonly dayOfMonth: number;

  constructor(definition: TimeWindowPartitionsDefinition) {
    const { cadence, offset } = definition;
    this.cadence = cadence;
    this.zone = zoneFor(definition.timezone);
    this.maxLength = MAX_LENGTH[cadence];
    this.timeOfDay = cadence === 'hourly' ? 0 : offset.hour * HOUR + offset.minute * MINUTE;
    this.dayOfMonth = offset.dayOfMonth;
    this.family = `${cadence}|${definition.timezone}|${offset.minute}|${offset.hour}|${offset.weekday}|${offset.dayOfMonth}`;
    const startWall = wallOrThrow(definition.start);
    if (cadence === 'hourly') {
      let first = Math.floor(startWall / HOUR) * HOUR + offset.minute * MINUTE;
      if (first < startWall) first += HOUR;
      this.base = this.zone.toInstant(first);
    } else if (cadence === 'monthly') {
      const parts = monthParts(startWall);
      const first = wallOfMonth(parts.monthIndex, this.dayOfMonth) + this.timeOfDay;
      this.base = first < startWall ? parts.monthIndex + 1 : parts.monthIndex;
    } else {
      let day = Math.ceil((startWall - this.timeOfDay) / DAY);
      if (cadence === 'weekly') day += (offset.weekday - weekdayOfDay(day) + 7) % 7;
      this.base = day;
    }
    this.endInstant =
      definition.end === undefined
        ? Number.POSITIVE_INFINITY
        : this.zone.toInstant(wallOrThrow(definition.end));
  }

  /** Local wall-clock start of window `i` (not for hourly). */
  private wallStart(i: number): number {
    switch (this.cadence) {
      case 'daily':
        return (this.base + i) * DAY + this.timeOfDay;
      case 'weekly':
        return (this.base + 7 * i) * DAY + this.timeOfDay;
      default:
        return wallOfMonth(this.base + i, this.dayOfMonth) + this.timeOfDay;
    }
  }

  /** Instant window `i` starts; window `i` ends where `i + 1` starts. */
  startOf(i: number): number {
    if (this.cadence === 'hourly') return this.base + i * HOUR;
    return this.zone.toInstant(this.wallStart(i));
  }

  /** Index of the window containing an instant (negative before the first window). */
  containing(instant: number): number {
    if (this.cadence === 'hourly') return Math.floor((instant - this.base) / HOUR);
    const wall = this.zone.wallAt(instant) - this.timeOfDay;
    let i: number;
    if (this.cadence === 'monthly') {
      const parts = monthParts(wall);
      i = parts.monthIndex - this.base - (parts.dayOfMonth < this.dayOfMonth ? 1 : 0);
    } else {
      const days = dayNumber(wall) - this.base;
      i = this.cadence === 'daily' ? days : Math.floor(days / 7);
    }
    while (this.startOf(i) > instant) i--;
    while (this.startOf(i + 1) <= instant) i++;
    return i;
  }

  /** How many windows have completely ended by `now` and by the definition's end. */
  sizeAt(now: number): number {
    return Math.max(0, this.containing(Math.min(now, this.endInstant)));
  }

  /** The key of window `i`: local start date, or local start time for hourly. */
  keyOf(i: number): string {
    if (this.cadence !== 'hourly') return formatDate(this.wallStart(i));
    const start = this.startOf(i);
    const wall = this.zone.wallAt(start);
    const key = formatDateTime(wall);
    return this.zone.instantsOf(wall)[0] === start ? key : `${key}${formatOffset(wall - start)}`;
  }

  /** The index a canonical key names (any integer), or undefined. */
  indexOfKey(key: string): number | undefined {
    const parsed = parseDateTime(key);
    if (parsed === undefined) return undefined;
    let i: number;
    if (this.cadence === 'hourly') {
      if (!parsed.hasTime) return undefined;
      const instant =
        parsed.offsetMinutes === undefined
          ? this.zone.toInstant(parsed.wall)
          : parsed.wall - parsed.offsetMinutes * MINUTE;
      i = (instant - this.base) / HOUR;
    } else {
      if (parsed.hasTime || parsed.offsetMinutes !== undefined) return undefined;
      if (this.cadence === 'monthly') {
        const parts = monthParts(parsed.wall);
        if (parts.dayOfMonth !== this.dayOfMonth) return undefined;
        i = parts.monthIndex - this.base;
      } else {
        const days = dayNumber(parsed.wall) - this.base;
        i = this.cadence === 'daily' ? days : days / 7;
      }
    }
    if (!Number.isInteger(i) || this.keyOf(i) !== key) return undefined;
    return i;
  }

  /** The instant a date or date-time names in this zone (`Z`/`±HH:mm` honoured), or undefined. */
  instantOf(text: string): number | undefined {
    const parsed = parseDateTime(text);
    if (parsed === undefined) return undefined;
    if (parsed.offsetMinutes !== undefined) return parsed.wall - parsed.offsetMinutes * MINUTE;
    return this.zone.toInstant(parsed.wall);
  }
}

function wallOrThrow(text: string): number {
  const parsed = parseDateTime(text);
  if (parsed === undefined) throw new RangeError(`not a date: ${text}`);
  return parsed.wall;
}

const axes = new WeakMap<TimeWindowPartitionsDefinition, TimeAxis>();

/** The (cached) arithmetic of a time-window definition. */
export function timeAxis(definition: TimeWindowPartitionsDefinition): TimeAxis {
  let axis = axes.get(definition);
  if (axis === undefined) {
    axis = new TimeAxis(definition);
    axes.set(definition, axis);
  }
  return axis;
}
