import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Output } from '../src/cli/format.js';
import { main } from '../src/cli/main.js';
import { projectDir, weir } from './cli-helpers.js';

const PROJECT = `
import { writeFile } from 'node:fs/promises';
import { asset, check, defineProject, staticPartitions } from 'weir';

export const totals = asset({
  key: 'sales/totals',
  checks: [check({ name: 'positive', evaluate: (_ctx, t: Record<string, number>) => Object.values(t).every((n) => n > 0) })],
  materialize: () => ({ north: Number(process.env.NORTH ?? 3), south: 4 }),
});
export const tile = asset({ key: 'geo/tile', io: 'bytes', materialize: () => new Uint8Array([0, 1, 2, 255]) });
export const report = asset({
  key: 'reports/summary',
  io: 'files',
  ins: { totals },
  materialize: async (ctx, { totals }) => writeFile(ctx.outputPath, JSON.stringify(totals)),
});
export const perRegion = asset({
  key: 'sales/per_region',
  partitions: staticPartitions(['north', 'south']),
  materialize: (ctx) => ctx.partition.key.toUpperCase(),
});
export default defineProject({ assets: [totals, tile, report, perRegion] });
`;

const WEIR = fileURLToPath(new URL('../bin/weir.js', import.meta.url));

/** `weir ARGS` with stdout as raw bytes. */
function weirBytes(cwd: string, ...args: string[]): { code: number; stdout: Buffer } {
  const result = spawnSync(process.execPath, [WEIR, ...args], { cwd });
  return { code: result.status ?? -1, stdout: result.stdout };
}

describe('weir value', () => {
  it('prints JSON as JSON, bytes raw, files as their path, and --json with provenance', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    expect(weir(dir, 'materialize', 'sales/totals,geo/tile,reports/summary').code).toBe(0);

    const json = weir(dir, 'value', 'sales/totals');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ north: 3, south: 4 });

    const bytes = weirBytes(dir, 'value', 'geo/tile');
    expect(bytes.code).toBe(0);
    expect([...bytes.stdout]).toEqual([0, 1, 2, 255]);

    const path = weir(dir, 'value', 'reports/summary');
    expect(path.code).toBe(0);
    expect(path.stdout).toMatch(/\.weir\/artefacts\/objects\/[0-9a-f]{2}\/[0-9a-f]{64}\n$/);
    expect(JSON.parse(readFileSync(path.stdout.trim(), 'utf8'))).toEqual({ north: 3, south: 4 });

    const wrapped = JSON.parse(weir(dir, 'value', 'sales/totals', '--json').stdout);
    expect(wrapped).toMatchObject({
      key: 'sales/totals',
      partition: '',
      format: 'json',
      value: { north: 3, south: 4 },
    });
    expect(wrapped.dataVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(wrapped.materializationId).toBeTypeOf('number');
    const history = JSON.parse(weir(dir, 'history', 'sales/totals', '--json').stdout);
    expect(wrapped.materializationId).toBe(history[0].id);
    const tile = JSON.parse(weir(dir, 'value', 'geo/tile', '--json').stdout);
    expect(tile).toMatchObject({ format: 'bytes', encoding: 'base64', value: 'AAEC/w==' });
  });

  it('reads the usable value, one partition, and says clearly what is missing (exit 1)', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    const never = weir(dir, 'value', 'sales/totals');
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('error: sales/totals has not been materialized yet');
    expect(never.stderr).toContain('hint: weir materialize sales/totals');

    expect(weir(dir, 'materialize', 'sales/totals').code).toBe(0);
    // A blocked rematerialization is not what consumers read: value shows the good one.
    const bad = spawnSync(process.execPath, [WEIR, 'materialize', 'sales/totals', '--force'], {
      cwd: dir,
      env: { ...process.env, NORTH: '-1' },
    });
    expect(bad.status).toBe(1);
    expect(JSON.parse(weir(dir, 'value', 'sales/totals').stdout)).toEqual({ north: 3, south: 4 });

    expect(weir(dir, 'materialize', 'sales/per_region', '--partition', 'south').code).toBe(0);
    expect(weir(dir, 'value', 'sales/per_region', '--partition', 'south').stdout).toBe('"SOUTH"\n');
    const north = weir(dir, 'value', 'sales/per_region', '--partition', 'north');
    expect(north.code).toBe(1);
    expect(north.stderr).toContain('sales/per_region[north] has not been materialized yet');
    const east = weir(dir, 'value', 'sales/per_region', '--partition', 'east');
    expect(east.code).toBe(1);
    expect(east.stderr).toContain("asset 'sales/per_region' has no partition 'east'");
    const whole = weir(dir, 'value', 'sales/per_region');
    expect(whole.code).toBe(1);
    expect(whole.stderr).toContain('hint: weir value sales/per_region --partition south');

    const unknown = weir(dir, 'value', 'sales/total');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("did you mean 'sales/totals'");
    expect(weir(dir, 'value').code).toBe(2);
    expect(weir(dir, 'value', 'a', 'b').code).toBe(2);
  });

  it('refuses to print bytes on a terminal, with a hint', async () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT });
    expect(weir(dir, 'materialize', 'geo/tile').code).toBe(0);
    const written: Uint8Array[] = [];
    let err = '';
    const terminal: Output = {
      out: () => {},
      err: (text) => {
        err += text;
      },
      bytes: async (data) => {
        written.push(data);
      },
      color: false,
      tty: true,
    };
    const code = await main(['value', 'geo/tile'], { output: terminal, cwd: dir });
    expect(code).toBe(2);
    expect(written).toEqual([]);
    expect(err).toContain('geo/tile holds 4 bytes of binary data: not printing them to a terminal');
    expect(err).toContain('hint: redirect them: weir value geo/tile > FILE');
  });
});
