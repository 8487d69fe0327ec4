/**
 * @module freshness
 * Freshness policies: how old an asset may be before it is overdue. Pure: the caller
 * passes the last update time and `now`, so tests and the daemon use any clock.
 */
import type { Cron } from 'croner';
import { DefinitionError, didYouMean } from '../errors.js';
import { cronOf } from './_cron.js';
import { optionKeys } from './option-keys.js';

/**
 * `{ maxLag }`: the newest materialization is at most this old, at all times.
 * `{ cron }`: at each tick of `cron` (in `timezone`, default UTC), a materialization made
 * since the previous tick exists; with `maxLag`, one made at most `maxLag` before the tick.
 */
export type FreshnessPolicy =
  | { maxLag: string | number }
  | { cron: string; timezone?: string; maxLag?: string | number };

/**
 * A policy per partition, for a partitioned asset or source whose partitions each have their
 * own rhythm (one agency delivers daily, another monthly): `partitions(key)` returns the
 * policy of that partition, or `undefined` for none. Each partition is judged against its own
 * last update; the asset as a whole is as overdue as its most overdue partition.
 *
 * @example
 * freshness: { partitions: (agency) => (agency === 'dcyf' ? { maxLag: '30d' } : { maxLag: '1d' }) }
 */
export interface PartitionFreshness {
  partitions: (partitionKey: string) => FreshnessPolicy | undefined;
}

/** What `freshness` accepts: one policy, or (partitioned assets) one per partition. */
export type FreshnessSpec = FreshnessPolicy | PartitionFreshness;

/**
 * The policy of each partition, validated: `undefined` when the partition has none; throws a
 * `DefinitionError` naming the asset and the partition when the policy returned is invalid
 * (or the function throws).
 */
export type PartitionFreshnessOf = (partitionKey: string) => FreshnessPolicy | undefined;

export interface FreshnessEvaluation {
  status: 'fresh' | 'overdue' | 'unknown';
  /** When it became or becomes overdue. */
  deadline: number | undefined;
  overdueByMs: number;
  /** One line a person reads. */
  reason: string;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const UNITS = Object.keys(UNIT_MS);
const PART = /(\d+(?:\.\d+)?)\s*(ms|w|d|h|m|s)\s*/y;

/**
 * Parses a duration such as `'30m'`, `'6h'`, `'2d'`, `'1h30m'` or `'1h 30m'` (units `w d h m s ms`,
 * largest first, each once) into milliseconds; a number is taken as milliseconds.
 *
 * @example
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration(250);     // 250
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0) return text;
    throw new RangeError(
      `invalid duration ${text}: a number of milliseconds must be finite and ≥ 0`,
    );
  }
  const fail = (why: string): never => {
    throw new RangeError(
      `invalid duration ${JSON.stringify(text)}: ${why}; write a number and a unit (${UNITS.join(', ')}), e.g. '30m', '6h', '1h30m'`,
    );
  };
  if (typeof text !== 'string') return fail('not a string or number');
  const source = text.trim();
  if (source === '') return fail('it is empty');
  let total = 0;
  let lastRank = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < source.length) {
    const at = PART.lastIndex;
    const match = PART.exec(source);
    if (match === null) return fail(`cannot read '${source.slice(at)}'`);
    const unit = match[2]!;
    const rank = UNITS.indexOf(unit);
    if (rank <= lastRank) return fail(`unit '${unit}' repeated or out of order (largest first)`);
    lastRank = rank;
    total += Number(match[1]) * UNIT_MS[unit]!;
  }
  return Math.round(total);
}

/**
 * Formats milliseconds as `parseDuration` reads them: `'1d 2h 30m'`, `'0ms'`.
 *
 * @example
 * formatDuration(5_400_000); // '1h 30m'
 */
export function formatDuration(ms: number, maxUnits = Number.POSITIVE_INFINITY): string {
  let rest = Math.round(Math.abs(ms));
  const parts: string[] = [];
  let used = 0; // units spent since the largest non-zero one, so '1h 0m 5s' shortens to '1h'
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit]!;
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (used === 0 && count === 0) continue;
    if (used >= maxUnits) break;
    used += 1;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.length === 0 ? '0ms' : parts.join(' ');
}

const POLICY_KEYS = optionKeys<Extract<FreshnessPolicy, { cron: string }>>({
  maxLag: true,
  cron: true,
  timezone: true,
});
/**
 * Checks a freshness policy written by a user, throwing a `DefinitionError` naming `owner`.
 *
 * @example
 * validateFreshnessPolicy({ cron: '0 7 * * *', timezone: 'Europe/Berlin' }, "asset 'gauges/peaks'");
 */
