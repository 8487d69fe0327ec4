/**
 * Findings of trial 14 (a new user's own project, then adversarial review), each through the
 * command where a user meets it.
 */
import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson } from './cli-helpers.js';

interface LogsJson {
  events: Array<{ type: string; assetKey?: string; timestamp: number }>;
}

describe('trial 14', () => {
  it("runs as many steps at once as the project's concurrency when --concurrency is not given", async () => {
    // Three independent steps that each wait 300 ms: with concurrency 1 they never overlap.
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject, staticPartitions } from 'weir';
const wait = () => new Promise((r) => setTimeout(r, 300));
const a = asset({ key: 'a', materialize: async () => { await wait(); return 1; } });
const b = asset({ key: 'b', materialize: async () => { await wait(); return 2; } });
const c = asset({ key: 'c', materialize: async () => { await wait(); return 3; } });
const p = asset({
  key: 'p',
  partitions: staticPartitions(['x', 'y', 'z']),
  materialize: async (ctx) => { await wait(); return ctx.partition.key; },
});
export default defineProject({ assets: [a, b, c, p], concurrency: 1 });
`,
    });
    // Step by step: each starts after the one before has ended.
    const oneAtATime = () => {
      const [run] = weirJson<Array<{ runId: string }>>(dir, 'runs');
      const logs = weirJson<LogsJson>(dir, 'logs', run!.runId);
      const steps = logs.events.filter(
        (e) => e.type === 'step:started' || e.type === 'asset:materialized',
      );
      expect(steps.map((e) => e.type)).toEqual(
        Array.from({ length: 3 }, () => ['step:started', 'asset:materialized']).flat(),
      );
    };
    expect(weir(dir, 'materialize', 'a,b,c').code).toBe(0);
    oneAtATime();
    expect(weir(dir, 'backfill', 'p', '--partition', 'x,y,z').code).toBe(0);
    oneAtATime();
  });
});
