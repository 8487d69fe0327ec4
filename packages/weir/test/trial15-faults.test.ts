/**
 * Faults with a cause, cases found by trying to break them.
 */
import { describe, expect, it } from 'vitest';
import { asset, defineProject, EnvironmentError, materialize } from '../src/index.js';
import { tempInstance } from './helpers.js';

describe('the event log refusing a write mid-run', () => {
  it('stops the run with the log’s own fault (a full disk), not an internal RunStopped', async () => {
    const instance = tempInstance();
    const log = instance.eventLog;
    const append = log.append.bind(log);
    let appends = 0;
    log.append = async (events) => {
      appends += 1;
      // The run's opening goes through; a step's outcome does not fit.
      if (appends > 1 && events.some((e) => e.type === 'asset:materialized')) {
        throw new EnvironmentError(
          'E_NO_SPACE',
          'no space left on device writing the event log (/x/events.db)',
        );
      }
      return append(events);
    };
    const project = defineProject({
      assets: [asset({ key: 'a', materialize: () => 1 })],
    });
    const error = await materialize(project, { instance }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error).toMatchObject({
      code: 'E_NO_SPACE',
      message: expect.stringContaining('no space left on device writing the event log'),
    });
  });
});
