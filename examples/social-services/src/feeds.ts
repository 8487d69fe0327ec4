/**
 * Each agency's export as delivered: `inbox/<agency>.<ext>`, one dynamic partition per agency.
 * The inbox sensor (src/inbox-sensor.ts) adds an agency when its first export lands and observes
 * each new export (its version is the file's SHA-256), so a new export of one agency makes exactly its own
 * partitions stale. An export taken away changes nothing: the last one read stays current,
 * and the agency's freshness policy says when it is overdue.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { dynamicPartitions, fileVersion, type Metadata, sourceAsset } from 'weir';
import { AGENCIES, agencyOf } from './agencies.js';

export const INBOX = 'inbox';

/** One partition per agency that has delivered an export. */
export const agencies = dynamicPartitions('agencies');

export const agencyFeed = sourceAsset({
  key: 'agency_feed',
  group: 'feeds',
  description: "An agency's export as delivered to inbox/, one partition per agency",
  partitions: agencies,
  freshness: { partitions: (key) => AGENCIES[key]?.delivers },
  observe: async (ctx) => {
    const { extension } = agencyOf(ctx.partition.key);
    return fileVersion(await exportFileOf(ctx.partition.key, extension));
  },
});

/**
 * Each agency's entry in src/agencies.ts as data (its layout, extension, invalid-share
 * threshold), so that `hsds` reads it as an input instead of as code: a new or changed entry
 * makes only its own agency stale, not every agency's mapping. Its rhythm is left out: a new
 * rhythm changes freshness, not data.
 */
export const agencyEntry = sourceAsset({
  key: 'agency_entry',
  group: 'feeds',
  description: "An agency's entry in src/agencies.ts: the layout of its export and its thresholds",
  partitions: agencies,
  observe: (ctx) => entryVersion(ctx.partition.key),
});

/** The version of an agency's entry: a hash of what `hsds` reads of it. */
export function entryVersion(key: string): { dataVersion: string; metadata: Metadata } {
  const { layout, extension, maxInvalidShare } = agencyOf(key);
  const metadata = { layout, extension, maxInvalidShare: maxInvalidShare ?? null };
  return {
    dataVersion: createHash('sha256').update(JSON.stringify(metadata)).digest('hex'),
    metadata,
  };
}

/** The agency's export in inbox/, with the extension its entry names. */
export async function exportFileOf(key: string, extension: string): Promise<string> {
  const file = `${INBOX}/${key}.${extension}`;
  const names = await readdir(INBOX).catch(() => [] as string[]);
  if (!names.includes(`${key}.${extension}`)) {
    throw new Error(
      `${file} is missing: the last export read stays current; put the agency's export back, or run \`node bin/setup.mjs\` for the example's`,
    );
  }
  return file;
}
