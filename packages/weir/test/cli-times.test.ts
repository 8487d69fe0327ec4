import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectDir, writeFile } from './cli-helpers.js';

const WEIR = fileURLToPath(new URL('../bin/weir.js', import.meta.url));

const PROJECT = (version: string) => `
import { asset, defineProject } from 'weir';
export const readings = asset({ key: 'readings', materialize: () => [${version}] });
export const alerts = asset({
  key: 'alerts',
  ins: { readings },
  freshness: { cron: '0 7 * * *', timezone: 'Europe/Luxembourg' },
  materialize: (_ctx, { readings }) => readings.length,
});
export const report = asset({ key: 'report', ins: { readings }, materialize: (_ctx, { readings }) => readings });
export default defineProject({ assets: [readings, alerts, report] });
`;

/** `weir ARGS` on a machine whose local time zone is `tz`. */
function weirIn(tz: string, cwd: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [WEIR, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TZ: tz },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** Every date-time in `text`, with what follows it. */
const times = (text: string) =>
  [
    ...text.matchAll(
      /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?(?<label> [A-Za-z_]+\/[A-Za-z_]+| UTC)?/g,
    ),
  ].map((m) => m.groups?.label?.trim() ?? '(unlabelled)');

describe('times in the CLI', () => {
  it('why writes every time in one zone, labelled: the freshness policy’s, else the local one', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT('1') });
    weirIn('America/New_York', dir, 'materialize');
    writeFile(`${dir}/weir.config.ts`, PROJECT('1, 2'));
    weirIn('America/New_York', dir, 'materialize', 'readings');

    const why = weirIn('America/New_York', dir, 'why', 'alerts');
    expect(why).toContain('freshness: ');
    expect(why).toMatch(
      /\(materialized by run \S+ at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} Europe\/Luxembourg\)/,
    );
    expect(why).toMatch(
      /current materialization \(event \d+, run \S+, \S+ \S+ Europe\/Luxembourg\)/,
    );
    const labels = times(why);
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(new Set(labels)).toEqual(new Set(['Europe/Luxembourg']));

    // Without a policy: the machine's zone, named.
    expect(new Set(times(weirIn('America/New_York', dir, 'why', 'report')))).toEqual(
      new Set(['America/New_York']),
    );
    expect(new Set(times(weirIn('UTC', dir, 'why', 'report')))).toEqual(new Set(['UTC']));
  });

  it('labels the zone of time columns and of a run’s log', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT('1') });
    weirIn('Asia/Tokyo', dir, 'materialize');
    expect(weirIn('Asia/Tokyo', dir, 'runs')).toMatch(
      /^RUN +STATUS +STARTED \(Asia\/Tokyo\) +TOOK/,
    );
    expect(weirIn('Asia/Tokyo', dir, 'history', 'readings')).toMatch(/^WHEN \(Asia\/Tokyo\) +RUN/);
    expect(weirIn('Asia/Tokyo', dir, 'logs')).toMatch(/· started \S+ \S+ Asia\/Tokyo\n/);
  });
});
