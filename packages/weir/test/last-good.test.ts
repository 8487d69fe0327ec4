/**
 * `many(x, { lastGood: true })`: failure isolation across independent partitions. A partition
 * that fails or is held back by a blocking check does not stop its reader, which reads that
 * partition's last good version (or leaves it out when it never had one) and stays stale so
 * the gap shows; without the option, the reader waits as before.
 */
import { describe, expect, it } from 'vitest';
import {
  addDynamicPartitions,
  asset,
  assetStatus,
  check,
  Daemon,
  DefinitionError,
  defineProject,
  dynamicPartitions,
  eager,
  many,
  materialize,
  sourceAsset,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

function pipeline(exports: Record<string, string>, lastGood: boolean, automatic = false) {
  const automation = automatic ? { automation: eager() } : {};
  const agencies = dynamicPartitions('agencies');
  const feed = sourceAsset({
    key: 'feed',
    partitions: agencies,
    ...(automatic ? { observeEvery: '1s' } : {}),
    observe: (ctx) => ({ dataVersion: exports[ctx.partition.key] ?? 'none' }),
  });
  const hsds = asset({
    key: 'hsds',
    partitions: agencies,
    ins: { feed },
    ...automation,
    checks: [check<string>({ name: 'not_bad', evaluate: (_ctx, v) => !v.startsWith('bad') })],
    materialize: (ctx) => {
      const value = exports[ctx.partition.key]!;
      if (value === 'throw') throw new Error('unreadable export');
      return value;
    },
  });
  const directory = asset({
    key: 'directory',
    ins: { agencies: lastGood ? many(hsds, { lastGood: true }) : many(hsds) },
    ...automation,
    materialize: (_ctx, { agencies }) => Object.fromEntries(agencies),
  });
  return defineProject({ assets: [feed, hsds, directory] });
}

async function directoryValue(instance: ReturnType<typeof tempInstance>) {
  const [record] = await instance.eventLog.latest(['directory']);
  const location = record?.usable?.materialization.artefact.location;
  if (location === undefined) return undefined;
  return JSON.parse(Buffer.from(await instance.artefacts.read(location)).toString('utf8'));
}

describe('many(x, { lastGood: true })', () => {
  it("builds on the others' new versions and a blocked partition's last good one", async () => {
    const instance = tempInstance();
    const exports: Record<string, string> = { a: 'a1', b: 'b1', c: 'c1' };
    await addDynamicPartitions(instance, 'agencies', ['a', 'b', 'c']);
    await materialize(pipeline(exports, true), { instance });
    expect(await directoryValue(instance)).toEqual({ a: 'a1', b: 'b1', c: 'c1' });

    exports.a = 'bad export';
    exports.b = 'b2';
    const run = await materialize(pipeline(exports, true), { instance });
    expect(run.status).toBe('failed');
    expect(await directoryValue(instance)).toEqual({ a: 'a1', b: 'b2', c: 'c1' });
    const status = await assetStatus(pipeline(exports, true), { instance });
    const directory = status.find((s) => s.key === 'directory')!;
    expect(directory.status).toBe('stale');
    expect(directory.causes.map((c) => c.reason)).toEqual([
      'upstream hsds has 1 failed partition it reads: a',
    ]);
  });

  it('goes on when a partition throws, and leaves out one that never had a good version', async () => {
    const instance = tempInstance();
    const exports: Record<string, string> = { a: 'a1', b: 'b1' };
    await addDynamicPartitions(instance, 'agencies', ['a', 'b']);
    await materialize(pipeline(exports, true), { instance });
    exports.b = 'throw';
    exports.n = 'bad new agency';
    await addDynamicPartitions(instance, 'agencies', ['n']);
    exports.a = 'a2';
    await materialize(pipeline(exports, true), { instance });
    expect(await directoryValue(instance)).toEqual({ a: 'a2', b: 'b1' });
  });

  it('waits when nothing it reads has a good version', async () => {
    const instance = tempInstance();
    await addDynamicPartitions(instance, 'agencies', ['a']);
    const run = await materialize(pipeline({ a: 'bad' }, true), { instance });
    expect(run.status).toBe('failed');
    expect(await directoryValue(instance)).toBeUndefined();
  });

  it('without the option, a blocked partition stops the reader as before', async () => {
    const instance = tempInstance();
    const exports: Record<string, string> = { a: 'a1', b: 'b1' };
    await addDynamicPartitions(instance, 'agencies', ['a', 'b']);
    await materialize(pipeline(exports, false), { instance });
    exports.a = 'bad';
    exports.b = 'b2';
    await materialize(pipeline(exports, false), { instance });
    expect(await directoryValue(instance)).toEqual({ a: 'a1', b: 'b1' });
  });

  it('refuses unknown options', () => {
    const up = asset({ key: 'up', materialize: () => 1 });
    expect(() => many(up, { lastgood: true } as never)).toThrow(DefinitionError);
    expect(() => many(up, { lastgood: true } as never)).toThrow(/unknown option 'lastgood'/);
  });

  it('lets the daemon update the reader while a partition it reads is failing', async () => {
    const instance = tempInstance();
    const exports: Record<string, string> = { a: 'a1', b: 'b1' };
    await addDynamicPartitions(instance, 'agencies', ['a', 'b']);
    let time = Date.now();
    const daemon = new Daemon(pipeline(exports, true, true), { instance, now: () => time });
    const pass = async () => {
      time += 2000;
      await daemon.pass();
      await daemon.idle();
    };
    try {
      await pass();
      await pass();
      expect(await directoryValue(instance)).toEqual({ a: 'a1', b: 'b1' });
      exports.a = 'bad';
      await pass();
      await pass();
      exports.b = 'b2';
      for (let i = 0; i < 3; i++) await pass();
      expect(await directoryValue(instance)).toEqual({ a: 'a1', b: 'b2' });
    } finally {
      await daemon.idle();
    }
  });
});
