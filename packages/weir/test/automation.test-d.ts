/**
 * Types of the automation definitions: a sensor's resources are typed in `poll`, an asset's
 * `automation` is a condition, a schedule's partition function takes the tick.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AutomationCondition,
  asset,
  eager,
  resource,
  type SensorContext,
  schedule,
  sensor,
} from '../src/index.js';

describe('automation definitions', () => {
  it('types a sensor’s resources and context', () => {
    const api = resource({ key: 'api', create: () => ({ etag: async () => 'e1' }) });
    sensor({
      name: 'etag',
      interval: '1m',
      resources: { api },
      poll: async (ctx) => {
        expectTypeOf(ctx.cursor).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.now).toEqualTypeOf<Date>();
        const etag = await ctx.resources.api.etag();
        // @ts-expect-error: no such resource
        ctx.resources.db;
        return { cursor: etag, observations: [{ asset: 'raw/x', dataVersion: etag }] };
      },
    });
    expectTypeOf<SensorContext['lastTickAt']>().toEqualTypeOf<Date | undefined>();
  });

  it('wants a condition as automation, and a tick function for a schedule', () => {
    const a = asset({ key: 'a', automation: eager(), materialize: () => 1 });
    expectTypeOf(a.automation).toEqualTypeOf<AutomationCondition | undefined>();
    // @ts-expect-error: a string is not a condition
    asset({ key: 'b', automation: 'eager', materialize: () => 1 });
    schedule({
      name: 's',
      cron: '0 6 * * *',
      selection: [a],
      partition: (tick) => {
        expectTypeOf(tick).toEqualTypeOf<Date>();
        return tick.toISOString().slice(0, 10);
      },
    });
    // @ts-expect-error: a catch-up rule that does not exist
    schedule({ name: 's', cron: '0 6 * * *', selection: '*', catchUp: 'some' });
  });
});
