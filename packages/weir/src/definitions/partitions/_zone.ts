/**
 * @module definitions/partitions/_zone
 * UTC offsets of an IANA time zone, read from `Intl` (full ICU on Node 20) and cached per UTC
 * day: one `Intl` call per day touched, plus a binary search on the rare day whose offset
 * changes. Assumes at most one offset change per UTC day, true of every zone in use today.
 */
import { DAY } from './_civil.js';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

/** Offsets and local-to-UTC conversion for one time zone. */
export class Zone {
  readonly name: string;
  private readonly format: Intl.DateTimeFormat | undefined;
  private readonly dayStarts = new Map<number, number>();
  private readonly transitions = new Map<number, number>();

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
    const day = Math.floor(instant / DAY);
    const before = this.dayStart(day);
    const after = this.dayStart(day + 1);
    if (before === after) return before;
    return instant < this.transition(day, before) ? before : after;
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
    const found = this.instantsOf(wall);
    return found[0] ?? wall - this.offsetAt(wall - DAY);
  }

  private dayStart(day: number): number {
    let offset = this.dayStarts.get(day);
    if (offset === undefined) {
      offset = this.rawOffset(day * DAY);
      this.dayStarts.set(day, offset);
    }
    return offset;
  }

  /** First second of `day` whose offset is no longer `before`. */
  private transition(day: number, before: number): number {
    let at = this.transitions.get(day);
    if (at === undefined) {
      let lo = day * DAY;
      let hi = lo + DAY;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.rawOffset(mid) === before) lo = mid;
        else hi = mid;
      }
      at = hi;
      this.transitions.set(day, at);
    }
    return at;
  }

  private rawOffset(instant: number): number {
    const fields: Record<string, number> = {};
    for (const part of (this.format as Intl.DateTimeFormat).formatToParts(instant)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
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
