/**
 * End to end through the `weir` command, as a user runs it: a project whose Python asset
 * (pythonStep, importing @weir/pipes' built package) reads a TypeScript asset and feeds
 * another; its log, check, value, staleness after an edit of the script, and a failure. And
 * the npm package: packed, unpacked outside this repository and used from there, a Python
 * step finds the weir_pipes.py it carries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WEIR = join(ROOT, 'packages', 'weir', 'bin', 'weir.js');
const PACKAGE = join(ROOT, 'packages', 'pipes');
// Inside the workspace, so the project's imports of weir and @weir/pipes resolve.
const PROJECT = fileURLToPath(
  new URL(`../.test-projects/cli-${process.pid}-${Date.now().toString(36)}/`, import.meta.url),
);

const CONFIG = `
import { asset, defineProject } from 'weir';
import { pythonStep, reportedCheck } from '@weir/pipes';

interface Reading {
  station: string;
  stage_m: number;
}

const readings = asset({
  key: 'gauges/readings',
  materialize: (): Reading[] => [
    { station: 'ATT-01', stage_m: 1.5 },
    { station: 'ATT-02', stage_m: 3.25 },
  ],
});

const peakStep = pythonStep<{ peak_m: number; station: string }>({
  script: 'scripts/peak.py',
  params: { flood_stage_m: 3.2 },
});

const peak = asset({
  key: 'gauges/peak',
  ins: { readings },
  codeVersion: peakStep.codeVersion,
  checks: [reportedCheck('below_flood_stage', { severity: 'warn' })],
  materialize: peakStep,
});

const report = asset({
  key: 'gauges/report',
  ins: { peak },
  materialize: (_ctx, { peak }) => \`peak \${peak.peak_m} m at \${peak.station}\`,
});

export default defineProject({ assets: [readings, peak, report] });
`;

const PEAK = `
import weir_pipes

with weir_pipes.open() as ctx:
    rows = ctx.inputs["readings"]
    ctx.log.info("read %d readings" % len(rows))
    top = max(rows, key=lambda r: r["stage_m"])
    ctx.report_metadata({"rows": len(rows)})
    ctx.report_check(
        "below_flood_stage",
        top["stage_m"] < ctx.params["flood_stage_m"],
        message="peak %.2f m at %s" % (top["stage_m"], top["station"]),
    )
    ctx.report_output({"peak_m": top["stage_m"], "station": top["station"]})
`;

const BROKEN = `
import weir_pipes

def peak_of(rows):
    return max(r["stage"] for r in rows)

with weir_pipes.open() as ctx:
    ctx.report_output({"peak_m": peak_of(ctx.inputs["readings"])})
`;

function weir(...args: string[]) {
  // From the repository root: --project names the folder, and the relative script path
  // still counts from the project (the command moves into it).
  const result = spawnSync(process.execPath, [WEIR, ...args, '--project', PROJECT], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // The project imports @weir/pipes as a user does: its built package.
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'packages', 'pipes', 'scripts', 'build.mjs')],
    {
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`building @weir/pipes failed: ${build.stderr}`);
  mkdirSync(join(PROJECT, 'scripts'), { recursive: true });
  writeFileSync(join(PROJECT, 'weir.config.ts'), CONFIG);
  writeFileSync(join(PROJECT, 'scripts', 'peak.py'), PEAK);
});
const dir = mkdtempSync(join(tmpdir(), 'weir-pipes-package-'));
afterAll(() => {
  rmSync(PROJECT, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('weir materialize with a Python asset', () => {
  it('runs the script between two TypeScript assets, with its log, check and value', () => {
    const run = weir('materialize');
    expect(run.code).toBe(0);
    // Progress, with the step's warnings as they come, goes to stderr.
    expect(run.stderr).toContain(
      '  [gauges/peak] warn: check below_flood_stage failed: peak 3.25 m at ATT-02\n✓ gauges/peak',
    );
    expect(run.stdout).toMatch(/success: 3 materialized/);

    expect(JSON.parse(weir('value', 'gauges/report').stdout)).toBe('peak 3.25 m at ATT-02');
    expect(JSON.parse(weir('value', 'gauges/peak').stdout)).toEqual({
      peak_m: 3.25,
      station: 'ATT-02',
    });

    const logs = weir('logs');
    expect(logs.stdout).toContain('gauges/peak: info read 2 readings');
    expect(logs.stdout).toContain(
      'gauges/peak: warn check below_flood_stage failed: peak 3.25 m at ATT-02',
    );

    const status = weir('status');
    expect(status.stdout).toMatch(
      /gauges\/peak\s+fresh\s+up to date; check below_flood_stage warns: peak 3\.25 m at ATT-02/,
    );
  });

  it('makes the asset stale when the script changes, and fails with the traceback when it breaks', () => {
    writeFileSync(join(PROJECT, 'scripts', 'peak.py'), BROKEN);
    expect(weir('status').stdout).toMatch(/gauges\/peak\s+stale\s+code version changed/);

    const run = weir('materialize');
    expect(run.code).toBe(1);
    const script = join(PROJECT, 'scripts', 'peak.py');
    const reason =
      "python script scripts/peak.py exited with code 1: KeyError: 'stage' (in <genexpr>, scripts/peak.py line 5)";
    expect(run.stdout).toContain(
      [
        `  failed   gauges/peak: ${reason}`,
        '  skipped  gauges/report: upstream gauges/peak failed',
      ].join('\n'),
    );
    // No stack of Weir's or Node's anywhere in what the user sees.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\.(ts|js):\d+|node:internal/);
    expect(weir('status').stdout).toMatch(
      /gauges\/peak\s+failed\s+last attempt failed in run \S+: asset 'gauges\/peak' failed: python script scripts\/peak\.py exited with code 1: KeyError: 'stage'/,
    );
    // The log has the exception once, with the whole traceback once.
    const logs = weir('logs').stdout;
    expect(logs).toContain(
      [
        `gauges/peak: failed ${reason}`,
        '            Traceback (most recent call last):',
        `              File "${script}", line 8, in <module>`,
      ].join('\n'),
    );
    expect(logs.split('Traceback (most recent call last)').length).toBe(2);
    expect(logs.split("KeyError: 'stage'").length).toBe(3); // the reason, the traceback's end
    // The value downstream reads is still the last good one.
    expect(JSON.parse(weir('value', 'gauges/report').stdout)).toBe('peak 3.25 m at ATT-02');
  });
});

describe('the npm package', () => {
  it('ships weir_pipes.py and finds it inside the installed package', () => {
    // Built by beforeAll (packing here would rebuild dist/ under the command the other tests run).
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
        cwd: PACKAGE,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/python/weir_pipes.py');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/types/index.d.ts');

    const installed = join(dir, 'node_modules', '@weir', 'pipes');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', [
      '-xzf',
      join(dir, packed[0]!.filename),
      '-C',
      installed,
      '--strip-components=1',
    ]);
    symlinkSync(join(ROOT, 'packages', 'weir'), join(dir, 'node_modules', 'weir'));
    writeFileSync(
      join(dir, 'step.py'),
      'import os, weir_pipes\nwith weir_pipes.open() as ctx:\n    ctx.report_output(weir_pipes.__file__)\n',
    );
    writeFileSync(
      join(dir, 'main.mjs'),
      `import { pythonStep } from '@weir/pipes';
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const ctx = { key: 'k', runId: 'r', attempt: 1, codeVersion: 'c', log, signal: new AbortController().signal, addMetadata() {}, setDataVersion() {} };
  process.stdout.write(await pythonStep({ script: 'step.py' })(ctx, {}));
  `,
    );
    const run = spawnSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(join(installed, 'dist', 'python', 'weir_pipes.py'));
  });
});
