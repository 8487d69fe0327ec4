/**
 * @module io/timestamp
 * Fast, strict parsing of ISO-like timestamps (`2016-01-01 00:02:00`, `2016-01-01T00:02Z`,
 * `2016-01-01T00:02:00+01:00`, a bare date) to UTC epoch milliseconds. Timestamps without
 * an offset are read in a fixed offset given by the caller (UTC by default) or as local
 * time of an IANA zone ({@link timestampParser}), DST-correct.
 */
import { daysFromCivil } from '../time/civil.js';
import { type AmbiguousPolicy, type NonexistentPolicy, TimeZone } from '../time/zone.js';

const DAY_MS = 86_400_000;

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let k = from; k < from + count; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Set by {@link parseLocal}: whether the text carried its own offset (`Z`, `±HH:MM`). */
let explicitOffset = false;

/**
 * Parses a timestamp to UTC epoch ms, or returns `NaN` when it is not one (the caller
 * reports file, line and column). `offsetMinutes` is the offset of timestamps that carry
 * none, e.g. 60 for CET.
 *
 * @example
 * parseTimestamp('2016-01-01 00:02:00'); // 1451606520000
 */
export function parseTimestamp(text: string, offsetMinutes = 0): number {
  const ms = parseLocal(text);
  return explicitOffset ? ms : ms - offsetMinutes * 60_000;
}

/**
 * The timestamp's fields as epoch ms read in UTC, or the UTC instant itself when the text
 * has an offset (then {@link explicitOffset} is set); `NaN` when it is not a timestamp.
 */
function parseLocal(text: string): number {
  explicitOffset = false;
  const s = text.trim();
  if (s.length < 10 || s[4] !== '-' || s[7] !== '-') return Number.NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  let ms = daysFromCivil(year, month, day) * DAY_MS;
  let k = 10;
  if (k < s.length && (s[k] === ' ' || s[k] === 'T')) {
    const hh = digits(s, k + 1, 2);
    const mm = s[k + 3] === ':' ? digits(s, k + 4, 2) : -1;
    if (hh < 0 || hh > 24 || mm < 0 || mm > 59) return Number.NaN;
    ms += hh * 3_600_000 + mm * 60_000;
    k += 6;
    if (s[k] === ':') {
      const ss = digits(s, k + 1, 2);
      if (ss < 0 || ss > 60) return Number.NaN;
      ms += ss * 1000;
      k += 3;
      if (s[k] === '.') {
        let frac = 0;
        let scale = 100;
        k++;
        while (k < s.length && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) {
          frac += (s.charCodeAt(k) - 48) * scale;
          scale /= 10;
          k++;
        }
        ms += Math.round(frac);
      }
    }
  }
  if (k === s.length) return ms;
  if (s[k] === 'Z' && k + 1 === s.length) {
    explicitOffset = true;
    return ms;
  }
  if ((s[k] === '+' || s[k] === '-') && (s.length === k + 6 || s.length === k + 5)) {
    const oh = digits(s, k + 1, 2);
    const om = s.length === k + 6 ? digits(s, k + 4, 2) : digits(s, k + 3, 2);
    if (oh < 0 || om < 0) return Number.NaN;
    const sign = s[k] === '+' ? 1 : -1;
    explicitOffset = true;
    return ms - sign * (oh * 60 + om) * 60_000;
  }
  return Number.NaN;
}

/** How timestamps without an offset are read. */
export interface TimestampOptions {
  /** A fixed offset in minutes (60 for CET all year); default 0 (UTC). */
  utcOffsetMinutes?: number;
  /** An IANA zone (`'Europe/Berlin'`): local time with its daylight saving time. */
  timezone?: string;
  /** A local time that occurs twice (clocks set back); default `'earlier'`. */
  ambiguous?: AmbiguousPolicy;
  /** A local time that does not exist (clocks set forward); default `'error'`. */
  nonexistent?: NonexistentPolicy;
}

/** Parses timestamps per {@link TimestampOptions}. */
export interface TimestampParser {
  /** UTC epoch ms, or `NaN` (then {@link explain} says why). */
  parse(text: string): number;
  /** Why `text` did not parse, for an error message. */
  explain(text: string): string;
}

const FORMAT_HINT = 'expected YYYY-MM-DD[ HH:MM[:SS]][Z|±HH:MM]';

/**
 * A parser for timestamps without an offset in a fixed offset or an IANA zone. Text with
 * its own offset (`Z`, `+01:00`) is always read as such. In a zone, a local time in the
 * spring-forward gap is an error (or, with `nonexistent: 'shift'`, moved forward by the
 * gap), and a local time in the fall-back overlap resolves by `ambiguous`.
 *
 * @example
 * const p = timestampParser({ timezone: 'Europe/Berlin' });
 * p.parse('2021-07-01 12:00'); // Date.UTC(2021, 6, 1, 10, 0)
 * p.parse('2021-03-28 02:30'); // NaN; p.explain(...) says the local time does not exist
 */
export function timestampParser(options: TimestampOptions = {}): TimestampParser {
  if (options.timezone === undefined) {
    const offset = (options.utcOffsetMinutes ?? 0) * 60_000;
    return {
      parse: (text) => {
        const ms = parseLocal(text);
        return explicitOffset ? ms : ms - offset;
      },
      explain: (text) => `unparseable timestamp ${JSON.stringify(text)} (${FORMAT_HINT})`,
    };
  }
  if (options.utcOffsetMinutes !== undefined) {
    throw new RangeError('give either a fixed UTC offset or a time zone, not both');
  }
  const zone = TimeZone.of(options.timezone);
  const ambiguous = options.ambiguous ?? 'earlier';
  const nonexistent = options.nonexistent ?? 'error';
  return {
    parse: (text) => {
      const ms = parseLocal(text);
      return explicitOffset ? ms : zone.toUtc(ms, ambiguous, nonexistent);
    },
    explain: (text) => {
      const ms = parseLocal(text);
      if (Number.isNaN(ms)) return `unparseable timestamp ${JSON.stringify(text)} (${FORMAT_HINT})`;
      zone.toUtc(ms, ambiguous, nonexistent);
      if (zone.problem === 'nonexistent') {
        return `local time ${JSON.stringify(text.trim())} does not exist in ${zone.describe(ms)} (clocks moved forward); set nonexistent: 'shift' to move it forward by the gap`;
      }
      return `local time ${JSON.stringify(text.trim())} is ambiguous in ${zone.describe(ms)} (clocks moved back, it occurs twice); set ambiguous: 'earlier' or 'later'`;
    },
  };
}

/** Minutes of a fixed offset such as `'+01:00'`, `'-0500'` or `'Z'`; `NaN` if invalid. */
export function parseUtcOffset(text: string): number {
  if (text === 'Z' || text === 'UTC') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (m === null) return Number.NaN;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** ISO 8601 text of an epoch-ms timestamp, in UTC. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
