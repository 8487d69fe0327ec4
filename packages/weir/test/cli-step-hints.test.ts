/**
 * A step that fails with a Weir error carrying a hint (a missing tool, a backend that says
 * what to check) keeps the hint: recorded with the failure, and shown by the run's progress
 * and by `weir logs`, once, with the error's own message (not "failed asset 'x' failed").
 */
import { describe, expect, it } from 'vitest';
import { projectDir, weir } from './cli-helpers.js';

describe('a failed step’s hint', () => {
  it('is recorded and shown by the run and by weir logs', () => {
    const dir = projectDir({
      'weir.config.ts': `import { asset, defineProject, EnvironmentError } from 'weir';
const tool = asset({
  key: 'tool',
  materialize: () => {
    throw new EnvironmentError('E_USAGE', 'gdalinfo is not installed', { hint: 'apt-get install gdal-bin' });
  },
});
export default defineProject({ assets: [tool] });
`,
    });
    const run = weir(dir, 'materialize');
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('hint: apt-get install gdal-bin');
    const logs = weir(dir, 'logs');
    expect(logs.stdout).toMatch(
      /tool: failed gdalinfo is not installed\n +hint: apt-get install gdal-bin/,
    );
    expect(logs.stdout).not.toContain("failed asset 'tool' failed");
    // No queue worker ran it: weir runs says so with a dash, not a worker's name.
    const runs = weir(dir, 'runs', 'latest');
    expect(runs.stdout).toMatch(/tool +failed +1 +[\d.]+ \w+ +-\n/);
    expect(runs.stdout).not.toContain('in-process');
  }, 30_000);
});
