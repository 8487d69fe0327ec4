/**
 * @module automation/_phrases
 * How explanations say what a node means for one partition: a phrase for a leaf that is
 * true, one for a leaf that is false, and how times read.
 */

/** Own facts: [true, false]. Upstream facts read their parent's key into the phrase. */
export const OWN_PHRASES: Readonly<Record<string, readonly [string, string]>> = {
  missing: ['it has no usable data', 'it has data'],
  'in-progress': ['it is in progress', 'it is not in progress'],
  failed: ['its newest attempt failed', 'its newest attempt did not fail'],
  overdue: ['it is overdue', 'it is not overdue'],
  'code-version-changed': [
    'its code changed since it was materialized',
    'its code did not change since it was materialized',
  ],
  'newly-updated': [
    'it was materialized since the previous evaluation',
    'it was not materialized since the previous evaluation',
  ],
  'newly-requested': [
    'the previous evaluation requested it',
    'the previous evaluation did not request it',
  ],
  'initial-evaluation': ['this is the first evaluation', 'this is not the first evaluation'],
  'in-latest-time-window': ['', 'it is not the newest time window'],
};

/** What an upstream fact says of one parent when true (`%` is the parent). */
export const UPSTREAM_PHRASES: Readonly<Record<string, string>> = {
  'upstream-updated': 'upstream % has new data',
  'upstream-newly-updated': 'upstream % has new data',
  'upstream-in-progress': 'upstream % is in progress',
  'upstream-failing': 'upstream % failed its newest attempt',
  'upstream-check-failing': 'a blocking check failed on upstream %',
  'upstream-missing': 'upstream % has no usable data',
  'upstream-requested': 'upstream % is requested in this evaluation',
  'upstreams-updated-since-cron': 'upstream % was updated since the tick',
};

const formats = new Map<string, Intl.DateTimeFormat>();

function parts(ms: number, timeZone: string): { date: string; time: string } {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    formats.set(timeZone, format);
  }
  const [date = '', time = ''] = format.format(new Date(ms)).split(' ');
  return { date, time };
}

/** `10:02:03`, or `2026-11-19 10:02:03` when not on the day of `at`. */
export function clock(ms: number, timeZone: string, at: number | undefined): string {
  const { date, time } = parts(ms, timeZone);
  return at !== undefined && parts(at, timeZone).date === date ? time : `${date} ${time}`;
}
