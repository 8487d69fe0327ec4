/**
 * Freshness per partition through the CLI: one agency feed, one dynamic partition per agency,
 * each agency on its own rhythm; judged at WEIR_NOW.
 */
import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson, writeFile } from './cli-helpers.js';

const PROJECT = `
import { defineProject, dynamicPartitions, fileVersion, type FreshnessPolicy, sourceAsset } from 'weir';

const CADENCE: Record<string, FreshnessPolicy> = { dcyf: { maxLag: '30d' }, sfhsa: { maxLag: '1d' } };
const inbox = new URL('./inbox/', import.meta.url).pathname;
export const feed = sourceAsset({
  key: 'agency_feed',
  partitions: dynamicPartitions('agencies'),
  freshness: { partitions: (agency) => CADENCE[agency] },
  observe: (ctx) => fileVersion(inbox + ctx.partition.key + '.csv'),
});
export default defineProject({ assets: [feed] });
`;

interface Outcome {
  status: string;
  overdueByMs: number;
  reason: string;
  lastUpdatedAt?: number;
}
interface StatusJson {
  key: string;
  status: string;
  freshness: Outcome | null;
  partitionFreshness?: Record<string, Outcome>;
}

const DAY = 86_400_000;

/** Runs `fn` with WEIR_NOW set. */
function at<T>(now: number, fn: () => T): T {
  process.env.WEIR_NOW = new Date(now).toISOString();
  try {
    return fn();
  } finally {
    delete process.env.WEIR_NOW;
  }
}

describe('freshness per partition through the CLI', () => {
  it('status, status --partitions, why --partition and history --freshness judge each agency on its own', () => {
    const dir = projectDir({
      'weir.config.ts': PROJECT,
      'inbox/dcyf.csv': 'dcyf,1\n',
      'inbox/sfhsa.csv': 'sfhsa,1\n',
      'inbox/other.csv': 'other,1\n',
    });
    expect(weir(dir, 'partitions', 'add', 'agencies', 'dcyf', 'sfhsa', 'other').code).toBe(0);
    expect(weir(dir, 'materialize').code).toBe(0);
    const [now] = weirJson<StatusJson[]>(dir, 'status');
    expect(now!.freshness?.status).toBe('fresh');
    expect(Object.keys(now!.partitionFreshness!)).toEqual(['dcyf', 'sfhsa']);
    // The later of the two files' times (sfhsa's may have been taken a millisecond after dcyf's).
    const sfhsaAt = now!.partitionFreshness!.sfhsa!.lastUpdatedAt!;
    const delivered = Math.max(now!.partitionFreshness!.dcyf!.lastUpdatedAt!, sfhsaAt);

    // Two days on, with the same files (observed again, not new): sfhsa is a day late.
    const later = delivered + 2 * DAY;
    const [feed] = at(later, () => weirJson<StatusJson[]>(dir, 'status'));
    expect(feed!.freshness).toMatchObject({
      status: 'overdue',
      overdueByMs: DAY + (delivered - sfhsaAt),
    });
    expect(feed!.freshness!.reason).toMatch(
      /^agency_feed\[sfhsa\] last changed 2d ago .* \(1 of 2 partitions overdue: sfhsa\)$/,
    );
    expect(feed!.partitionFreshness!.dcyf!.status).toBe('fresh');

    const text = at(later, () => weir(dir, 'status'));
    expect(text.stdout).toMatch(
      /agency_feed +fresh +fresh \(3\) +overdue by 1 d +agency_feed\[sfhsa\]/,
    );
    expect(text.stdout).toContain('1 overdue');

    const map = at(later, () => weir(dir, 'status', 'agency_feed', '--partitions')).stdout;
    expect(map).toContain('freshness per partition: 1 of 2 overdue');
    expect(map).toMatch(/^ {4}sfhsa +overdue by 1 d +last changed 2d ago/m);
    expect(map).toMatch(/^ {4}dcyf +on time +last changed 2d ago/m);

    const why = at(later, () => weir(dir, 'why', 'agency_feed', '--partition', 'dcyf')).stdout;
    expect(why).toMatch(/freshness: fresh, last changed 2d ago .*; overdue after/);
    const whyLate = at(later, () => weir(dir, 'why', 'agency_feed', '--partition', 'sfhsa')).stdout;
    expect(whyLate).toMatch(/freshness: overdue, last changed 2d ago .*overdue by 1d/);

    // `weir check` records freshness at the real time: the asset's and each partition's.
    expect(weir(dir, 'check').code).toBe(0);
    const own = weirJson<Array<{ partition: string; freshness: Outcome }>>(
      dir,
      'history',
      'agency_feed',
      '--freshness',
    );
    expect(own.map((e) => [e.partition, e.freshness.status])).toEqual([['', 'fresh']]);
    const partition = weirJson<Array<{ partition: string }>>(
      dir,
      'history',
      'agency_feed',
      '--freshness',
      '--partition',
      'sfhsa',
    );
    expect(partition.map((e) => e.partition)).toEqual(['sfhsa']);

    // sfhsa's new export is seen at once (observed now, not yet recorded): on time again.
    writeFile(`${dir}/inbox/sfhsa.csv`, 'sfhsa,2\n');
    const [delivered2] = at(later, () => weirJson<StatusJson[]>(dir, 'status'));
    expect(delivered2!.partitionFreshness!.sfhsa).toMatchObject({
      status: 'fresh',
      lastUpdatedAt: later,
    });
    expect(delivered2!.freshness!.status).toBe('fresh');
  });
});
