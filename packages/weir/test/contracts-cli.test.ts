import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson, writeFile } from './cli-helpers.js';

/** An agency directory feed whose schema and volume drift, as independent providers' do. */
const PROJECT = `
import { readFileSync } from 'node:fs';
import { asset, boundsCheck, defineProject, fileVersion, rowCountCheck, schemaCheck, sourceAsset, uniqueCheck } from 'weir';

const file = new URL('./data/services.json', import.meta.url).pathname;
const feed = sourceAsset({ key: 'raw/services_json', observe: () => fileVersion(file) });
export const services = asset({
  key: 'directory/services',
  deps: [feed],
  checks: [
    schemaCheck({ id: 'string', name: 'string', capacity: 'integer' }, { drift: 'warn' }),
    uniqueCheck('id'),
    boundsCheck('capacity', { min: 0 }),
    rowCountCheck({ maxDropFraction: 0.5, window: 10, severity: 'warn' }),
  ],
  materialize: () => JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>,
});
export const index = asset({
  key: 'directory/index',
  ins: { services },
  freshness: { maxLag: '6h' },
  materialize: (_ctx, { services }) => services.map((s) => String(s.name)).sort(),
});
export default defineProject({ assets: [feed, services, index] });
`;

const rows = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  JSON.stringify(
    Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      name: `Service ${i}`,
      capacity: i,
      ...extra(i),
    })),
  );

interface StatusJson {
  key: string;
  status: string;
  warnings: string[];
  freshness: { status: string; overdueByMs: number } | null;
  checks: Array<{
    name: string;
    passed: boolean;
    message?: string;
    metadata: Record<string, unknown>;
  }>;
}
const statusOf = (dir: string, key: string, env: Record<string, string> = {}) => {
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  try {
    return weirJson<StatusJson[]>(dir, 'status').find((s) => s.key === key)!;
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
};

describe('data contracts through the CLI', () => {
  it('reports schema drift with the exact added, removed and retyped columns', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/services.json': rows(20) });
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFile(
      `${dir}/data/services.json`,
      rows(20, (i) => ({ capacity: `${i} beds`, phone: '555-0100' })).replace(
        /"name":"[^"]*",/g,
        '',
      ),
    );
    const run = weir(dir, 'materialize');
    expect(run.code).toBe(1); // capacity is now a string: the schema contract fails and blocks
    expect(run.stdout).toContain('failed   directory/services: blocking check schema failed');
    expect(run.stderr).toContain(
      '✗ directory/services recorded, but blocking check schema, bounds_capacity failed: not used downstream',
    );
    expect(weir(dir, 'history', 'directory/services').stdout).toContain(
      'blocked by schema, bounds_capacity: not used',
    );
    expect(run.stdout).toContain(
      'skipped  directory/index: check schema on directory/services failed',
    );
    const services = statusOf(dir, 'directory/services');
    expect(services.status).toBe('failed');
    const schema = services.checks.find((c) => c.name === 'schema')!;
    expect(schema.passed).toBe(false);
    expect(schema.metadata.drift).toMatchObject({
      added: ['phone'],
      removed: ['name'],
      retyped: [{ column: 'capacity', from: 'number', to: 'string' }],
    });
    const index = statusOf(dir, 'directory/index');
    expect(index.status).toBe('stale'); // reads the last good services; says its upstream failed
  });

  it('flags a volume anomaly against the median of recent history, as a warning', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/services.json': rows(100) });
    for (const n of [100, 104, 98, 101]) {
      writeFile(`${dir}/data/services.json`, rows(n));
      expect(weir(dir, 'materialize').code).toBe(0);
    }
    writeFile(`${dir}/data/services.json`, rows(30));
    const run = weir(dir, 'materialize');
    expect(run.code).toBe(0); // a warning does not block
    const services = statusOf(dir, 'directory/services');
    expect(services.status).toBe('fresh');
    expect(services.warnings.join()).toMatch(
      /row_count warns: 30 rows is 70 % below the median 100/,
    );
    const check = weirJson<
      Array<{ assetKey: string; checks: Array<{ name: string; passed: boolean }> }>
    >(dir, 'check', 'directory/services');
    expect(check[0]!.checks.find((c) => c.name === 'row_count')!.passed).toBe(false);
  });

  it('shows an asset overdue once its freshness lag has passed, using an injectable clock', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'data/services.json': rows(5) });
    weir(dir, 'materialize');
    expect(statusOf(dir, 'directory/index').freshness?.status).toBe('fresh');
    const later = new Date(Date.now() + 8 * 3_600_000).toISOString();
    const overdue = statusOf(dir, 'directory/index', { WEIR_NOW: later });
    expect(overdue.freshness?.status).toBe('overdue');
    expect(overdue.freshness!.overdueByMs).toBeGreaterThan(1.9 * 3_600_000);
    process.env.WEIR_NOW = later;
    try {
      expect(weir(dir, 'status').stdout).toMatch(
        /directory\/index\s+fresh\s+overdue by (2 h|1 h 59 min)\s+up to date/,
      );
      expect(weir(dir, 'why', 'directory/index').stdout).toContain('freshness: overdue');
    } finally {
      delete process.env.WEIR_NOW;
    }
    expect(weir(dir, 'history', 'directory/index', '--checks', '--freshness').code).toBe(2);
    // Status reads; `weir check` evaluates on the clock and records freshness changes.
    expect(weir(dir, 'check', 'directory/index').code).toBe(0);
    const history = weirJson<Array<{ type: string; freshness: { status: string } }>>(
      dir,
      'history',
      'directory/index',
      '--freshness',
    );
    // Only judgements at the real time are history: the WEIR_NOW "what if" wrote nothing.
    expect(history.map((e) => e.freshness.status)).toEqual(['fresh']);
  });
});
