/**
 * @module time/zone
 * IANA time zones for parsing local timestamps, DST-correct, without a `Date` or an `Intl`
 * call per timestamp. A {@link TimeZone} learns the zone's offset transitions from `Intl`
 * (Node ships full ICU) one stretch of years at a time and caches them; converting a local
 * wall-clock time to UTC is then a range check against the current offset segment (and a
 * binary search when the segment changes).
 *
 * Local times that do not exist (the spring-forward gap, e.g. 02:30 on the last Sunday of
 * March in Europe/Berlin) and local times that occur twice (the fall-back overlap, 02:30
 * on the last Sunday of October) are resolved by explicit policies: see
 * {@link NonexistentPolicy} and {@link AmbiguousPolicy}.
 */

/**
 * A local time that occurs twice (clocks were set back):
 * - `earlier`: the first occurrence, still on the offset before the transition (default);
 * - `later`: the second occurrence, on the offset after it;
 * - `error`: refuse.
 */
export type AmbiguousPolicy = 'earlier' | 'later' | 'error';

/**
 * A local time that does not exist (clocks were set forward):
 * - `error`: refuse (default);
 * - `shift`: move it forward by the length of the gap (02:30 becomes 03:30 CEST), that is,
 *   read it with the offset before the transition.
 */
export type NonexistentPolicy = 'error' | 'shift';

/** Why {@link TimeZone.toUtc} returned `NaN`. */
export type LocalTimeProblem = 'nonexistent' | 'ambiguous';

const DAY_MS = 86_400_000;
const YEAR_MS = 365.2425 * DAY_MS;
/** Offsets are sampled once a day; a transition is located to the millisecond between samples. */
const SAMPLE_MS = DAY_MS;

/** Whether `name` is a time zone this runtime knows (`'Europe/Berlin'`, `'UTC'`, …). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const cache = new Map<string, TimeZone>();

/**
 * An IANA time zone with cached offset transitions.
 *
 * @example
 * const berlin = TimeZone.of('Europe/Berlin');
 * berlin.toUtc(Date.UTC(2021, 2, 28, 3, 30)); // 2021-03-28T01:30:00Z (CEST)
 * berlin.toUtc(Date.UTC(2021, 2, 28, 2, 30)); // NaN: in the gap; berlin.problem === 'nonexistent'
 */
export class TimeZone {
  /** The zone's name as given. */
  readonly name: string;
  /** Set when {@link toUtc} returns `NaN`. */
  problem: LocalTimeProblem | undefined;
  private readonly format: Intl.DateTimeFormat;
  /** Covered UTC range `[from, to)`; `at[k]` starts segment `k` whose offset is `off[k]`. */
  private from = Number.NaN;
  private to = Number.NaN;
  private at: number[] = [];
  private off: number[] = [];
  // The last segment used, with the local range that maps to it unambiguously.
  private safeLo = Number.NaN;
  private safeHi = Number.NaN;
  private segOffset = 0;

  private constructor(name: string) {
    this.name = name;
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  }

  /** The (cached) zone called `name`; throws a `RangeError` for an unknown zone. */
  static of(name: string): TimeZone {
    let z = cache.get(name);
    if (z === undefined) {
      if (!isTimeZone(name)) throw new RangeError(`unknown time zone ${JSON.stringify(name)}`);
      z = new TimeZone(name);
      cache.set(name, z);
    }
    return z;
  }

