/**
 * `ctx.previous()`: a step's own current materialization, for incremental assets. The newest
 * usable one (a blocked version is not), none on the first run, none when it cannot be read,
 * and none when `weir verify --reproduce` re-runs the step: that is what makes a reproduction
 * prove an incremental result equal to a full rebuild.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  check,
  defineProject,
  type FileArtefact,
  type Instance,
  type LocalArtefactStore,
  materialize,
  sourceAsset,
  staticPartitions,
  verify,
} from '../src/index.js';
import { tempInstance } from './helpers.js';
import { flipByte } from './support/corrupt.js';

/** A source whose value the test sets: each run sees `state.items`. */
function project(state: { items: string[]; seen: Array<unknown> }) {
  const items = sourceAsset({
    key: 'items',
    observe: () => ({ dataVersion: state.items.join(',') }),
  });
  // Appends only what is new since its previous version: an incremental union.
  const seenSoFar = asset({
    key: 'seen_so_far',
    ins: { items },
    materialize: async (ctx) => {
      const previous = await ctx.previous<string[]>();
      state.seen.push(previous === undefined ? undefined : { ...previous });
      const known = new Set(previous?.value ?? []);
      return [...(previous?.value ?? []), ...state.items.filter((i) => !known.has(i))].sort();
    },
  });
  return defineProject({ assets: [items, seenSoFar] });
}

async function current(instance: Instance, key: string, partition?: string) {
  const [record] =
    partition === undefined
      ? await instance.eventLog.latest([key])
      : await instance.eventLog.partitionRecords(key, [partition]);
  return record!.usable!;
}

