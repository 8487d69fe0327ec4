// Every real agency export through its layout's mapper, with a small table of what came out:
// records read, services mapped, how many are valid HSDS, issues reported and the time taken.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layouts, mapExport, validateRecords } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const EXPORTS = [
  { agency: 'dc-211', layout: 'icarol-211', file: '211.csv' },
  { agency: 'sf-211', layout: 'icarol-211-extended', file: 'sf_211.csv' },
  { agency: 'linksf', layout: 'linksf', file: 'linksf.json' },
  { agency: 'apd', layout: 'apd-directory', file: 'apd_export.txt' },
  { agency: 'dcyf', layout: 'dcyf-programs', file: 'dcyf_cms.csv' },
  { agency: 'wa-211', layout: 'openreferral-csv', file: 'wa211_dedup_training_set.csv' },
] as const;

describe.skipIf(noSocialData)(socialDataTitle('every real export through its mapper'), () => {
  it('maps all six exports to valid HSDS, and prints the figures', () => {
    const rows = EXPORTS.map(({ agency, layout, file }) => {
      const mapper = layouts[layout];
      if (mapper === undefined) throw new Error(`no layout ${layout}`);
      const bytes = readFileSync(socialData(`agencies/${file}`));
      const start = performance.now();
      const result = mapExport(mapper, { agency, file, bytes });
      const ms = performance.now() - start;
      const report = validateRecords({ service: result.services.map((s) => s.service) });
      return {
        agency,
        layout,
        records: result.records,
        services: result.services.length,
        valid: report.tables.service?.valid ?? 0,
        issues: result.issues.length,
        ms: Math.round(ms),
        missing: result.missingColumns,
      };
    });
    const header = ['agency', 'layout', 'records', 'services', 'valid', 'issues', 'ms'] as const;
    const cells = rows.map((row) => header.map((key) => String(row[key])));
    const widths = header.map((key, i) => Math.max(key.length, ...cells.map((c) => c[i]!.length)));
    const line = (values: readonly string[]) =>
      values.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
    console.log(
      [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'),
    );
    expect(Object.keys(layouts).sort()).toEqual(EXPORTS.map((e) => e.layout).sort());
    for (const row of rows) {
      expect(row.missing, row.agency).toEqual([]);
      expect(row.valid, row.agency).toBe(row.services);
      expect(row.services, row.agency).toBeGreaterThan(0);
    }
  });
});
