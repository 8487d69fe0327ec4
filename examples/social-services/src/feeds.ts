/**
 * Each agency's export as delivered: `inbox/<agency>.<ext>`, one dynamic partition per agency.
 * The folder sensor adds an agency when its first export lands and observes each new export
 * (its version is the file's SHA-256), so a new export of one agency makes exactly its own
 * partitions stale. An export taken away changes nothing: the last one read stays current,
 * and the agency's freshness policy says when it is overdue.
 */
import { readdir } from 'node:fs/promises';
import { dynamicPartitions, fileVersion, folderSensor, sourceAsset } from 'weir';
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
    const file = await exportFileOf(ctx.partition.key);
    return fileVersion(file);
  },
});

/** Watches inbox/ while `weir daemon` runs: a new agency or a new export is observed at once. */
export const agencyInbox = folderSensor({
  name: 'agency_inbox',
  description: "A new agency's first export, or a new export of a known agency, in inbox/",
  path: INBOX,
  pattern: '*.*',
  interval: '5s',
  source: agencyFeed,
  partitions: agencies,
  partitionKey: (path) => path.replace(/\.[^.]*$/, ''),
});

/** The agency's export in inbox/, with the extension its entry names. */
export async function exportFileOf(key: string): Promise<string> {
  const { extension } = agencyOf(key);
  const file = `${INBOX}/${key}.${extension}`;
  const names = await readdir(INBOX).catch(() => [] as string[]);
  if (!names.includes(`${key}.${extension}`)) {
    throw new Error(
      `${file} is missing: the last export read stays current; put the agency's export back, or run \`node bin/setup.mjs\` for the example's`,
    );
  }
  return file;
}