describe('ctx.previous()', () => {
  it('is undefined on the first run, then the current value with its versions', async () => {
    const instance = tempInstance();
    const state = { items: ['a', 'b'], seen: [] as unknown[] };
    await materialize(project(state), { instance });
    expect(state.seen).toEqual([undefined]);
    const first = await current(instance, 'seen_so_far');

    state.items = ['b', 'c'];
    await materialize(project(state), { instance });
    const previous = state.seen[1] as {
      value: string[];
      dataVersion: string;
      codeVersion: string;
      materializedAt: Date;
      inputs: Record<string, string>;
    };
    expect(previous.value).toEqual(['a', 'b']);
    expect(previous.dataVersion).toBe(first.materialization.dataVersion);
    expect(previous.codeVersion).toBe(first.materialization.codeVersion);
    expect(previous.inputs).toEqual({ items: 'a,b' });
    expect(previous.materializedAt).toBeInstanceOf(Date);
    expect(await assetValue(instance)).toEqual(['a', 'b', 'c']);
  });

  it('skips a version its blocking check held back: the previous is the last good one', async () => {
    const instance = tempInstance();
    const state = { items: ['good'], seen: [] as unknown[] };
    const items = sourceAsset({
      key: 'items',
      observe: () => ({ dataVersion: state.items.join(',') }),
    });
    const list = asset({
      key: 'list',
      ins: { items },
      checks: [
        check<string[]>({
          name: 'no_bad',
          evaluate: (_ctx, value) => ({ passed: !value.includes('bad') }),
        }),
      ],
      materialize: async (ctx) => {
        const previous = await ctx.previous<string[]>();
        state.seen.push(previous?.value);
        return [...state.items];
      },
    });
    const p = defineProject({ assets: [items, list] });
    await materialize(p, { instance });
    state.items = ['bad'];
    await materialize(p, { instance }).catch(() => undefined);
    state.items = ['fine'];
    await materialize(p, { instance });
    expect(state.seen).toEqual([undefined, ['good'], ['good']]);
  });

  it('is undefined under --force, which rebuilds from scratch', async () => {
    const instance = tempInstance();
    const state = { items: ['a'], seen: [] as unknown[] };
    await materialize(project(state), { instance });
    await materialize(project(state), { instance, force: true });
    expect(state.seen).toEqual([undefined, undefined]);
  });

  it('is per partition', async () => {
    const instance = tempInstance();
    const seen: Array<[string, unknown]> = [];
    const versions: Record<string, string> = { north: 'n1', south: 's1' };
    const regions = staticPartitions(['north', 'south']);
    const feed = sourceAsset({
      key: 'feed',
      partitions: regions,
      observe: (ctx) => ({ dataVersion: versions[ctx.partition.key]! }),
    });
    const counts = asset({
      key: 'counts',
      partitions: regions,
      ins: { feed },
      materialize: async (ctx) => {
        const previous = await ctx.previous<{ version: string }>();
        seen.push([ctx.partition.key, previous?.value]);
        return { version: versions[ctx.partition.key]! };
      },
    });
    await materialize(defineProject({ assets: [feed, counts] }), { instance });
    versions.south = 's2';
    await materialize(defineProject({ assets: [feed, counts] }), { instance });
    expect(seen.slice(2)).toEqual([['south', { version: 's1' }]]);
  });

  it('gives a files artefact as a path to read', async () => {
    const instance = tempInstance();
    const reads: string[] = [];
    let version = 1;
    const trigger = sourceAsset({
      key: 'trigger',
      observe: () => ({ dataVersion: String(version) }),
    });
    const log = asset({
      key: 'log',
      io: 'files',
      ins: { trigger },
      materialize: async (ctx) => {
        const previous = await ctx.previous<FileArtefact>();
        const before = previous === undefined ? '' : await readFile(previous.value.path, 'utf8');
        reads.push(before);
        await writeFile(ctx.outputPath, `${before}line ${version}\n`);
      },
    });
    await materialize(defineProject({ assets: [trigger, log] }), { instance });
    version = 2;
    await materialize(defineProject({ assets: [trigger, log] }), { instance });
    expect(reads).toEqual(['', 'line 1\n']);
  });

  it('hashes a files artefact in full before giving it: a changed byte with its time put back is not built upon', async () => {
    const instance = tempInstance();
    let version = 1;
    const reads: string[] = [];
    const trigger = sourceAsset({
      key: 'trigger',
      observe: () => ({ dataVersion: String(version) }),
    });
    const log = asset({
      key: 'log',
      io: 'files',
      ins: { trigger },
      materialize: async (ctx) => {
        const previous = await ctx.previous<FileArtefact>();
        const before = previous === undefined ? '' : await readFile(previous.value.path, 'utf8');
        reads.push(before);
        await writeFile(ctx.outputPath, `${before}line ${version}\n`);
      },
    });
    const p = defineProject({ assets: [trigger, log] });
    await materialize(p, { instance });
    const location = (await current(instance, 'log')).materialization.artefact.location;
    flipByte(join((instance.artefacts as LocalArtefactStore).root, location), { keepMtime: true });
    version = 2;
    await materialize(p, { instance });
    expect(reads).toEqual(['', '']);
  });

  it('is undefined, with a warning in the step log, when the previous artefact is corrupt', async () => {
    const instance = tempInstance();
    const state = { items: ['a'], seen: [] as unknown[] };
    await materialize(project(state), { instance });
    const location = (await current(instance, 'seen_so_far')).materialization.artefact.location;
    flipByte(join((instance.artefacts as LocalArtefactStore).root, location));
    state.items = ['b'];
    await materialize(project(state), { instance });
    expect(state.seen).toEqual([undefined, undefined]);
    const logs = await instance.eventLog.events({ types: ['step:log'] });
    expect(logs.map((e) => (e.type === 'step:log' ? `${e.level} ${e.message}` : ''))).toEqual([
      expect.stringMatching(
        /^warn ctx\.previous\(\): the previous materialization cannot be read, so there is none: .*corrupt/,
      ),
    ]);
  });

  it('is undefined when verify reproduces the step, so incremental = full rebuild is proven', async () => {
    const instance = tempInstance();
    const state = { items: ['a', 'b'], seen: [] as unknown[] };
    await materialize(project(state), { instance });
    state.items = ['a', 'b', 'c'];
    await materialize(project(state), { instance });
    const before = state.seen.length;
    const report = await verify(project(state), { instance, reproduce: true });
    expect(state.seen.slice(before)).toEqual([undefined]);
    // The incremental union equals the union built from scratch of the same input.
    expect(report.reproductions.find((r) => r.assetKey === 'seen_so_far')?.status).toBe(
      'reproduced',
    );
  });
});

describe('ctx.codeVersion', () => {
  it('is the step code version, so an incremental step can tell its own format changed', async () => {
    const instance = tempInstance();
    const seen: Array<[string, string | undefined]> = [];
    let tick = 0;
    const ticks = sourceAsset({ key: 'ticks', observe: () => ({ dataVersion: String(tick) }) });
    const counter = (version: string) =>
      asset({
        key: 'counter',
        codeVersion: version,
        ins: { ticks },
        materialize: async (ctx) => {
          const previous = await ctx.previous<number>();
          seen.push([ctx.codeVersion, previous?.codeVersion]);
          return previous !== undefined && previous.codeVersion === ctx.codeVersion
            ? previous.value + 1
            : 0;
        },
      });
    await materialize(defineProject({ assets: [ticks, counter('v1')] }), { instance });
    tick++;
    await materialize(defineProject({ assets: [ticks, counter('v1')] }), { instance });
    tick++;
    await materialize(defineProject({ assets: [ticks, counter('v2')] }), { instance });
    expect(seen.map(([now, before]) => [now.length > 0, now === before])).toEqual([
      [true, false],
      [true, true],
      [true, false],
    ]);
  });
});

async function assetValue(instance: Instance): Promise<unknown> {
  const record = await current(instance, 'seen_so_far');
  const bytes = await instance.artefacts.read(record.materialization.artefact.location);
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}
