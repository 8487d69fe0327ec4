// An agency's export through its layout's mapper: read, mapped record by record, with every
// problem reported by file and line, and the export's columns checked against what the
// mapping relies on.
import type { Organization } from '../model/index.js';
import type { SourceRecord } from '../read/index.js';
import { buildService } from './build-service.js';
import { fieldValue } from './field.js';
import { fromReadIssue, type MapIssue } from './map-issue.js';
import type { MappedService } from './mapped.js';
import type { Mapper } from './mapper.js';
import { readExport } from './read-export.js';

export interface ExportInput {
  /** The agency, e.g. `dc-211` (lower case, digits, dashes). */
  agency: string;
  /** The file's name as messages should show it. */
  file: string;
  bytes: Uint8Array;
}

export interface MappedExport {
  readonly agency: string;
  readonly layout: string;
  readonly file: string;
  /** What the reader assumed about the bytes (`UTF-8`, `Windows-1252 (…)`). */
  readonly encoding: string;
  readonly services: readonly MappedService[];
  /** Each organization once, as its first service has it. */
  readonly organizations: readonly Organization[];
  /** The export's columns (JSON paths, APD keys). */
  readonly columns: readonly string[];
  /** Columns the mapping relies on that the export lacks: it has drifted. */
  readonly missingColumns: readonly string[];
  /** Source records read, and those left out as not services (headings, examples). */
  readonly records: number;
  readonly skipped: number;
  /** Read and mapping problems, in file order. */
  readonly issues: readonly MapIssue[];
  /** Values whose garbled accents were repaired, and those flagged but left alone. */
  readonly repaired: number;
  readonly flagged: number;
}

const AGENCY = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function mapExport(mapper: Mapper, input: ExportInput): MappedExport {
  if (!AGENCY.test(input.agency)) {
    throw new TypeError(
      `agency ${JSON.stringify(input.agency)}: use lower case letters, digits and dashes (at most 63), e.g. 'sf-211'`,
    );
  }
  const table = readExport(mapper, input.bytes, input.file);
  const issues: MapIssue[] = table.issues.map(fromReadIssue);
  const services: MappedService[] = [];
  const seenIds = new Map<string, SourceRecord>();
  let skipped = 0;
  for (const record of table.records) {
    const why = mapper.skip?.(record);
    if (why !== undefined) {
      skipped++;
      continue;
    }
    const parts = mapper.services?.(record) ?? [record];
    let dropped = 0;
    for (const [index, part] of parts.entries()) {
      let recordId = fieldValue(part, mapper.recordId) ?? `line ${part.line}`;
      if (parts.length > 1 && mapper.recordId === undefined) recordId = `${recordId} #${index + 1}`;
      const earlier = seenIds.get(recordId);
      if (
        earlier !== undefined &&
        mapper.identicalRepeats === 'drop' &&
        sameFields(earlier, part)
      ) {
        issues.push({
          file: part.file,
          line: part.line,
          severity: 'warning',
          message: `record ${JSON.stringify(recordId)} repeats line ${earlier.line}'s verbatim: left out`,
        });
        dropped++;
        continue;
      }
      if (earlier !== undefined) {
        issues.push({
          file: part.file,
          line: part.line,
          severity: 'warning',
          message: `record id ${JSON.stringify(recordId)} repeats an earlier record's: this one is '${recordId} (line ${part.line})'`,
        });
        recordId = `${recordId} (line ${part.line})`;
      }
      seenIds.set(recordId, part);
      const mapped = buildService({ mapper, agency: input.agency, record: part, recordId, issues });
      if (mapped !== undefined) services.push(mapped);
    }
    if (dropped > 0 && dropped === parts.length) skipped++;
  }
  const columns = new Set(table.columns);
  return {
    agency: input.agency,
    layout: mapper.layout,
    file: input.file,
    encoding: table.encoding,
    services,
    organizations: uniqueOrganizations(services),
    columns: table.columns,
    missingColumns: mapper.requiredColumns.filter((column) => !columns.has(column)),
    records: table.records.length,
    skipped,
    issues: issues.sort((a, b) => a.line - b.line),
    repaired: table.repaired,
    flagged: table.flagged,
  };
}

/** The same fields with the same values (positions aside). */
function sameFields(a: SourceRecord, b: SourceRecord): boolean {
  const keys = Object.keys(a.fields);
  if (keys.length !== Object.keys(b.fields).length) return false;
  return keys.every((key) => a.fields[key] === b.fields[key]);
}

/** Each organization of `services` once (by id), as its first service has it. */
export function uniqueOrganizations(services: readonly MappedService[]): Organization[] {
  const byId = new Map<string, Organization>();
  for (const { service } of services) {
    const organization = service.organization;
    if (organization !== undefined && !byId.has(organization.id))
      byId.set(organization.id, organization);
  }
  return [...byId.values()];
}
