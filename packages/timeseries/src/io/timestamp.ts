/**
 * @module io/timestamp
 * Fast, strict parsing of ISO-like timestamps (`2016-01-01 00:02:00`, `2016-01-01T00:02Z`,
 * `2016-01-01T00:02:00+01:00`, a bare date) to UTC epoch milliseconds. Timestamps without
 * an offset are read in a fixed offset given by the caller (UTC by default).
 */
import { daysFromCivil } from '../time/civil.js';

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

/**
 * Parses a timestamp to UTC epoch ms, or returns `NaN` when it is not one (the caller
 * reports file, line and column). `offsetMinutes` is the offset of timestamps that carry
 * none, e.g. 60 for CET.
 *
 * @example
 * parseTimestamp('2016-01-01 00:02:00'); // 1451606520000
 */
export function parseTimestamp(text: string, offsetMinutes = 0): number {
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
  if (k === s.length) return ms - offsetMinutes * 60_000;
  if (s[k] === 'Z' && k + 1 === s.length) return ms;
  if ((s[k] === '+' || s[k] === '-') && (s.length === k + 6 || s.length === k + 5)) {
    const oh = digits(s, k + 1, 2);
    const om = s.length === k + 6 ? digits(s, k + 4, 2) : digits(s, k + 3, 2);
    if (oh < 0 || om < 0) return Number.NaN;
    const sign = s[k] === '+' ? 1 : -1;
    return ms - sign * (oh * 60 + om) * 60_000;
  }
  return Number.NaN;
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
