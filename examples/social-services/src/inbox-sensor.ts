/**
 * Watches inbox/ while `weir daemon` runs. A file named after a registered agency with its
 * extension (`dc-211.csv`) is that agency's export: a new agency's first export adds its
 * partition (with its entry observed beside it), a new export is observed. Anything else (a
 * stray `dc-211.json`, an agency with no entry yet, a name that cannot be a partition key, an
 * upload in progress under a hidden name) is said once in the daemon's log and left alone, so
 * it neither stops the other agencies nor fakes a delivery.
 */
import { readdir, stat } from 'node:fs/promises';
import { fileVersion, type SensorObservation, sensor } from 'weir';
import { AGENCIES } from './agencies.js';
import { agencies, agencyEntry, agencyFeed, entryVersion, INBOX } from './feeds.js';

type Stamp = string;

export const agencyInbox = sensor({
  name: 'agency_inbox',
  description: "A new agency's first export, or a new export of a registered agency, in inbox/",
  interval: '5s',
  poll: async (ctx) => {
    const seen = new Map<string, Stamp>(ctx.cursor === undefined ? [] : JSON.parse(ctx.cursor));
    const now = new Map<string, Stamp>();
    const observations: SensorObservation[] = [];
    const added: string[] = [];
    for (const name of (await readdir(INBOX).catch(() => [] as string[])).sort()) {
      if (name.startsWith('.')) continue;
      const info = await stat(`${INBOX}/${name}`).catch(() => undefined);
      if (info === undefined || !info.isFile()) continue;
      const stamp = `${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
      now.set(name, stamp);
      if (seen.get(name) === stamp) continue;
      const problem = whyNotAnExport(name);
      if (problem !== undefined) {
        ctx.log.warn(`${INBOX}/${name} left alone: ${problem}`);
        continue;
      }
      const key = name.slice(0, name.lastIndexOf('.'));
      const { dataVersion, metadata } = await fileVersion(`${INBOX}/${name}`);
      if (!seen.has(name)) added.push(key);
      observations.push({ asset: agencyFeed, partition: key, dataVersion, metadata });
      observations.push({ asset: agencyEntry, partition: key, ...entryVersion(key) });
    }
    const cursor = JSON.stringify([...now]);
    if (observations.length === 0) return cursor === ctx.cursor ? undefined : { cursor };
    return {
      cursor,
      observations,
      ...(added.length === 0 ? {} : { dynamicPartitions: [{ name: agencies, add: added }] }),
    };
  },
});

/** Why a file in inbox/ is not an agency's export, or undefined when it is one. */
function whyNotAnExport(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  const key = dot < 0 ? name : name.slice(0, dot);
  const extension = dot < 0 ? '' : name.slice(dot + 1);
  const agency = AGENCIES[key];
  if (agency === undefined) {
    return `no agency '${key}' in src/agencies.ts (add its entry, or rename the file <agency>.<extension>)`;
  }
  if (extension !== agency.extension) {
    return `${key}'s exports are .${agency.extension} files (src/agencies.ts), not .${extension || '(none)'}`;
  }
  return undefined;
}
