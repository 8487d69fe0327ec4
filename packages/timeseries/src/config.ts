/**
 * @module config
 * The typed polishing configuration: per variable, its tests with their parameters, its
 * fill method and gap limit; plus timestamp handling, alignment, the maintenance log and
 * redundancy groups. Validated with zod at the boundary; errors name the JSON path (and,
 * for JSON syntax errors, line and column).
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { parseUtcOffset, type TimestampOptions } from './io/timestamp.js';
import { durationMs } from './time/duration.js';
import { isTimeZone } from './time/zone.js';

const validDuration = (v: number | string): boolean => {
  try {
    durationMs(v);
    return true;
  } catch {
    return false;
  }
};
const duration = z.union([z.number().nonnegative(), z.string()]).refine(validDuration, {
  message: "expected a duration such as '15min', '2h', '20D' or milliseconds",
});
const positive = z.number().positive();
const scale = z.enum(['linear', 'log']);

const tests = z
  .object({
    /** Apply the maintenance log's intervals (default true when a log is configured). */
    manual: z.boolean(),
    range: z
      .object({
        failMin: z.number(),
        failMax: z.number(),
        suspectMin: z.number(),
        suspectMax: z.number(),
      })
      .partial()
      .strict(),
    climatology: z
      .object({
        months: z.array(z.tuple([z.number(), z.number()]).nullable()).length(12),
        window: z
          .union([
            z.literal('month'),
            z.object({ days: z.number().int().min(0).max(183) }).strict(),
          ])
          .optional(),
      })
      .strict(),
    spike: z
      .object({ suspect: positive, fail: positive.optional(), scale: scale.optional() })
      .strict(),
    rateOfChange: z
      .object({
        maxPerHour: positive,
        scale: scale.optional(),
        severity: z.enum(['suspect', 'fail']).optional(),
      })
      .strict(),
    flatLine: z
      .object({
        suspectCount: z.number().int().min(2),
        failCount: z.number().int().min(2).optional(),
        tolerance: z.number().nonnegative().optional(),
      })
      .strict(),
    zScore: z
      .object({
        window: duration,
        threshold: positive,
        minPeriods: z.number().int().min(2).optional(),
      })
      .strict(),
  })
  .partial()
  .strict();

const fill = z
  .object({ method: z.enum(['linear', 'forward', 'mask', 'none']), maxGap: duration.optional() })
  .strict()
  .refine((f) => f.method === 'mask' || f.method === 'none' || f.maxGap !== undefined, {
    message: "fill methods 'linear' and 'forward' need a maxGap",
    path: ['maxGap'],
  });

const variable = z
  .object({
    /** The source column; default: the variable's key. */
    column: z.string().optional(),
    unit: z.string().optional(),
    tests: tests.optional(),
    fill: fill.optional(),
    /** Count suspect values as valid for a model (default false). */
    acceptSuspect: z.boolean().optional(),
  })
  .strict();

/** The zod schema of a polishing configuration (exported for JSON Schema generation). */
export const polishConfigSchema = z
  .object({
    timestamp: z
      .object({
        column: z.string().optional(),
        utcOffset: z
          .string()
          .refine((s) => !Number.isNaN(parseUtcOffset(s)), {
            message: "expected an offset such as '+01:00' or 'Z'",
          })
          .optional(),
        /** An IANA zone (`'Europe/Berlin'`) for timestamps written in local time. */
        timezone: z
          .string()
          .refine(isTimeZone, { message: "expected an IANA time zone such as 'Europe/Berlin'" })
          .optional(),
        ambiguous: z.enum(['earlier', 'later', 'error']).optional(),
        nonexistent: z.enum(['error', 'shift']).optional(),
      })
      .strict()
      .refine((t) => t.utcOffset === undefined || t.timezone === undefined, {
        message: 'give either utcOffset or timezone, not both',
      })
      .refine(
        (t) =>
          t.timezone !== undefined || (t.ambiguous === undefined && t.nonexistent === undefined),
        { message: "'ambiguous' and 'nonexistent' apply only with a timezone" },
      )
      .optional(),
    duplicates: z.enum(['first', 'last', 'mean', 'error']).optional(),
    align: z
      .object({
        freq: duration,
        method: z.enum(['nearest', 'time', 'mean']).optional(),
        tolerance: duration.optional(),
      })
      .strict()
      .optional(),
    maintenance: z
      .object({
        /** A maintenance log CSV (start,end per row), relative to the configuration file. */
        file: z.string().optional(),
        intervals: z.array(z.object({ start: z.string(), end: z.string() }).strict()).optional(),
        method: z.enum(['closed', 'left-open', 'right-open']).optional(),
      })
      .strict()
      .optional(),
    redundancy: z
      .array(
        z
          .object({
            variables: z.array(z.string()).min(2),
            suspect: positive,
            fail: positive.optional(),
            minSensors: z.number().int().min(1).optional(),
          })
          .strict(),
      )
      .optional(),
    variables: z.record(z.string(), variable),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const [g, group] of (c.redundancy ?? []).entries()) {
      for (const [k, v] of group.variables.entries()) {
        if (!(v in c.variables)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown variable ${JSON.stringify(v)}; variables are ${Object.keys(c.variables).join(', ')}`,
            path: ['redundancy', g, 'variables', k],
          });
        }
      }
    }
  });

/** A polishing configuration. */
export type PolishConfig = z.infer<typeof polishConfigSchema>;
/** The configuration of one variable. */
export type VariableConfig = PolishConfig['variables'][string];
/** The tests of one variable. */
export type TestsConfig = NonNullable<VariableConfig['tests']>;

/**
 * Validates a configuration object (or JSON text); throws {@link ConfigError} listing
 * every problem by path.
 *
 * @example
 * const config = parsePolishConfig({ variables: { level: { tests: { range: { failMin: 0 } } } } });
 */
export function parsePolishConfig(input: unknown, source = 'config'): PolishConfig {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      const message = (err as Error).message;
      const m = /position (\d+)/.exec(message);
      let where = '';
      if (m !== null) {
        const before = input.slice(0, Number(m[1]));
        const line = before.split('\n').length;
        const column = before.length - before.lastIndexOf('\n');
        where = `:${line}:${column}`;
      }
      throw new ConfigError(`${source}${where}`, [`not valid JSON: ${message}`]);
    }
  }
  const result = polishConfigSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map(
      (i) => `${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`,
    );
    throw new ConfigError(
      source,
      issues,
      'see the configuration section of the @weir/timeseries README',
    );
  }
  return result.data;
}

/** How a configuration's timestamps are read, as reader options. */
export function timestampOptions(config: PolishConfig): TimestampOptions {
  const t = config.timestamp;
  if (t === undefined) return {};
  if (t.timezone !== undefined) {
    return {
      timezone: t.timezone,
      ...(t.ambiguous === undefined ? {} : { ambiguous: t.ambiguous }),
      ...(t.nonexistent === undefined ? {} : { nonexistent: t.nonexistent }),
    };
  }
  return t.utcOffset === undefined ? {} : { utcOffsetMinutes: parseUtcOffset(t.utcOffset) };
}