export function validateFreshnessPolicy(policy: unknown, owner: string): FreshnessPolicy {
  const fail = (why: string, hint?: string): never => {
    throw new DefinitionError('E_DEFINITION', `${owner} has an invalid freshness policy: ${why}`, {
      hint: hint ?? "write { maxLag: '6h' } or { cron: '0 7 * * *', timezone: 'Europe/Berlin' }",
    });
  };
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    return fail('expected an object');
  }
  const spec = policy as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!POLICY_KEYS.includes(key))
      fail(`unknown option '${key}'`, didYouMean(key, [...POLICY_KEYS, 'partitions']));
  }
  let maxLag: number | undefined;
  if (spec.maxLag !== undefined) {
    try {
      maxLag = parseDuration(spec.maxLag as string | number);
    } catch (error) {
      fail(`maxLag: ${(error as Error).message}`);
    }
    if (maxLag === 0) fail('maxLag must be longer than 0');
  }
  if (spec.cron === undefined) {
    if (spec.timezone !== undefined) fail('timezone applies only with cron');
    if (maxLag === undefined) fail('it needs maxLag or cron');
    return { maxLag: spec.maxLag as string | number };
  }
  if (typeof spec.cron !== 'string') return fail('cron must be a string such as "0 7 * * *"');
  const timezone = spec.timezone ?? 'UTC';
  if (typeof timezone !== 'string')
    return fail('timezone must be an IANA name such as "Europe/Berlin"');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    fail(`unknown timezone '${timezone}'`, 'use an IANA name such as "Europe/Berlin" or "UTC"');
  }
  let cron: Cron | undefined;
  try {
    cron = cronOf(spec.cron, timezone);
  } catch (error) {
    fail(
      `cron '${spec.cron}': ${(error as Error).message}`,
      'use five fields: minute hour day month weekday',
    );
  }
  if (cron?.nextRun(new Date(0)) === null) fail(`cron '${spec.cron}' never fires`);
  const result: FreshnessPolicy = { cron: spec.cron };
  if (spec.timezone !== undefined) result.timezone = timezone;
  if (spec.maxLag !== undefined) result.maxLag = spec.maxLag as string | number;
  return result;
}

/**
 * Checks the `freshness` option of a definition: one policy (`freshness`), or a policy per
 * partition (`partitionFreshness`, only for a partitioned `owner`). A policy returned for a
 * partition is validated the first time it is evaluated (each distinct object once).
 *
 * @example
 * validateFreshnessSpec({ partitions: () => ({ maxLag: '1d' }) }, "asset 'feed'", true);
 */
export function validateFreshnessSpec(
  spec: unknown,
  owner: string,
  partitioned: boolean,
): {
  freshness: FreshnessPolicy | undefined;
  partitionFreshness: PartitionFreshnessOf | undefined;
} {
  if (spec === undefined) return { freshness: undefined, partitionFreshness: undefined };
  if (typeof spec !== 'object' || spec === null || !('partitions' in spec)) {
    return { freshness: validateFreshnessPolicy(spec, owner), partitionFreshness: undefined };
  }
  const fail = (why: string, hint: string): never => {
    throw new DefinitionError('E_DEFINITION', `${owner} has an invalid freshness policy: ${why}`, {
      hint,
    });
  };
  const { partitions, ...rest } = spec as Record<string, unknown>;
  const others = Object.keys(rest);
  if (others.length > 0) {
    fail(
      `partitions cannot be combined with ${others.map((k) => `'${k}'`).join(', ')}`,
      "give each partition its policy ({ partitions: (key) => ({ maxLag: '1d' }) }) or one policy for the newest partition ({ maxLag: '6h' }), not both",
    );
  }
  if (typeof partitions !== 'function') {
    fail(
      'partitions must be a function from a partition key to a policy (or undefined)',
      "write { partitions: (key) => (key === 'dcyf' ? { maxLag: '30d' } : { maxLag: '1d' }) }",
    );
  }
  if (!partitioned) {
    fail(
      'it gives a policy per partition but has no partitions',
      "give one policy, such as { maxLag: '6h' }, or declare partitions",
    );
  }
  return {
    freshness: undefined,
    partitionFreshness: partitionPolicies(partitions as PartitionFreshness['partitions'], owner),
  };
}

/** Validates what `policyOf` returns, each distinct policy object once. */
function partitionPolicies(
  policyOf: PartitionFreshness['partitions'],
  owner: string,
): PartitionFreshnessOf {
  const valid = new WeakMap<object, FreshnessPolicy>();
  return (partitionKey) => {
    const where = `${owner} partition '${partitionKey}'`;
    let policy: unknown;
    try {
      policy = policyOf(partitionKey);
    } catch (error) {
      throw new DefinitionError(
        'E_DEFINITION',
        `${where}: freshness.partitions threw: ${(error as Error)?.message ?? String(error)}`,
        { hint: 'return a policy such as { maxLag: "1d" }, or undefined for none' },
      );
    }
    if (policy === undefined) return undefined;
    if (typeof policy === 'object' && policy !== null) {
      const known = valid.get(policy);
      if (known !== undefined) return known;
    }
    const checked = validateFreshnessPolicy(policy, where);
    valid.set(policy as object, checked);
    return checked;
  };
}

