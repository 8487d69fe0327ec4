/**
 * `hsds[agency]`: one agency's export as HSDS 3.0 services, through its layout's mapper. Its
 * blocking checks hold back only that agency: an export that is invalid, has drifted or
 * shrank is not built upon, and the directory keeps the agency's last good version.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { layouts, type MapIssue, type MappedService, mapExport } from '@weir/hsds';
import { asset, eager } from 'weir';
import type { Agency } from './agencies.js';
import { exportSchema, hsdsValid, volume } from './checks.js';
import { agencies, agencyEntry, agencyFeed, exportFileOf } from './feeds.js';

/** What `agency_entry` records of an agency's entry. */
type EntryMetadata = Pick<Agency, 'layout' | 'extension'> & { maxInvalidShare: number | null };

/** How many of an export's problems the artefact keeps (all are counted). */
const KEPT_ISSUES = 200;

export interface AgencyHsds {
  agency: string;
  layout: string;
  /** The agency's own threshold of invalid services, if its entry sets one. */
  maxInvalidShare: number | null;
  file: string;
  /** The export's size in bytes. */
  bytes: number;
  /** The SHA-256 of the export read: the feed's data version. */
  exportVersion: string;
  /** A hash of the services: what the directory compares to know whether this agency changed. */
  contentVersion: string;
  /** What the reader assumed about its bytes. */
  encoding: string;
  records: number;
  skipped: number;
  repaired: number;
  flagged: number;
  columns: string[];
  missingColumns: string[];
  issues: { total: number; errors: number; first: MapIssue[] };
  services: MappedService[];
}

export const hsds = asset({
  key: 'hsds',
  group: 'agencies',
  kinds: ['hsds'],
  description: "One agency's export as HSDS 3.0 services, with the line each came from",
  partitions: agencies,
  ins: { feed: agencyFeed, entry: agencyEntry },
  checks: [hsdsValid, exportSchema, volume],
  automation: eager(),
  materialize: async (ctx, { feed, entry }): Promise<AgencyHsds> => {
    const agency = ctx.partition.key;
    const { layout, extension, maxInvalidShare } = entry.metadata as EntryMetadata;
    const mapper = layouts[layout];
    if (mapper === undefined) {
      throw new Error(
        `agency '${agency}': layout '${layout}' is not one of @weir/hsds's layouts (${Object.keys(layouts).join(', ')})`,
      );
    }
    const path = await exportFileOf(agency, extension);
    const bytes = await readFile(path);
    const exportVersion = createHash('sha256').update(bytes).digest('hex');
    if (exportVersion !== feed.dataVersion) {
      throw new Error(
        `${path} changed after it was observed (${feed.dataVersion.slice(0, 12)} → ${exportVersion.slice(0, 12)}): the new export is read when it is observed (weir materialize observes it)`,
      );
    }
    const mapped = mapExport(mapper, { agency, file: basename(path), bytes });
    const errors = mapped.issues.filter((i) => i.severity === 'error').length;
    ctx.log.info(
      `${mapped.file}: ${mapped.services.length} services from ${mapped.records} records (${mapped.encoding}); ${mapped.issues.length} problems, ${errors} errors`,
    );
    const services = [...mapped.services];
    return {
      agency,
      layout: mapped.layout,
      maxInvalidShare,
      file: mapped.file,
      bytes: bytes.length,
      exportVersion,
      contentVersion: createHash('sha256').update(JSON.stringify(services)).digest('hex'),
      encoding: mapped.encoding,
      records: mapped.records,
      skipped: mapped.skipped,
      repaired: mapped.repaired,
      flagged: mapped.flagged,
      columns: [...mapped.columns],
      missingColumns: [...mapped.missingColumns],
      issues: { total: mapped.issues.length, errors, first: mapped.issues.slice(0, KEPT_ISSUES) },
      services,
    };
  },
});
