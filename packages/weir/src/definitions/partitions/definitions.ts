/**
 * @module definitions/partitions/definitions
 * What users write: time windows, static and dynamic key sets, and two-dimensional
 * combinations. Definitions are plain data, validated when built, so they can be compared,
 * serialized and described.
 */
import { DefinitionError } from '../../errors.js';
import { parseDateTime } from './_civil.js';
import { isTimeZone } from './_zone.js';

/** How long one time window is. */
export type Cadence = 'hourly' | 'daily' | 'weekly' | 'monthly';

/** Windows of one cadence from `start`, in a time zone, each starting at `offset`. */
export interface TimeWindowPartitionsDefinition {
  kind: 'time-window';
  cadence: Cadence;
  /** Local `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`: the first window starts at or after it. */
  start: string;
  /** Local date or date-time: only windows that end at or before it exist. */
  end: string | undefined;
  timezone: string;
  /** Where a window starts; fields a cadence does not use are 0 (`dayOfMonth` 1). */
  offset: { minute: number; hour: number; weekday: number; dayOfMonth: number };
  description: string;
}

/** A fixed list of keys, in the order given. */
export interface StaticPartitionsDefinition {
  kind: 'static';
  keys: readonly string[];
  description: string;
}

/** Keys added and removed at run time, recorded in the event log under `name`. */
export interface DynamicPartitionsDefinition {
  kind: 'dynamic';
  name: string;
  description: string;
}

/** A definition that can be one dimension of a multi-partitioned asset. */
export type DimensionPartitionsDefinition =
  | TimeWindowPartitionsDefinition
  | StaticPartitionsDefinition
  | DynamicPartitionsDefinition;

/** Two named dimensions; a key is `a|b`, in dimension order. */
export interface MultiPartitionsDefinition {
  kind: 'multi';
  dimensions: readonly { name: string; partitions: DimensionPartitionsDefinition }[];
  description: string;
}

export type PartitionsDefinition = DimensionPartitionsDefinition | MultiPartitionsDefinition;

interface WindowOptions {
  /** Local `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`. */
  start: string;
  /** Local `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`; windows ending after it do not exist. */
  end?: string;
  /** IANA name; default `UTC`. */
  timezone?: string;
}

/**
 * One partition per hour, keyed by its local start `YYYY-MM-DDTHH:mm`.
 * @example
 * const readings = hourlyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
 */
export function hourlyPartitions(
  o: WindowOptions & { offset?: { minute?: number } },
): TimeWindowPartitionsDefinition {
  return timeWindow('hourly', o, { minute: o.offset?.minute });
}

/**
 * One partition per day, keyed by its local start date `YYYY-MM-DD`.
 * @example
 * // a hydrological day that starts at 06:00
 * const peaks = dailyPartitions({ start: '2024-01-01', offset: { hour: 6 } });
 */
export function dailyPartitions(
  o: WindowOptions & { offset?: { hour?: number; minute?: number } },
): TimeWindowPartitionsDefinition {
  return timeWindow('daily', o, { hour: o.offset?.hour, minute: o.offset?.minute });
}

/**
 * One partition per week, keyed by its local start date; weeks start on Sunday (`weekday` 0)
 * unless `offset.weekday` says otherwise (1 = Monday … 6 = Saturday).
 * @example
 * const weekly = weeklyPartitions({ start: '2024-01-01', offset: { weekday: 1 } });
 */
export function weeklyPartitions(
  o: WindowOptions & { offset?: { weekday?: number; hour?: number; minute?: number } },
): TimeWindowPartitionsDefinition {
  const { weekday, hour, minute } = o.offset ?? {};
  return timeWindow('weekly', o, { weekday, hour, minute });
}

/**
 * One partition per month, keyed by its local start date; months start on day 1 unless
 * `offset.dayOfMonth` (1-28) says otherwise.
 * @example
 * const billing = monthlyPartitions({ start: '2024-01-01', offset: { dayOfMonth: 15 } });
 */
