/**
 * The contracts of an agency's HSDS: valid against the specification, the export's layout as
 * the mapper knows it, and a plausible volume. Each is blocking, and each holds back only its
 * own agency: the directory keeps that agency's last good version and takes the others' new ones.
 */
import { validateRecords } from '@weir/hsds';
import { check } from 'weir';
import type { AgencyHsds } from './hsds.js';
import { isReviewed, reviewCommand } from './reviews.js';

/** At most this share of an agency's services may be invalid HSDS (default). */
const MAX_INVALID_SHARE = 0.02;
/** An export this much smaller than the usual is held for review. */
const MAX_DROP = 0.5;
/** How many accepted exports "the usual" is the median of. */
const VOLUME_WINDOW = 5;

export const hsdsValid = check<AgencyHsds>({
  name: 'hsds_valid',
  description: `Services valid against the HSDS 3.0 schemas (at most ${MAX_INVALID_SHARE * 100}% invalid, or the agency's own threshold)`,
  evaluate: (_ctx, value) => {
    const report = validateRecords(
      { service: value.services.map((s) => s.service) },
      { maxErrors: 10, recordName: (_record, index) => where(value, index) },
    );
    const invalid = report.tables.service?.invalid ?? 0;
    const allowed = value.maxInvalidShare ?? MAX_INVALID_SHARE;
    const share = value.services.length === 0 ? 0 : invalid / value.services.length;
    const metadata = {
      services: value.services.length,
      invalid,
      errors: report.errors.map((e) => e.message),
    };
    if (share <= allowed) return { passed: true, metadata };
    return {
      passed: false,
      message: `${invalid} of ${value.services.length} services (${percent(share)}) are not valid HSDS, more than the ${percent(allowed)} allowed; the first: ${report.errors[0]?.message}`,
      metadata,
    };
  },
});

function where(value: AgencyHsds, index: number): string {
  const source = value.services[index]?.source;
  return source === undefined ? `#${index}` : `${source.file}:${source.line} (${source.recordId})`;
}

export const exportSchema = check<AgencyHsds>({
  name: 'export_schema',
  history: 'partition',
  description:
    "The export's columns: none the mapping relies on missing, none dropped since the last accepted export",
  evaluate: async (ctx, value) => {
    const previous = ctx.previousResults.find((r) => r.passed)?.metadata.columns;
    const before = Array.isArray(previous) ? (previous as string[]) : undefined;
    const now = new Set(value.columns);
    const removed = before?.filter((c) => !now.has(c)) ?? [];
    const added = before === undefined ? [] : value.columns.filter((c) => !before.includes(c));
    const metadata = { columns: value.columns, added, removed, missing: value.missingColumns };
    // No records: the layout's columns are all "missing" and, after an accepted export, all
    // "dropped"; a list of every heading would hide the plain fact.
    if (value.records === 0) {
      const what =
        value.columns.length === 0
          ? `is empty (${value.bytes} bytes)`
          : `holds no records (${value.bytes} bytes)`;
      return {
        passed: false,
        message: `${value.file} ${what}: the agency sent an export without services; ask it for a complete one (the directory keeps its last accepted version meanwhile)`,
        metadata,
      };
    }
    if (value.missingColumns.length > 0) {
      return {
        passed: false,
        message: `${value.file} lacks ${quoted(value.missingColumns)}, which the ${value.layout} mapping reads${removed.length > 0 ? ` (since the last accepted export: removed ${quoted(removed)}${added.length > 0 ? `, added ${quoted(added)}` : ''})` : ''}: the agency renamed or dropped them; fix the export or the mapper`,
        metadata,
      };
    }
    const reviewed =
      removed.length > 0 ? await isReviewed(value.agency, value.exportVersion) : undefined;
    if (removed.length > 0 && reviewed === undefined) {
      return {
        passed: false,
        message: `${value.file} dropped ${quoted(removed)} since the last accepted export${added.length > 0 ? ` and added ${quoted(added)}` : ''}: a renamed column would lose data silently; check the export, then accept it with ${reviewCommand(value.agency, value.exportVersion)}`,
        metadata,
      };
    }
    const notes = [
      ...(reviewed === undefined
        ? []
        : [`dropped ${quoted(removed)}, accepted after review (${reviewed})`]),
      ...(added.length > 0 ? [`new columns ${quoted(added)} (not mapped)`] : []),
    ];
    return { passed: true, ...(notes.length > 0 ? { message: notes.join('; ') } : {}), metadata };
  },
});

export const volume = check<AgencyHsds>({
  name: 'volume',
  history: 'partition',
  description: `The number of services is not less than half the median of the last ${VOLUME_WINDOW} accepted exports (else held for review)`,
  evaluate: async (ctx, value) => {
    const counts = ctx.previousResults
      .filter((r) => r.passed && r.dataVersion !== undefined)
      .slice(0, VOLUME_WINDOW)
      .map((r) => r.metadata.services)
      .filter((n): n is number => typeof n === 'number');
    const services = value.services.length;
    const metadata = { services, baseline: counts.length === 0 ? null : median(counts) };
    if (counts.length === 0) return { passed: true, metadata };
    const baseline = median(counts);
    const drop = baseline === 0 ? 0 : (baseline - services) / baseline;
    if (drop <= MAX_DROP) return { passed: true, metadata };
    const reviewed = await isReviewed(value.agency, value.exportVersion);
    if (reviewed !== undefined) {
      return { passed: true, message: `accepted after review (${reviewed})`, metadata };
    }
    return {
      passed: false,
      message: `held for review: ${services} services is ${percent(drop)} below the median ${baseline} of the last ${counts.length} accepted exports; if the export is right, accept it with ${reviewCommand(value.agency, value.exportVersion)}`,
      metadata,
    };
  },
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

function quoted(columns: readonly string[]): string {
  return columns.map((c) => `'${c}'`).join(', ');
}
