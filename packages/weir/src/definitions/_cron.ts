/**
 * @module definitions/_cron
 * Cron expressions in a time zone, shared by freshness policies, schedules and automation
 * conditions: parsing (cached), validation with a reason, and the ticks in a window, with one
 * rule for a local time that a DST change repeats.
 */
import { Cron } from 'croner';

const crons = new Map<string, Cron>();

/** A parsed five-field cron (croner), cached by pattern and time zone; throws when invalid. */
export function cronOf(pattern: string, timezone: string): Cron {
  const key = `${timezone} ${pattern}`;
  let cron = crons.get(key);
  if (cron === undefined) {
    cron = new Cron(pattern, { timezone, mode: '5-part' });
    crons.set(key, cron);
  }
  return cron;
}

/** Why `timezone` is not an IANA time zone name, or undefined. */
export function timezoneProblem(timezone: unknown): string | undefined {
  if (typeof timezone !== 'string' || timezone === '') {
    return 'a timezone is an IANA name such as "Europe/Berlin" or "UTC"';
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `unknown timezone '${timezone}': use an IANA name such as "Europe/Berlin" or "UTC"`;
  }
}

/** Why `pattern` (in `timezone`) is not a usable five-field cron, or undefined. */
export function cronProblem(pattern: unknown, timezone: string): string | undefined {
  if (typeof pattern !== 'string') return 'cron must be a string such as "0 7 * * *"';
  const zone = timezoneProblem(timezone);
  if (zone !== undefined) return zone;
  try {
    if (cronOf(pattern, timezone).nextRun(new Date(0)) === null) {
      return `cron '${pattern}' never fires`;
    }
    return undefined;
  } catch (error) {
    return `cron '${pattern}': ${(error as Error).message}; use five fields: minute hour day month weekday`;
  }
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallTime(ms: number, timezone: string): string {
  let format = wallFormats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone: timezone,
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    wallFormats.set(timezone, format);
  }
  return format.format(new Date(ms));
}

/**
 * True when the pattern names its hours (`30 2 * * *`, `0 6,18 * * *`): a local time that the
 * change from summer time repeats then fires once. With `*` hours it fires every real hour.
 */
function namesHours(pattern: string): boolean {
  const text = pattern.trim();
  if (text.startsWith('@')) return text !== '@hourly';
  return !(text.split(/\s+/)[1] ?? '*').includes('*');
}

/**
 * The ticks `t` with `from < t ≤ to` (epoch ms), ascending, at most `limit` of them. A local
 * time skipped by the change to summer time fires at the first instant after the gap (croner);
 * a local time repeated by the change back fires once, at its first occurrence, unless the
 * hour field is `*` (an hourly cron fires each real hour).
 */
export function cronTicks(
  pattern: string,
  timezone: string,
  from: number,
  to: number,
  limit = Number.POSITIVE_INFINITY,
): number[] {
  const cron = cronOf(pattern, timezone);
  const dedupe = namesHours(pattern);
  const ticks: number[] = [];
  let previousWall: string | undefined;
  let at = from;
  while (ticks.length < limit) {
    const next = cron.nextRun(new Date(at))?.getTime();
    if (next === undefined || next > to) break;
    at = next;
    const wall = dedupe ? wallTime(next, timezone) : undefined;
    if (wall !== undefined && wall === previousWall) continue;
    previousWall = wall;
    ticks.push(next);
  }
  return ticks;
}

/** The newest tick at or before `at` (epoch ms), by the same rules as `cronTicks`; undefined before the first. */
export function latestCronTick(pattern: string, timezone: string, at: number): number | undefined {
  const [latest, before] = cronOf(pattern, timezone)
    .previousRuns(2, new Date(at + 1))
    .map((date) => date.getTime());
  if (latest === undefined) return undefined;
  if (
    before !== undefined &&
    namesHours(pattern) &&
    wallTime(latest, timezone) === wallTime(before, timezone)
  ) {
    return before;
  }
  return latest;
}
