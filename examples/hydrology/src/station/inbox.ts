/**
 * The SaQC station's telemetry feed: one CSV file per month dropped in `inbox/` (the replay
 * tool, `bin/replay.mjs`, plays the station's two years back that way). Each month is a
 * partition of the source `station/inbox`; a month whose file has not arrived is observed as
 * `absent`, so its readers run on no readings instead of failing, and rerun when it arrives.
 */
import { readdir, stat } from 'node:fs/promises';
import { fileVersion, monthlyPartitions, sensor, sourceAsset } from 'weir';
import { INBOX, inboxFileOf } from '../paths.js';

const FIRST_MONTH = '2016-01';
const LAST_MONTH = '2017-12';

/** The station's operating period, one partition per calendar month (UTC). */
export const months = monthlyPartitions({ start: `${FIRST_MONTH}-01`, end: '2018-01-01' });

/** The data version of a month whose file has not been delivered. */
export const ABSENT = 'absent';

export const inbox = sourceAsset({
  key: 'station/inbox',
  group: 'station',
  description: 'The monthly telemetry files of the SaQC station, as delivered to inbox/',
  partitions: months,
  observe: async (ctx) => {
    const file = inboxFileOf(ctx.partition.key);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined) return { dataVersion: ABSENT, metadata: { file } };
    if (!info.isFile()) throw new Error(`${file} is not a file: move it out of the inbox`);
    return fileVersion(file);
  },
});

/**
 * Watches the inbox while `weir daemon` (or `weir dev`) runs: a new, changed or removed
 * monthly file is observed at once (a removed one as `absent`), and the eager assets
 * downstream bring exactly that month (and the month that reads it) up to date. A file is
 * looked at again when its size, modification or change time moves (a file moved back into
 * place keeps its modification time, not its change time).
 */
export const stationInbox = sensor({
  name: 'station_inbox',
  description: 'A new, changed or removed monthly file in inbox/',
  interval: '2s',
  poll: async (ctx) => {
    const seen = new Map<string, string>(ctx.cursor === undefined ? [] : JSON.parse(ctx.cursor));
    const present = await monthFiles();
    const observations = [];
    for (const [key, stamp] of present) {
      if (seen.get(key) === stamp || seen.get(key) === `unreadable ${stamp}`) continue;
      const file = inboxFileOf(key);
      try {
        if (stamp === NOT_A_FILE) throw new Error('not a file');
        const { dataVersion, metadata } = await fileVersion(file);
        observations.push({ asset: inbox, partition: key, dataVersion, metadata });
      } catch (error) {
        // One unreadable file must not hold up the others: said once, looked at again when
        // it changes (a chmod, a rewrite).
        ctx.log.warn(`cannot read ${file}: ${(error as Error).message}`);
        present.set(key, `unreadable ${stamp}`);
      }
    }
    for (const key of seen.keys()) {
      if (present.has(key)) continue;
      observations.push({
        asset: inbox,
        partition: key,
        dataVersion: ABSENT,
        metadata: { file: inboxFileOf(key) },
      });
    }
    const cursor = JSON.stringify([...present]);
    if (observations.length === 0) return cursor === ctx.cursor ? undefined : { cursor };
    return { cursor, observations };
  },
});

const NOT_A_FILE = 'not a file';

/** The month files in the inbox: partition key → size, modification and change time. */
async function monthFiles(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const names = await readdir(INBOX).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const month = /^(\d{4}-\d{2})\.csv$/.exec(name)?.[1];
    if (month === undefined || month < FIRST_MONTH || month > LAST_MONTH) continue;
    const key = `${month}-01`;
    const info = await stat(inboxFileOf(key)).catch(() => undefined);
    // Anything else under a month's name (a folder): the sensor says so once, the source refuses it.
    if (info !== undefined) {
      found.set(key, info.isFile() ? `${info.size}:${info.mtimeMs}:${info.ctimeMs}` : NOT_A_FILE);
    }
  }
  return found;
}