/**
 * The policy `policyOf` gives `partitionKey`, or the DefinitionError it raised (the user's
 * function threw, or returned an invalid policy): a caller judging many partitions makes that
 * one partition's freshness unknown instead of failing every read (status, materialize).
 */
export function partitionPolicyOrError(
  policyOf: PartitionFreshnessOf,
  partitionKey: string,
): FreshnessPolicy | DefinitionError | undefined {
  try {
    return policyOf(partitionKey);
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
}

/** How `evaluateFreshness` words an update: a source's partition is observed, not materialized. */
export interface FreshnessWords {
  /** `'materialized'` (default) or `'changed'`. */
  updated?: string;
  /** `'never materialized'` (default) or `'never observed'`. */
  never?: string;
}

/**
 * Evaluates a (validated) policy at `now` for an asset last updated at `lastUpdatedAt` (ms).
 *
 * @example
 * evaluateFreshness({ maxLag: '6h' }, Date.parse('2024-01-01T00:00Z'), Date.parse('2024-01-01T07:00Z'));
 * // { status: 'overdue', deadline: <06:00>, overdueByMs: 3_600_000, reason: '…' }
 */
export function evaluateFreshness(
  policy: FreshnessPolicy,
  lastUpdatedAt: number | undefined,
  now: number,
  words: FreshnessWords = {},
): FreshnessEvaluation {
  const updated = words.updated ?? 'materialized';
  const never = words.never ?? 'never materialized';
  const maxLag = policy.maxLag === undefined ? undefined : parseDuration(policy.maxLag);
  if (!('cron' in policy)) {
    const lag = maxLag!;
    if (lastUpdatedAt === undefined)
      return neverUpdated(never, `at most ${formatDuration(lag)} old`);
    const deadline = lastUpdatedAt + lag;
    const age = `last ${updated} ${ago(now - lastUpdatedAt)} (${at(lastUpdatedAt, 'UTC')})`;
    if (now > deadline) {
      const by = now - deadline;
      return {
        status: 'overdue',
        deadline,
        overdueByMs: by,
        reason: `${age}, more than the allowed ${formatDuration(lag)}: overdue by ${formatDuration(by, 2)}`,
      };
    }
    return {
      status: 'fresh',
      deadline,
      overdueByMs: 0,
      reason: `${age}; overdue after ${at(deadline, 'UTC')}`,
    };
  }
  const timezone = policy.timezone ?? 'UTC';
  const cron = cronOf(policy.cron, timezone);
  const rule = `cron '${policy.cron}' ${timezone}${maxLag === undefined ? '' : `, at most ${formatDuration(maxLag)} old at each tick`}`;
  if (lastUpdatedAt === undefined) {
    const latestTick = cron.previousRuns(1, new Date(now + 1))[0];
    if (latestTick !== undefined) return neverUpdated(never, rule);
    const next = cron.nextRun(new Date(now))?.getTime();
    return {
      status: 'unknown',
      deadline: next,
      overdueByMs: 0,
      reason: `${never}, and nothing is due yet (${rule})`,
    };
  }
  // The first tick at which the asset fails: a tick X fails when the newest materialization is
  // older than X - maxLag, or (without maxLag) older than the tick before X. Both are monotone
  // in X, so every later tick fails too until the asset is materialized again.
  const deadline =
    maxLag === undefined
      ? nextTick(cron, nextTick(cron, lastUpdatedAt))
      : nextTick(cron, lastUpdatedAt + maxLag);
  const since = `last ${updated} ${at(lastUpdatedAt, timezone)}`;
  if (deadline === undefined)
    return {
      status: 'fresh',
      deadline,
      overdueByMs: 0,
      reason: `${since}; no further deadline (${rule})`,
    };
  if (now >= deadline) {
    const by = now - deadline;
    return {
      status: 'overdue',
      deadline,
      overdueByMs: by,
      reason: `${since}; was due by ${at(deadline, timezone)}: overdue by ${formatDuration(by, 2)} (${rule})`,
    };
  }
  return {
    status: 'fresh',
    deadline,
    overdueByMs: 0,
    reason: `${since}; next due by ${at(deadline, timezone)} (${rule})`,
  };
}

function nextTick(cron: Cron, after: number | undefined): number | undefined {
  if (after === undefined) return undefined;
  return cron.nextRun(new Date(after))?.getTime();
}

function neverUpdated(never: string, rule: string): FreshnessEvaluation {
  return {
    status: 'overdue',
    deadline: undefined,
    overdueByMs: 0,
    reason: `${never} (${rule})`,
  };
}

function ago(ms: number): string {
  return ms < 0 ? `${formatDuration(-ms, 2)} in the future` : `${formatDuration(ms, 2)} ago`;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** `2024-03-31 07:00 Europe/Berlin`: local time in the policy's timezone. */
function at(ms: number, timezone: string): string {
  let format = formats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone: timezone,
      dateStyle: 'short',
      timeStyle: 'short',
    });
    formats.set(timezone, format);
  }
  return `${format.format(new Date(ms))} ${timezone}`;
}
