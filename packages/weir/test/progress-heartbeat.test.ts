/**
 * The progress of `weir materialize` without a terminal (CI logs, `npm start` piped): a long
 * step is not silence; after 15 quiet seconds a line names what is still running.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../src/cli/progress.js';
import type { StoredEvent } from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function started(runId: string, start: number): StoredEvent[] {
  return [
    {
      id: 1,
      type: 'run:started',
      runId,
      timestamp: start,
      selection: '*',
      force: false,
      steps: ['model'],
      host: 'h',
      pid: 1,
      weirVersion: '0',
    },
    {
      id: 2,
      type: 'step:started',
      runId,
      assetKey: 'model',
      partition: '',
      timestamp: start,
      attempt: 1,
    },
  ] as StoredEvent[];
}

/** An output without a terminal, and what was written to it. */
function logOutput() {
  let written = '';
  const output = {
    out: (t: string) => {
      written += t;
    },
    err: (t: string) => {
      written += t;
    },
    bytes: async () => {},
    color: false,
    tty: false,
  };
  return { output, text: () => written };
}

describe('progress in a log', () => {
  it('through a queue, a started step may still wait for a worker: it says so', () => {
    const { output, text } = logOutput();
    const progress = new Progress(output, false, { queued: true });
    for (const event of started('r', Date.now())) progress.onEvent(event);
    vi.advanceTimersByTime(16_000);
    expect(text()).toMatch(/… 0 done, queued or running: model \(1[56]\.\d s\)/);
    progress.stop();
  });

  it('names the steps still running after a quiet stretch, and only then', () => {
    const { output, text } = logOutput();
    const progress = new Progress(output, false);
    for (const event of started('r', Date.now())) progress.onEvent(event);
    vi.advanceTimersByTime(10_000);
    expect(text()).not.toContain('still running');
    vi.advanceTimersByTime(6_000);
    expect(text()).toMatch(/… 0 done, still running: model \(1[56]\.\d s\)/);
    const lines = text().split('\n').length;
    vi.advanceTimersByTime(5_000);
    expect(text().split('\n').length).toBe(lines); // not again until another quiet stretch
    progress.stop();
  });
});
