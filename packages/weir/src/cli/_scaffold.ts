/**
 * @module cli/scaffold
 * The files `weir init` writes (all but package.json): a source file, two assets with a
 * blocking check, the pure code they call, and a test of both (vitest, which runs TypeScript
 * as it is; node:test on Node 20 would need a TypeScript loader or a build step).
 */

export const SCAFFOLD_DEV_DEPENDENCIES: Readonly<Record<string, string>> = {
  '@types/node': '^20.19.0',
  typescript: '^7.0.2',
  vitest: '^4.1.12',
};

export const SCAFFOLD_SCRIPTS: Readonly<Record<string, string>> = {
  materialize: 'weir materialize',
  status: 'weir status',
  test: 'vitest run',
  typecheck: 'tsc --noEmit',
};

/** Weir's dependencies with install scripts: SQLite's native binding and esbuild's binary check. */
export const SCAFFOLD_ALLOW_SCRIPTS: Readonly<Record<string, boolean>> = {
  'better-sqlite3': true,
  esbuild: true,
};

const CONFIG = `// A Weir project: the data that must exist, what each piece is made from, and what must be
// true about it. \`npx weir materialize\` makes it exist; \`npx weir status\`, \`npx weir why KEY\`
// and \`npx weir value KEY\` show where it stands. Edit data/rainfall.csv or src/rainfall.ts and
// only what depends on the change runs again.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { asset, boundsCheck, defineProject, fileVersion, sourceAsset } from 'weir';
import { parseReadings, type Reading, totalByStation } from './src/rainfall.js';

// Paths relative to this file, so the project runs from any folder (\`weir --project\`).
const CSV = fileURLToPath(new URL('./data/rainfall.csv', import.meta.url));

/** Data Weir observes but does not produce: its data version is the file's hash. */
export const rainfallCsv = sourceAsset({
  key: 'raw/rainfall_csv',
  description: 'Daily rainfall per station, as delivered',
  observe: () => fileVersion(CSV),
});

/** The readings; a negative amount fails the blocking check and stops everything downstream. */
export const readings = asset({
  key: 'rainfall/readings',
  description: 'Daily rainfall readings, parsed',
  deps: [rainfallCsv],
  checks: [boundsCheck('mm', { min: 0 })],
  materialize: async (): Promise<Reading[]> => parseReadings(await readFile(CSV, 'utf8')),
});

/** Millimetres per station: \`readings\` arrives typed as Reading[]. */
export const totals = asset({
  key: 'rainfall/totals',
  description: 'Total rainfall per station',
  ins: { readings },
  materialize: (ctx, { readings }) => {
    ctx.log.info('summing', { readings: readings.length });
    return totalByStation(readings);
  },
});

export default defineProject({ assets: [rainfallCsv, readings, totals] });
`;

const CODE = `/** Rainfall readings: parsing the delivered CSV and summing it per station. */

export interface Reading {
  station: string;
  date: string;
  mm: number;
}

/** Rows of \`station,date,mm\` after a header line. */
export function parseReadings(csv: string): Reading[] {
  return csv
    .trim()
    .split('\\n')
    .slice(1)
    .map((line) => {
      const [station = '', date = '', mm = ''] = line.split(',');
      return { station, date, mm: Number(mm) };
    });
}

/** Millimetres per station, to 0.1 mm. */
export function totalByStation(readings: readonly Reading[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const { station, mm } of readings) totals[station] = (totals[station] ?? 0) + mm;
  for (const station of Object.keys(totals)) {
    totals[station] = Math.round((totals[station] ?? 0) * 10) / 10;
  }
  return totals;
}
`;

const DATA = `station,date,mm
north,2024-06-01,4.2
north,2024-06-02,0
south,2024-06-01,12.5
south,2024-06-02,3.1
`;

const TEST = `import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetValue, materialize, openInstance } from 'weir';
import { parseReadings, totalByStation } from '../src/rainfall.js';
import project from '../weir.config.js';

describe('rainfall', () => {
  it('sums readings per station', () => {
    const readings = parseReadings('station,date,mm\\nnorth,2024-06-01,4.5\\nnorth,2024-06-02,1\\n');
    expect(totalByStation(readings)).toEqual({ north: 5.5 });
  });

  it('materializes the whole project in a throwaway instance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-test-'));
    const instance = openInstance({ dir });
    try {
      const run = await materialize(project, { instance });
      expect(run.status).toBe('success');
      const totals = await assetValue(project, { instance, key: 'rainfall/totals' });
      expect(totals.value).toEqual({ north: 4.2, south: 15.6 });
    } finally {
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "noEmit": true,
    "types": ["node"]
  },
  "include": ["weir.config.ts", "src", "test"]
}
`;

const GITIGNORE = `node_modules/
# Weir's instance: the event log, stored artefacts and caches of this machine.
.weir/
`;

/** The files `weir init` writes besides package.json, by path relative to the project folder. */
export const SCAFFOLD_FILES: Readonly<Record<string, string>> = {
  'weir.config.ts': CONFIG,
  'src/rainfall.ts': CODE,
  'data/rainfall.csv': DATA,
  'test/rainfall.test.ts': TEST,
  'tsconfig.json': TSCONFIG,
  '.gitignore': GITIGNORE,
};
