import { layouts, mapExport } from '@weir/hsds';
import { describe, expect, it } from 'vitest';
import { exportSchema } from '../src/checks.js';
import type { AgencyHsds } from '../src/hsds.js';

/** An agency's HSDS as `hsds` makes it, from `text` read with `layout`. */
function agencyHsds(layout: string, file: string, text: string): AgencyHsds {
  const bytes = new TextEncoder().encode(text);
  const mapped = mapExport(layouts[layout]!, { agency: 'apd', file, bytes });
  return {
    agency: 'apd',
    layout: mapped.layout,
    maxInvalidShare: null,
    file: mapped.file,
    bytes: bytes.length,
    exportVersion: 'e'.repeat(64),
    contentVersion: 'c'.repeat(64),
    encoding: mapped.encoding,
    records: mapped.records,
    skipped: mapped.skipped,
    repaired: mapped.repaired,
    flagged: mapped.flagged,
    columns: [...mapped.columns],
    missingColumns: [...mapped.missingColumns],
    issues: { total: 0, errors: 0, first: [] },
    services: [...mapped.services],
  };
}

async function schemaMessage(value: AgencyHsds, previousColumns?: string[]) {
  const previousResults =
    previousColumns === undefined
      ? []
      : [{ passed: true, metadata: { columns: previousColumns } } as never];
  const result = await exportSchema.evaluate(
    { assetKey: 'hsds', partition: 'apd', previousResults },
    value,
  );
  if (typeof result === 'boolean') throw new Error('expected a full result');
  return result;
}

describe('export_schema on an export without records', () => {
  it('says an empty export is empty, with its size, not a list of every column', async () => {
    for (const text of ['', '\n\n']) {
      const result = await schemaMessage(agencyHsds('apd-directory', 'apd.txt', text));
      expect(result.passed).toBe(false);
      expect(result.message).toMatch(
        new RegExp(
          `^apd\\.txt is empty \\(${text.length} bytes\\): the agency sent an export without services`,
        ),
      );
      expect(result.message).not.toContain("'");
    }
  });

  it('says a header-only export holds no records, even after an accepted one', async () => {
    const value = agencyHsds('dcyf-programs', 'dcyf.csv', 'Program Name,Agency\n');
    expect(value.records).toBe(0);
    const result = await schemaMessage(value, ['Program Name', 'Agency', 'Phone']);
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/^dcyf\.csv holds no records \(20 bytes\): /);
    expect(result.message).not.toContain("'Phone'");
  });
});
