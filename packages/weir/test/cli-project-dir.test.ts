/**
 * `--project` from another folder: relative paths in user code (the README's
 * `data/readings.csv`) name files of the project, not of the folder weir was started in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectDir, weir, writeFile } from './cli-helpers.js';

const elsewhere = mkdtempSync(join(tmpdir(), 'weir-elsewhere-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

describe('weir --project PATH from another folder', () => {
  it('resolves relative paths in user code against the project folder', () => {
    const dir = projectDir({
      'weir.config.ts': `import { readFile } from 'node:fs/promises';
import { asset, defineProject, fileVersion, sourceAsset } from 'weir';

const readingsCsv = sourceAsset({ key: 'raw/readings_csv', observe: () => fileVersion('data/readings.csv') });
const readings = asset({
  key: 'gauges/readings',
  deps: [readingsCsv],
  materialize: async () => (await readFile('data/readings.csv', 'utf8')).trim().split('\\n').length,
});
export default defineProject({ assets: [readingsCsv, readings] });
`,
      'data/readings.csv': 'station,time,stage\nATT-03,2024-01-07T23:00:00Z,2.70\n',
    });
    const first = weir(elsewhere, 'materialize', '--project', dir);
    expect([first.code, first.stdout]).toEqual([0, expect.stringContaining('1 materialized')]);
    writeFile(
      join(dir, 'data/readings.csv'),
      'station,time,stage\nATT-03,2024-01-07T23:00:00Z,2.70\nATT-03,2024-01-08T00:00:00Z,2.80\n',
    );
    const status = weir(elsewhere, 'status', '--project', dir);
    expect(status.stdout).toMatch(/gauges\/readings\s+stale/);
    const value = weir(elsewhere, 'why', 'gauges/readings', '--project', dir);
    expect(value.code).toBe(0);
  });
});