  /** The zone's offset from UTC in ms at a UTC instant, straight from `Intl` (slow). */
  offsetFromIntl(utc: number): number {
    const seconds = Math.floor(utc / 1000) * 1000;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.format.formatToParts(seconds)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          bc = part.value.startsWith('B');
          break;
        default:
          break;
      }
    }
    const d = new Date(0);
    d.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
    d.setUTCHours(hour, minute, second, 0);
    return d.getTime() - seconds;
  }

  /** The zone's offset in ms at a UTC instant (cached transitions). */
  offsetAt(utc: number): number {
    this.cover(utc);
    return this.off[this.segmentOf(utc)]!;
  }

  /** Local wall-clock time (as epoch ms of the same fields in UTC) of a UTC instant. */
  toLocal(utc: number): number {
    return utc + this.offsetAt(utc);
  }

  /**
   * The UTC instant of a local wall-clock time given as epoch ms of the same fields read
   * as UTC (`Date.UTC(2021, 2, 28, 3, 30)` for 03:30 local). Returns `NaN`, with
   * {@link problem} set, for a nonexistent local time under `nonexistent: 'error'` or an
   * ambiguous one under `ambiguous: 'error'`.
   */
  toUtc(
    local: number,
    ambiguous: AmbiguousPolicy = 'earlier',
    nonexistent: NonexistentPolicy = 'error',
  ): number {
    if (local >= this.safeLo && local < this.safeHi) return local - this.segOffset;
    return this.toUtcSlow(local, ambiguous, nonexistent);
  }

  private toUtcSlow(
    local: number,
    ambiguous: AmbiguousPolicy,
    nonexistent: NonexistentPolicy,
  ): number {
    this.problem = undefined;
    if (!Number.isFinite(local)) return Number.NaN;
    // Offsets stay within a day of UTC, so the answer is within a day of `local`.
    this.cover(local - 2 * DAY_MS);
    this.cover(local + 2 * DAY_MS);
    const k = this.segmentOf(local);
    // Candidate segments: the one containing `local` read as UTC, and its neighbours.
    const solutions: number[] = [];
    for (let j = Math.max(0, k - 2); j <= Math.min(this.at.length - 1, k + 2); j++) {
      const u = local - this.off[j]!;
      if (u >= this.at[j]! && (j + 1 === this.at.length || u < this.at[j + 1]!)) {
        solutions.push(j);
      }
    }
    if (solutions.length === 1) {
      this.remember(solutions[0]!);
      return local - this.off[solutions[0]!]!;
    }
    if (solutions.length >= 2) {
      if (ambiguous === 'error') {
        this.problem = 'ambiguous';
        return Number.NaN;
      }
      const j = ambiguous === 'earlier' ? solutions[0]! : solutions[solutions.length - 1]!;
      return local - this.off[j]!;
    }
    if (nonexistent === 'error') {
      this.problem = 'nonexistent';
      return Number.NaN;
    }
    // In a gap: read it with the offset before the transition (moves it forward).
    for (let m = Math.max(1, k - 2); m <= Math.min(this.at.length - 1, k + 2); m++) {
      if (local >= this.at[m]! + this.off[m - 1]! && local < this.at[m]! + this.off[m]!) {
        return local - this.off[m - 1]!;
      }
    }
    return Number.NaN; // unreachable: a local time is in a segment, an overlap or a gap
  }

  /** The transition nearest a nonexistent or ambiguous local time, for messages. */
  describe(local: number): string {
    const u = local - this.offsetAt(local);
    const k = this.segmentOf(u);
    const near =
      k + 1 < this.at.length && Math.abs(this.at[k + 1]! - u) < Math.abs(this.at[k]! - u)
        ? k + 1
        : k;
    const before = this.off[Math.max(0, near - 1)]!;
    const after = this.off[near]!;
    const fmt = (o: number) => {
      const m = Math.round(Math.abs(o) / 60_000);
      return `UTC${o < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    };
    return `${this.name} changes from ${fmt(before)} to ${fmt(after)} at ${new Date(this.at[near]!).toISOString()}`;
  }

  private remember(j: number): void {
    const off = this.off[j]!;
    const prev = j > 0 ? this.off[j - 1]! : off;
    const next = j + 1 < this.off.length ? this.off[j + 1]! : off;
    this.segOffset = off;
    // Local times in [safeLo, safeHi) belong to segment j and to no other: beyond the
    // overlap or gap with each neighbour, and inside the covered range.
    this.safeLo = j > 0 ? this.at[j]! + Math.max(off, prev) : this.from + off + 2 * DAY_MS;
    this.safeHi =
      j + 1 < this.at.length ? this.at[j + 1]! + Math.min(off, next) : this.to + off - 2 * DAY_MS;
  }

  /** The segment containing a covered UTC instant. */
  private segmentOf(utc: number): number {
    let lo = 0;
    let hi = this.at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.at[mid]! <= utc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Extends the learned transitions to cover a UTC instant (a year at a time, at least). */
  private cover(utc: number): void {
    if (utc >= this.from && utc < this.to) return;
    if (Number.isNaN(this.from)) {
      const start = Math.floor(utc / DAY_MS) * DAY_MS - YEAR_MS;
      this.from = Math.floor(start / DAY_MS) * DAY_MS;
      this.to = this.from;
      this.at = [this.from];
      this.off = [this.offsetFromIntl(this.from)];
    }
    if (utc >= this.to) this.extendTo(Math.ceil((utc + YEAR_MS) / DAY_MS) * DAY_MS);
    if (utc < this.from) this.extendBack(Math.floor((utc - YEAR_MS) / DAY_MS) * DAY_MS);
    this.safeLo = Number.NaN;
    this.safeHi = Number.NaN;
  }

  private extendTo(end: number): void {
    let t = this.to;
    let o = this.off[this.off.length - 1]!;
    while (t < end) {
      const next = t + SAMPLE_MS;
      const o2 = this.offsetFromIntl(next);
      if (o2 !== o) {
        this.at.push(this.transitionBetween(t, next, o));
        this.off.push(o2);
        o = o2;
      }
      t = next;
    }
    this.to = t;
  }

  private extendBack(start: number): void {
    const at: number[] = [];
    const off: number[] = [];
    let t = this.from;
    let o = this.off[0]!;
    while (t > start) {
      const prev = t - SAMPLE_MS;
      const o0 = this.offsetFromIntl(prev);
      if (o0 !== o) {
        // segment o begins at the transition between prev and t
        at.push(this.transitionBetween(prev, t, o0));
        off.push(o);
        o = o0;
      }
      t = prev;
    }
    // the first segment now starts at the new `from` with offset o
    at.push(t);
    off.push(o);
    at.reverse();
    off.reverse();
    // replace the old first segment's start (it was `from`) by the transitions found
    this.at = [...at, ...this.at.slice(1)];
    this.off = [...off, ...this.off.slice(1)];
    // `at` of the old first segment: if its offset equals the last pushed, they merge
    this.from = t;
  }

  /** First instant in `(a, b]` with an offset other than `offA` (binary search, to 1 ms). */
  private transitionBetween(a: number, b: number, offA: number): number {
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offsetFromIntl(mid) === offA) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}
