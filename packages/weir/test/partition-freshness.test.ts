/**
 * Freshness per partition (`freshness: { partitions: (key) => policy }`): each partition of a
 * partitioned asset or source is judged against its own last update, and the asset as a whole
 * is as overdue as its most overdue partition.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluateFreshness } from '../src/definitions/freshness.js';
import {
  addDynamicPartitions,
  asset,
  assetStatus,
  defineProject,
  dynamicPartitions,
  explain,
  type FreshnessPolicy,
  materialize,
  recordFreshness,
  removeDynamicPartitions,
  sourceAsset,
  staticPartitions,
} from '../src/index.js';
import { projectDir, weir } from './cli-helpers.js';
import { definitionError, tempInstance } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t = (iso: string) => Date.parse(iso);

afterEach(() => {
  vi.useRealTimers();
});

/** Runs `fn` with `Date.now()` at `iso` (timers stay real). */
async function at<T>(iso: string | number, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(typeof iso === 'number' ? iso : t(iso));
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

const CADENCE: Record<string, FreshnessPolicy> = {
  dcyf: { maxLag: '30d' },
  sfhsa: { maxLag: '1d' },
  late: { maxLag: '1d' },
};

/** One agency's export per dynamic partition, each agency on its own rhythm. */
function feedProject(versions: Map<string, string>) {
  const agencies = dynamicPartitions('agencies');
  const feed = sourceAsset({
    key: 'agency_feed',
    partitions: agencies,
    freshness: { partitions: (agency) => CADENCE[agency] },
    observe: (ctx) => versions.get(ctx.partition.key) ?? 'v0',
  });
  return defineProject({ assets: [feed] });
}

describe('freshness per partition: definitions', () => {
  const parts = staticPartitions(['a', 'b']);

  it('rejects a malformed policy per partition when the asset is defined', () => {
    const cases: Array<[() => unknown, string]> = [
      [
        () =>
          asset({
            key: 'x',
            partitions: parts,
            freshness: { partitions: 'daily' } as never,
            materialize: () => 1,
          }),
        "asset 'x' has an invalid freshness policy: partitions must be a function from a partition key to a policy (or undefined)",
      ],
      [
        () =>
          asset({
            key: 'x',
            partitions: parts,
            freshness: { partitions: () => undefined, maxLag: '1h' } as never,
            materialize: () => 1,
          }),
        "asset 'x' has an invalid freshness policy: partitions cannot be combined with 'maxLag'",
      ],
      [
        () =>
          asset({
            key: 'x',
            freshness: { partitions: () => ({ maxLag: '1h' }) },
            materialize: () => 1,
          }),
        "asset 'x' has an invalid freshness policy: it gives a policy per partition but has no partitions",
      ],
      [
        () =>
          sourceAsset({
            key: 'feed',
            freshness: { partitions: () => ({ maxLag: '1h' }) },
            observe: () => 'v',
          }),
        "source asset 'feed' has an invalid freshness policy: it gives a policy per partition but has no partitions",
      ],
      [
        () =>
          asset({
            key: 'x',
            partitions: parts,
            freshness: { partition: () => undefined } as never,
            materialize: () => 1,
          }),
        "asset 'x' has an invalid freshness policy: unknown option 'partition'",
      ],
    ];
    for (const [define, message] of cases) expect(definitionError(define).message).toBe(message);
    expect(
      definitionError(() =>
        asset({
          key: 'x',
          partitions: parts,
          freshness: { partition: () => undefined } as never,
          materialize: () => 1,
        }),
      ).hint,
    ).toContain("'partitions'");
  });

  it('a policy that throws or is invalid for one partition makes only its freshness unknown, naming the asset, partition and error', async () => {
    const instance = tempInstance();
    const NOW = t('2024-06-01T12:00:00Z');
    const bad = asset({
      key: 'x',
      partitions: parts,
      freshness: {
        partitions: (key) => (key === 'b' ? ({ maxlag: '1d' } as never) : { maxLag: '1d' }),
      },
      materialize: () => 1,
    });
    const throwing = asset({
      key: 'y',
      partitions: parts,
      freshness: {
        partitions: (key) => {
          if (key === 'a') throw new Error('no cadence known');
          return { maxLag: '1d' };
        },
      },
      materialize: () => 1,
    });
    const project = defineProject({ assets: [bad, throwing] });
    const [x, y] = await assetStatus(project, { instance, now: NOW });
    expect(x!.partitionFreshness!.get('b')).toEqual({
      status: 'unknown',
      overdueByMs: 0,
      reason:
        "freshness cannot be judged: asset 'x' partition 'b' has an invalid freshness policy: unknown option 'maxlag'",
    });
    expect(x!.partitionFreshness!.get('a')?.status).toBe('overdue');
    expect(y!.partitionFreshness!.get('a')).toMatchObject({
      status: 'unknown',
      reason:
        "freshness cannot be judged: asset 'y' partition 'a': freshness.partitions threw: no cadence known",
    });
    expect(y!.partitionFreshness!.get('b')?.status).toBe('overdue');
    // Runs go on: every partition of both assets materializes.
    const run = await materialize(project, { instance });
    expect(run.status).toBe('success');
    const [, after] = await assetStatus(project, { instance });
    expect(after!.partitionFreshness!.get('a')?.status).toBe('unknown');
    expect(after!.partitionFreshness!.get('b')?.status).toBe('fresh');
    expect(after!.freshness?.reason).toContain("y[a] freshness cannot be judged: asset 'y'");
  });

  it('weir materialize and weir status go on when one partition’s policy throws; status shows it', () => {
    const dir = projectDir({
      'weir.config.ts': `
import { asset, defineProject, sourceAsset, staticPartitions } from 'weir';
const parts = staticPartitions(['ok', 'boom']);
export const src = sourceAsset({
  key: 'src',
  partitions: parts,
  freshness: {
    partitions: (key) => {
      if (key === 'boom') throw new Error('no cadence for boom');
      return { maxLag: '1d' };
    },
  },
  observe: (ctx) => 'v-' + ctx.partition.key,
});
export const out = asset({ key: 'out', partitions: parts, ins: { src }, materialize: () => 1 });
export default defineProject({ assets: [src, out] });
`,
    });
    const run = weir(dir, 'materialize');
    expect(run.stderr).not.toContain('error');
    expect(run.code, run.stderr).toBe(0);
    const all = weir(dir, 'status');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(
      /^src +fresh +fresh \(2\) +unknown +src\[boom\] freshness cannot be judged: source asset 'src' partition 'boom': freshness.partitions threw: no cadence for boom \(none of 2 partitions overdue\)$/m,
    );
    const status = weir(dir, 'status', 'src', '--partitions');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(
      'freshness per partition: 2 with a policy, none overdue, 1 unknown',
    );
    expect(status.stdout).toContain(
      "freshness cannot be judged: source asset 'src' partition 'boom': freshness.partitions threw: no cadence for boom",
    );
  });
});

describe('freshness per partition: a partitioned source', () => {
  it('judges each agency by when its current export first arrived; the asset by the most overdue', async () => {
    const instance = tempInstance();
    const versions = new Map([
      ['dcyf', 'd1'],
      ['sfhsa', 's1'],
      ['other', 'o1'],
    ]);
    const project = feedProject(versions);
    await addDynamicPartitions(instance, 'agencies', ['dcyf', 'sfhsa', 'other']);
    await at('2024-03-01T00:00:00Z', () => materialize(project, { instance }));
    // dcyf re-delivers the same export on day 39: that is no new data.
    versions.set('sfhsa', 's2');
    await at('2024-04-09T00:00:00Z', () => materialize(project, { instance }));

    const now = t('2024-04-10T00:00:00Z');
    const [feed] = await assetStatus(project, { instance, now, observe: false });
    const judged = Object.fromEntries(feed!.partitionFreshness!);
    expect(Object.keys(judged)).toEqual(['dcyf', 'sfhsa']); // 'other' has no policy
    expect(judged.dcyf).toMatchObject({
      status: 'overdue',
      overdueByMs: 10 * DAY,
      lastUpdatedAt: t('2024-03-01T00:00:00Z'),
    });
    expect(judged.dcyf!.reason).toMatch(/^last changed 40d ago .*overdue by 10d/);
    expect(judged.sfhsa).toMatchObject({ status: 'fresh', deadline: t('2024-04-10T00:00:00Z') });
    expect(feed!.freshness).toMatchObject({ status: 'overdue', overdueByMs: 10 * DAY });
    expect(feed!.freshness!.reason).toMatch(
      /^agency_feed\[dcyf\] last changed 40d ago .* \(1 of 2 partitions overdue: dcyf\)$/,
    );
    // Status, a separate concern, is untouched: every partition is observed.
    expect(feed!.status).toBe('fresh');

    const why = await explain(project, 'agency_feed', {
      instance,
      now,
      observe: false,
      partition: 'sfhsa',
    });
    expect(why.partition?.freshness?.status).toBe('fresh');
    expect(why.state.freshness?.status).toBe('overdue');
  });

  it('a new export observed now counts as updated now', async () => {
    const instance = tempInstance();
    const versions = new Map([['dcyf', 'd1']]);
    const project = feedProject(versions);
    await addDynamicPartitions(instance, 'agencies', ['dcyf']);
    await at('2024-03-01T00:00:00Z', () => materialize(project, { instance }));
    const now = t('2024-04-10T00:00:00Z');
    const stale = await at(now, () => assetStatus(project, { instance, now }));
    expect(stale[0]!.freshness?.status).toBe('overdue');
    versions.set('dcyf', 'd2'); // the new export is there, not recorded yet
    const seen = await at(now, () => assetStatus(project, { instance, now }));
    expect(seen[0]!.partitionFreshness?.get('dcyf')).toMatchObject({
      status: 'fresh',
      lastUpdatedAt: now,
    });
  });

  it('a partition never observed is overdue, one removed is not judged', async () => {
    const instance = tempInstance();
    const project = feedProject(new Map());
    await addDynamicPartitions(instance, 'agencies', ['dcyf']);
    await at('2024-03-01T00:00:00Z', () => materialize(project, { instance }));
    await addDynamicPartitions(instance, 'agencies', ['late']);
    const now = t('2024-03-02T00:00:00Z');
    const [feed] = await assetStatus(project, { instance, now, observe: false });
    expect(feed!.partitionFreshness?.get('late')).toMatchObject({
      status: 'overdue',
      overdueByMs: 0,
    });
    expect(feed!.partitionFreshness?.get('late')?.reason).toBe('never observed (at most 1d old)');
    expect(feed!.freshness?.reason).toMatch(/^agency_feed\[late\] never observed/);
    await removeDynamicPartitions(instance, 'agencies', ['late']);
    const [after] = await assetStatus(project, { instance, now, observe: false });
    expect([...after!.partitionFreshness!.keys()]).toEqual(['dcyf']);
    expect(after!.freshness?.status).toBe('fresh');
    expect(after!.freshness?.reason).toMatch(
      /^agency_feed\[dcyf\] is due first: last changed 1d ago/,
    );
  });

  it('records each change of the asset-level freshness and of each partition’s', async () => {
    const instance = tempInstance();
    const project = feedProject(new Map([['sfhsa', 's1']]));
    await addDynamicPartitions(instance, 'agencies', ['sfhsa']);
    await at('2024-03-01T00:00:00Z', () => materialize(project, { instance }));
    const fresh = await recordFreshness(project, { instance, now: t('2024-03-01T12:00:00Z') });
    expect(fresh.map((e) => [e.partition, e.freshness.status])).toEqual([
      ['', 'fresh'],
      ['sfhsa', 'fresh'],
    ]);
    const late = await recordFreshness(project, { instance, now: t('2024-03-03T00:00:00Z') });
    expect(late.map((e) => [e.partition, e.freshness.status])).toEqual([
      ['', 'overdue'],
      ['sfhsa', 'overdue'],
    ]);
    expect(late[0]!.freshness.reason).toMatch(/^agency_feed\[sfhsa\] last changed 2d ago/);
    expect(late[1]!.freshness.reason).toMatch(/^last changed 2d ago/);
    // Judged again, nothing changed: nothing recorded.
    expect(await recordFreshness(project, { instance, now: t('2024-03-03T01:00:00Z') })).toEqual(
      [],
    );
  });
});

describe('freshness per partition: a partitioned asset', () => {
  it('judges each partition by its own usable materialization, maxLag and cron alike', async () => {
    const instance = tempInstance();
    const policies: Record<string, FreshnessPolicy> = {
      hourly: { maxLag: '1h' },
      morning: { cron: '0 7 * * *', timezone: 'Europe/Berlin' },
    };
    const report = asset({
      key: 'report',
      partitions: staticPartitions(['hourly', 'morning', 'adhoc']),
      freshness: { partitions: (key) => policies[key] },
      materialize: (ctx) => ctx.partition.key,
    });
    const project = defineProject({ assets: [report] });
    await at('2024-01-01T05:30:00Z', () => materialize(project, { instance }));
    const judge = async (iso: string) =>
      (await assetStatus(project, { instance, now: t(iso), observe: false }))[0]!;

    const first = await judge('2024-01-01T06:00:00Z');
    expect(first.freshness?.status).toBe('fresh');
    // Due first: 'hourly' at 06:30, before 'morning' at 07:00 Berlin on 2 January.
    expect(first.freshness?.deadline).toBe(t('2024-01-01T06:30:00Z'));

    const later = await judge('2024-01-01T08:00:00Z');
    expect(later.partitionFreshness?.get('hourly')).toMatchObject({
      status: 'overdue',
      overdueByMs: 1.5 * HOUR,
    });
    expect(later.partitionFreshness?.get('morning')?.status).toBe('fresh');
    expect(later.freshness?.reason).toMatch(/^report\[hourly\] last materialized 2h 30m ago/);

    await at('2024-01-01T08:00:00Z', () =>
      materialize(project, { instance, force: true, partitions: { keys: ['hourly'] } }),
    );
    const next = await judge('2024-01-02T06:30:00Z');
    expect(next.partitionFreshness?.get('morning')).toMatchObject({
      status: 'overdue',
      deadline: t('2024-01-02T06:00:00Z'), // 07:00 in Berlin
      overdueByMs: 0.5 * HOUR,
    });
    expect(next.freshness).toMatchObject({ status: 'overdue', overdueByMs: 21.5 * HOUR });
    expect(next.freshness?.reason).toMatch(/\(2 of 2 partitions overdue: hourly, morning\)$/);
  });
});

describe('freshness per partition: the asset as a whole', () => {
  const POLICIES: ReadonlyArray<FreshnessPolicy | undefined> = [
    undefined,
    { maxLag: '1h' },
    { maxLag: '1d' },
    { maxLag: '30d' },
    { cron: '0 7 * * *' },
  ];
  const RANK = { fresh: 0, unknown: 1, overdue: 2 } as const;

  it('is the worst partition: its status, overdue by the most, naming an overdue partition', async () => {
    const NOW = t('2024-06-01T12:00:00Z');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            policy: fc.integer({ min: 0, max: POLICIES.length - 1 }),
            // undefined: never observed; else how long before NOW its data last changed
            age: fc.option(
              fc.integer({ min: 0, max: 60 * 24 }).map((m) => (m * 30 * 60_000) / 24),
              {
                nil: undefined,
              },
            ),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (partitions) => {
          const keys = partitions.map((_, i) => `p${i}`);
          const feed = sourceAsset({
            key: 'feed',
            partitions: staticPartitions(keys),
            freshness: { partitions: (key) => POLICIES[partitions[keys.indexOf(key)]!.policy] },
            observe: () => 'v',
          });
          const instance = tempInstance();
          const observed = partitions.flatMap((p, i) =>
            p.age === undefined
              ? []
              : [
                  {
                    type: 'asset:observed' as const,
                    assetKey: 'feed',
                    partition: keys[i]!,
                    timestamp: NOW - p.age,
                    observation: { dataVersion: `v${i}`, metadata: {} },
                  },
                ],
          );
          await instance.eventLog.append(observed);
          const [state] = await assetStatus(defineProject({ assets: [feed] }), {
            instance,
            now: NOW,
            observe: false,
          });
          const expected = new Map(
            partitions.flatMap((p, i) => {
              const policy = POLICIES[p.policy];
              return policy === undefined
                ? []
                : [
                    [
                      keys[i]!,
                      evaluateFreshness(policy, p.age === undefined ? undefined : NOW - p.age, NOW),
                    ] as const,
                  ];
            }),
          );
          const judged = state!.partitionFreshness!;
          expect([...judged.keys()]).toEqual([...expected.keys()]);
          for (const [key, evaluation] of expected) {
            expect(judged.get(key)).toMatchObject({
              status: evaluation.status,
              overdueByMs: evaluation.overdueByMs,
            });
          }
          if (expected.size === 0) {
            expect(state!.freshness).toBeUndefined();
            return;
          }
          const outcomes = [...expected.values()];
          const worst = Math.max(...outcomes.map((e) => RANK[e.status]));
          expect(RANK[state!.freshness!.status]).toBe(worst);
          expect(state!.freshness!.overdueByMs).toBe(
            Math.max(
              0,
              ...outcomes.filter((e) => e.status === 'overdue').map((e) => e.overdueByMs),
            ),
          );
          const named = /^feed\[(p\d+)\]/.exec(state!.freshness!.reason)?.[1];
          expect(named).toBeDefined();
          expect(RANK[judged.get(named!)!.status]).toBe(worst);
          const overdue = outcomes.filter((e) => e.status === 'overdue').length;
          if (overdue > 0) {
            expect(state!.freshness!.reason).toContain(
              `(${overdue} of ${expected.size} partition${expected.size === 1 ? '' : 's'} overdue`,
            );
          } else {
            // Not overdue: due when the first partition will be.
            const deadlines = outcomes.flatMap((e) =>
              e.deadline === undefined ? [] : [e.deadline],
            );
            expect(state!.freshness!.deadline).toBe(
              deadlines.length === 0 ? undefined : Math.min(...deadlines),
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
