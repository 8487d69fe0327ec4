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
    const delivered = await stat(file).then(
      () => true,
      () => false,
    );
    return delivered ? fileVersion(file) : { dataVersion: ABSENT, metadata: { file } };
  },
});

/**
 * Watches the inbox while `weir daemon` (or `weir dev`) runs: a new or changed monthly file
 * is observed at once, and the eager assets downstream bring exactly that month (and the
 * months that read it) up to date.
 */
export const stationInbox = sensor({
  name: 'station_inbox',
  description: 'A new or changed monthly file in inbox/',
  interval: '2s',
  poll: async (ctx) => {
    const seen = new Map<string, string>(ctx.cursor === undefined ? [] : JSON.parse(ctx.cursor));
    const observations = [];
    const names = await readdir(INBOX).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const month = /^(\d{4}-\d{2})\.csv$/.exec(name)?.[1];
      if (month === undefined || month < FIRST_MONTH || month > LAST_MONTH) continue;
      const key = `${month}-01`;
      const file = inboxFileOf(key);
      const info = await stat(file).catch(() => undefined);
      if (info === undefined) continue;
      const stamp = `${info.size}:${info.mtimeMs}`;
      if (seen.get(file) === stamp) continue;
      seen.set(file, stamp);
      const { dataVersion, metadata } = await fileVersion(file);
      observations.push({ asset: inbox, partition: key, dataVersion, metadata });
    }
    if (observations.length === 0) return;
    return { cursor: JSON.stringify([...seen]), observations };
  },
});
