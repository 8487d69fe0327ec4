/**
 * @module definitions/partitions/_zone
 * UTC offsets of an IANA time zone, read from `Intl` (full ICU on Node 20) and cached per
 * week: one `Intl` call per week touched, plus a binary search in the rare week whose offset
 * changes, and a memo of the last constant-offset stretch for runs of nearby lookups.
 * Assumes at most one offset change per week, true of every zone's rules in use (the
 * closest pair, Morocco's Ramadan suspension of DST, is about a month apart).
 */
import { DAY } from './_civil.js';

const WEEK = 7 * DAY;
const FORMATTED = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

/** Offsets and local-to-UTC conversion for one time zone. */
export class Zone {
  readonly name: string;
  private readonly format: Intl.DateTimeFormat | undefined;
  private readonly weekStarts = new Map<number, number>();
  private readonly transitions = new Map<number, number>();
  /** The last stretch `[from, to)` found to have one offset. */
  private memo = { from: 0, to: 0, offset: 0 };

  constructor(name: string) {
    this.name = name;
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    this.format = UTC_NAMES.has(format.resolvedOptions().timeZone) ? undefined : format;
  }

  /** Offset (local minus UTC) in ms at an instant. */
  offsetAt(instant: number): number {
    if (this.format === undefined) return 0;
    const memo = this.memo;
    if (instant >= memo.from && instant < memo.to) return memo.offset;
    const week = Math.floor(instant / WEEK);
    const from = week * WEEK;
    const before = this.weekStart(week);
    const after = this.weekStart(week + 1);
    if (before === after) {
      this.memo = { from, to: from + WEEK, offset: before };
      return before;
    }
    const at = this.transition(week, before);
    this.memo =
      instant < at
        ? { from, to: at, offset: before }
        : { from: at, to: from + WEEK, offset: after };
    return this.memo.offset;
  }

  /** Wall-clock ms (local time encoded as UTC) at an instant. */
  wallAt(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /** Every instant whose wall-clock time is `wall`: none in a gap, two in an overlap. */
  instantsOf(wall: number): number[] {
    if (this.format === undefined) return [wall];
    const early = wall - this.offsetAt(wall - DAY);
    const late = wall - this.offsetAt(wall + DAY);
    const found: number[] = [];
    for (const t of early === late ? [early] : [Math.min(early, late), Math.max(early, late)]) {
      if (this.wallAt(t) === wall) found.push(t);
    }
    return found;
  }

  /**
   * The instant of a wall-clock time: the earlier one when the clock is set back (the time
   * happens twice), and for a time skipped when the clock goes forward, the instant that
   * time would name under the old offset (02:30 on a spring-forward night becomes 03:30).
   */
  toInstant(wall: number): number {
    if (this.format === undefined) return wall;
    const before = this.offsetAt(wall - DAY);
    if (before === this.offsetAt(wall + DAY)) return wall - before;
    return this.instantsOf(wall)[0] ?? wall - before;
  }

  private weekStart(week: number): number {
    let offset = this.weekStarts.get(week);
    if (offset === undefined) {
      offset = this.rawOffset(week * WEEK);
      this.weekStarts.set(week, offset);
    }
    return offset;
  }

  /** First second of `week` whose offset is no longer `before`. */
  private transition(week: number, before: number): number {
    let at = this.transitions.get(week);
    if (at === undefined) {
      let lo = week * WEEK;
      let hi = lo + WEEK;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.rawOffset(mid) === before) lo = mid;
        else hi = mid;
      }
      at = hi;
      this.transitions.set(week, at);
    }
    return at;
  }

  private rawOffset(instant: number): number {
    const text = (this.format as Intl.DateTimeFormat).format(instant);
    const m = FORMATTED.exec(text);
    if (m === null) throw new RangeError(`Unexpected date format from Intl: ${text}`);
    const wall = Date.UTC(
      Number(m[3]),
      Number(m[1]) - 1,
      Number(m[2]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    );
    return wall - Math.floor(instant / 1000) * 1000;
  }
}

const zones = new Map<string, Zone>();

/** The cached zone for an IANA name; throws `RangeError` for an unknown name. */
export function zoneFor(name: string): Zone {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = new Zone(name);
    zones.set(name, zone);
  }
  return zone;
}

/** True when `Intl` knows the time zone. */
export function isTimeZone(name: string): boolean {
  try {
    zoneFor(name);
    return true;
  } catch {
    return false;
  }
}
