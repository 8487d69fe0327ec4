/**
 * @module time/civil
 * Calendar arithmetic without `Date` objects in hot loops: civil date to epoch days
 * (Howard Hinnant's algorithm) and the start of each UTC month over a span of time.
 */

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian date (month 1–12) of a day counted from 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Days in a month of a year (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * For a sorted time axis, the UTC month (0–11) of each point, computed with one `Date`
 * per month crossed rather than one per point.
 */
export function monthOfEach(time: Float64Array): Uint8Array {
  const out = new Uint8Array(time.length);
  let i = 0;
  while (i < time.length) {
    const d = new Date(time[i]!);
    const month = d.getUTCMonth();
    const next = Date.UTC(d.getUTCFullYear(), month + 1, 1);
    while (i < time.length && time[i]! < next) out[i++] = month;
  }
  return out;
}
