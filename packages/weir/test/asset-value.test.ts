import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  assetValue,
  check,
  defineProject,
  type Instance,
  materialize,
  type ProjectDefinition,
  sourceAsset,
  staticPartitions,
  WeirError,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

let limit = 10;
const raw = sourceAsset({ key: 'raw/feed', observe: () => ({ dataVersion: 'v1' }) });
const counts = asset({
  key: 'counts',
  deps: [raw],
  checks: [check({ name: 'small', evaluate: (_ctx, value: number[]) => value.length <= limit })],
  materialize: () => [1, 2, 3],
});
const blob = asset({ key: 'blob', io: 'bytes', materialize: () => new Uint8Array([0, 255, 7]) });
const report = asset({
  key: 'report',
  io: 'files',
  materialize: async (ctx) => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(ctx.outputPath, 'hello');
  },
});
const regions = staticPartitions(['north', 'south']);
const perRegion = asset({
  key: 'per_region',
  partitions: regions,
  materialize: (ctx) => ({ region: ctx.partition.key }),
});
const project = defineProject({ assets: [raw, counts, blob, report, perRegion] });

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; hint: string | undefined }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WeirError);
  const { code, message, hint } = error as WeirError;
  return { code, message, hint };
}

const read = (p: ProjectDefinition, instance: Instance, key: string, partition?: string) =>
  assetValue(p, { instance, key, ...(partition === undefined ? {} : { partition }) });

describe('assetValue', () => {
  it('reads JSON, bytes and files values with the materialization they come from', async () => {
    const instance = tempInstance();
    const run = await materialize(project, { instance, selection: 'counts,blob,report' });
    const json = await read(project, instance, 'counts');
    expect(json).toMatchObject({ key: 'counts', partition: '', format: 'json', value: [1, 2, 3] });
    expect(json.runId).toBe(run.runId);
    expect(json.dataVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof json.materializationId).toBe('number');
    const bytes = await read(project, instance, 'blob');
    expect(bytes.format === 'bytes' && [...bytes.value]).toEqual([0, 255, 7]);
    const files = await read(project, instance, 'report');
    expect(files.format === 'files' && readFileSync(files.value.path, 'utf8')).toBe('hello');
    expect(files.format === 'files' && files.value.path).toBe(
      join(instance.cacheDir!, '..', 'artefacts', files.location),
    );
  });

  it('reads one partition of a partitioned asset', async () => {
    const instance = tempInstance();
    await materialize(project, {
      instance,
      selection: 'per_region',
      partitions: { keys: ['south'] },
    });
    const south = await read(project, instance, 'per_region', 'south');
    expect(south).toMatchObject({ partition: 'south', value: { region: 'south' } });
    const notYet = await failure(read(project, instance, 'per_region', 'north'));
    expect(notYet).toMatchObject({ code: 'E_NOT_FOUND' });
    expect(notYet.message).toBe('per_region[north] has not been materialized yet');
    expect(notYet.hint).toBe('weir materialize per_region --partition north');
    const unknown = await failure(read(project, instance, 'per_region', 'east'));
    expect(unknown.message).toContain("asset 'per_region' has no partition 'east'");
    const none = await failure(read(project, instance, 'per_region'));
    expect(none.message).toContain("asset 'per_region' is partitioned");
    const needless = await failure(read(project, instance, 'counts', 'north'));
    expect(needless.message).toBe("asset 'counts' is not partitioned");
  });

  it('reads the usable value: a blocked materialization is not what consumers read', async () => {
    const instance = tempInstance();
    limit = 1;
    try {
      await materialize(project, { instance, selection: 'counts' });
      const blocked = await failure(read(project, instance, 'counts'));
      expect(blocked.code).toBe('E_NOT_FOUND');
      expect(blocked.message).toContain('failed blocking checks (small)');
      limit = 10;
      const good = await materialize(project, { instance, selection: 'counts', force: true });
      limit = 1;
      await materialize(project, { instance, selection: 'counts', force: true });
      const value = await read(project, instance, 'counts');
      expect(value.runId).toBe(good.runId);
    } finally {
      limit = 10;
    }
  });

  it('refuses unknown keys, source assets and assets never materialized', async () => {
    const instance = tempInstance();
    expect(await failure(read(project, instance, 'cuonts'))).toMatchObject({
      code: 'E_UNKNOWN_ASSET',
      hint: "did you mean 'counts'?",
    });
    expect((await failure(read(project, instance, 'raw/feed'))).message).toContain(
      "'raw/feed' is a source asset",
    );
    expect((await failure(read(project, instance, 'blob'))).message).toBe(
      'blob has not been materialized yet',
    );
  });
});