export function monthlyPartitions(
  o: WindowOptions & { offset?: { dayOfMonth?: number; hour?: number; minute?: number } },
): TimeWindowPartitionsDefinition {
  const { dayOfMonth, hour, minute } = o.offset ?? {};
  return timeWindow('monthly', o, { dayOfMonth, hour, minute });
}

const OFFSET_LIMITS = {
  minute: [0, 59],
  hour: [0, 23],
  weekday: [0, 6],
  dayOfMonth: [1, 28],
} as const;

type OffsetInput = Partial<Record<keyof typeof OFFSET_LIMITS, number | undefined>>;

function timeWindow(cadence: Cadence, o: WindowOptions, given: OffsetInput) {
  const timezone = o.timezone ?? 'UTC';
  const what = `${cadence} partitions`;
  if (!isTimeZone(timezone)) {
    throw new DefinitionError(
      'E_DEFINITION',
      `Unknown timezone '${timezone}' for ${what}: use an IANA name such as 'UTC' or 'Europe/Berlin'`,
    );
  }
  const start = parseBound(o.start, 'start', what);
  if (o.end !== undefined && parseBound(o.end, 'end', what) <= start) {
    throw new DefinitionError(
      'E_DEFINITION',
      `The end '${o.end}' of ${what} is not after its start '${o.start}'`,
    );
  }
  const offset = { minute: 0, hour: 0, weekday: 0, dayOfMonth: 1 };
  for (const field of Object.keys(OFFSET_LIMITS) as (keyof typeof OFFSET_LIMITS)[]) {
    const value = given[field];
    if (value === undefined) continue;
    const [min, max] = OFFSET_LIMITS[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DefinitionError(
        'E_DEFINITION',
        `Invalid offset ${field} ${value} for ${what}: expected an integer from ${min} to ${max}`,
      );
    }
    offset[field] = value;
  }
  return {
    kind: 'time-window' as const,
    cadence,
    start: o.start,
    end: o.end,
    timezone,
    offset,
    description: describeWindows(cadence, o.start, o.end, timezone, offset),
  };
}

function parseBound(text: string, which: 'start' | 'end', what: string): number {
  const parsed = typeof text === 'string' ? parseDateTime(text) : undefined;
  if (parsed === undefined || parsed.offsetMinutes !== undefined || /:\d\d:/.test(text)) {
    throw new DefinitionError(
      'E_DEFINITION',
      `Invalid ${which} '${String(text)}' for ${what}: expected a local date 'YYYY-MM-DD' or date and time 'YYYY-MM-DDTHH:mm'`,
    );
  }
  return parsed.wall;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function describeWindows(
  cadence: Cadence,
  start: string,
  end: string | undefined,
  timezone: string,
  offset: TimeWindowPartitionsDefinition['offset'],
): string {
  const time = `${String(offset.hour).padStart(2, '0')}:${String(offset.minute).padStart(2, '0')}`;
  const starts =
    cadence === 'hourly'
      ? offset.minute === 0
        ? ''
        : `, hours start at minute ${offset.minute}`
      : cadence === 'daily'
        ? time === '00:00'
          ? ''
          : `, days start at ${time}`
        : cadence === 'weekly'
          ? `, weeks start ${WEEKDAYS[offset.weekday]} ${time}`
          : offset.dayOfMonth === 1 && time === '00:00'
            ? ''
            : `, months start on day ${offset.dayOfMonth} at ${time}`;
  const until = end === undefined ? '' : ` until ${end}`;
  return `${cadence} partitions from ${start}${until} (${timezone}${starts})`;
}

/** Why a partition key is not acceptable, or undefined. */
export function partitionKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'a partition key must not be empty';
  if (!/^[A-Za-z0-9_.:-]+$/.test(key)) {
    return `partition key '${key}' may hold only letters, digits, '_', '.', ':' and '-'`;
  }
  return undefined;
}

/**
 * A fixed set of partitions, such as states or catchments.
 * @example
 * const states = staticPartitions(['CA', 'OR', 'WA']);
 */
