/**
 * The progress of `weir materialize` when its run takes over a dead run's lease: the dead
 * run's step is closed in the same transaction, and that is not this run's failure.
 */
import { describe, expect, it } from 'vitest';
import { Progress } from '../src/cli/progress.js';
import type { StoredEvent } from '../src/index.js';

describe('progress of a run that takes over a lease', () => {
  it('notes the take-over instead of printing the dead run’s step as a failure of its own', () => {
    let text = '';
    const output = {
      out: (t: string) => (text += t),
      err: (t: string) => (text += t),
      bytes: async () => {},
      color: false,
      tty: false,
    };
    const progress = new Progress(output, false);
    const events = [
      {
        id: 3,
        type: 'run:started',
        runId: 'mine',
        timestamp: 1,
        selection: '*',
        force: false,
        steps: ['a'],
        host: 'h',
        pid: 1,
        weirVersion: '0',
      },
      {
        id: 4,
        type: 'step:failed',
        runId: 'dead',
        assetKey: 'a',
        partition: '',
        timestamp: 2,
        attempt: 1,
        error: {
          name: 'ProcessDied',
          message: 'the step’s lease was taken over: its process died',
        },
      },
      {
        id: 5,
        type: 'step:started',
        runId: 'mine',
        assetKey: 'a',
        partition: '',
        timestamp: 2,
        attempt: 1,
        tookOver: { runId: 'dead', reason: 'its process (pid 7 on h) died' },
      },
    ] as StoredEvent[];
    for (const event of events) progress.onEvent(event);
    expect(text).not.toMatch(/✗/);
    expect(text).toMatch(/a: taking over from run dead \(its process \(pid 7 on h\) died\)/);
  });
});