export function staticPartitions(keys: readonly string[]): StaticPartitionsDefinition {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new DefinitionError('E_DEFINITION', 'Static partitions need at least one key');
  }
  const seen = new Set<string>();
  for (const key of keys) {
    const problem = partitionKeyProblem(key);
    if (problem !== undefined) {
      throw new DefinitionError('E_DEFINITION', `Invalid static partitions: ${problem}`);
    }
    if (seen.has(key)) {
      throw new DefinitionError('E_DEFINITION', `Static partitions list '${key}' twice`);
    }
    seen.add(key);
  }
  const shown = keys.length <= 5 ? keys.join(', ') : `${keys.slice(0, 4).join(', ')}, …`;
  return {
    kind: 'static',
    keys: Object.freeze([...keys]),
    description: `static partitions (${keys.length}: ${shown})`,
  };
}

/**
 * Partitions whose keys are added and removed at run time (new stations, new agencies).
 * @example
 * const stations = dynamicPartitions('stations');
 */
export function dynamicPartitions(name: string): DynamicPartitionsDefinition {
  const problem = dynamicNameProblem(name);
  if (problem !== undefined) throw new DefinitionError('E_DEFINITION', `Invalid ${problem}`);
  return { kind: 'dynamic', name, description: `dynamic partitions '${name}'` };
}

/** Why `name` cannot name dynamic partitions, or undefined. */
export function dynamicNameProblem(name: unknown): string | undefined {
  return typeof name === 'string' && /^[A-Za-z0-9_.-]+$/.test(name)
    ? undefined
    : `dynamic partitions name '${String(name)}': use letters, digits, '_', '.' and '-'`;
}

/** The names of the dynamic partitions a definition uses (itself, or a dimension). */
export function dynamicNames(definition: PartitionsDefinition | undefined): string[] {
  if (definition?.kind === 'dynamic') return [definition.name];
  if (definition?.kind === 'multi') {
    return definition.dimensions.flatMap((d) => dynamicNames(d.partitions));
  }
  return [];
}

/**
 * Two dimensions, each a time window, static or dynamic definition; keys are `a|b` in the
 * order the dimensions are written.
 * @example
 * const dateStation = multiPartitions({
 *   date: dailyPartitions({ start: '2024-01-01' }),
 *   station: dynamicPartitions('stations'),
 * });
 * // keys look like '2024-01-05|ATT-03'
 */
export function multiPartitions(
  dimensions: Record<string, DimensionPartitionsDefinition>,
): MultiPartitionsDefinition {
  const entries = Object.entries(dimensions ?? {});
  if (entries.length !== 2) {
    throw new DefinitionError(
      'E_DEFINITION',
      `Multi partitions need exactly 2 dimensions, got ${entries.length}${entries.length > 0 ? ` (${entries.map(([n]) => n).join(', ')})` : ''}`,
    );
  }
  for (const [name, partitions] of entries) {
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      throw new DefinitionError(
        'E_DEFINITION',
        `Invalid multi partitions dimension name '${name}': use letters, digits and '_'`,
      );
    }
    const kind = (partitions as { kind?: unknown } | undefined)?.kind;
    if (kind !== 'time-window' && kind !== 'static' && kind !== 'dynamic') {
      throw new DefinitionError(
        'E_DEFINITION',
        `Dimension '${name}' of multi partitions must be time-window, static or dynamic partitions${kind === 'multi' ? ', not multi partitions' : ''}`,
      );
    }
  }
  return {
    kind: 'multi',
    dimensions: entries.map(([name, partitions]) => ({ name, partitions })),
    description: `multi partitions ${entries.map(([n, p]) => `${n}: ${p.description}`).join(' × ')}`,
  };
}

const PARTITION_KINDS = ['time-window', 'static', 'dynamic', 'multi'];

/** `partitions` of a spec, checked: a partitions definition, or undefined. */
export function validatePartitions(
  partitions: PartitionsDefinition | undefined,
  owner: string,
): PartitionsDefinition | undefined {
  if (partitions === undefined) return undefined;
  if (!PARTITION_KINDS.includes((partitions as { kind?: string } | null)?.kind ?? '')) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} partitions is not a partitions definition`,
      {
        hint: 'use dailyPartitions({ start }), staticPartitions([…]), dynamicPartitions(name) or multiPartitions({…})',
      },
    );
  }
  return partitions;
}
