import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dynamicPartitions,
  folderSensor,
  normalizeSensorResult,
  type SensorContext,
  type SensorDefinition,
  sourceAsset,
} from '../src/index.js';
import { tempDir } from './helpers.js';

const files = dynamicPartitions('inbox_files');
const incoming = sourceAsset({
  key: 'raw/readings_file',
  partitions: files,
  observe: () => 'unused',
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Ticks a sensor as the daemon would: the cursor of each successful tick goes to the next. */
function ticker(definition: SensorDefinition) {
  let cursor: string | undefined;
  return async () => {
    const ctx: SensorContext = {
      name: definition.name,
      cursor,
      lastTickAt: undefined,
      now: new Date(),
      resources: {},
      log: silent,
      signal: new AbortController().signal,
    };
    const result = normalizeSensorResult(await definition.poll(ctx), definition.name);
    cursor = result.cursor ?? cursor;
    return result;
  };
}

describe('folderSensor', () => {
  it('leaves out, with a warning, a file whose key cannot be a partition, and goes on with the rest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.csv'), 'a\n');
    writeFileSync(join(dir, 'Bad Name.csv'), 'b\n');
    const warnings: string[] = [];
    const definition = folderSensor({
      name: 'inbox',
      path: dir,
      pattern: '*.csv',
      source: incoming,
      partitions: files,
      partitionKey: (path) => path.replace(/\.csv$/, ''),
    });
    const ctx: SensorContext = {
      name: definition.name,
      cursor: undefined,
      lastTickAt: undefined,
      now: new Date(),
      resources: {},
      log: { ...silent, warn: (message: string) => warnings.push(message) },
      signal: new AbortController().signal,
    };
    const result = normalizeSensorResult(await definition.poll(ctx), definition.name);
    expect(result.observations?.map((o) => o.partition)).toEqual(['good']);
    expect(warnings).toEqual([expect.stringMatching(/^Bad Name\.csv left out: .*'Bad Name'/)]);
  });

  it('adds a dynamic partition per new file and observes it, then only what changed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '2026-11-19.csv'), 'a\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    writeFileSync(join(dir, '.2026-11-21.csv.part'), 'hidden');
    const tick = ticker(
      folderSensor({
        name: 'telemetry_inbox',
        path: dir,
        pattern: '*.csv',
        source: incoming,
        partitions: files,
      }),
    );
    const first = await tick();
    expect(first.dynamicPartitions).toEqual([
      { name: 'inbox_files', add: ['2026-11-19'], remove: [] },
    ]);
    expect(first.observations).toHaveLength(1);
    expect(first.observations[0]).toMatchObject({
      asset: 'raw/readings_file',
      partition: '2026-11-19',
      metadata: { path: '2026-11-19.csv', size: 2 },
    });

    const quiet = await tick();
    expect(quiet.observations).toEqual([]);
    expect(quiet.cursor).toBeUndefined(); // nothing changed: the cursor is kept

    writeFileSync(join(dir, '2026-11-20.csv'), 'b\n');
    writeFileSync(join(dir, '2026-11-19.csv'), 'a\nc\n');
    const second = await tick();
    expect(second.dynamicPartitions).toEqual([
      { name: 'inbox_files', add: ['2026-11-20'], remove: [] },
    ]);
    expect(second.observations.map((o) => o.partition)).toEqual(['2026-11-19', '2026-11-20']);
    expect(second.observations[0]!.dataVersion).not.toBe(first.observations[0]!.dataVersion);
  });

  it('hashes a touched file but reports it only when its content changed', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.csv');
    writeFileSync(path, 'same');
    const tick = ticker(
      folderSensor({ name: 't', path: dir, pattern: '*.csv', source: incoming, partitions: files }),
    );
    await tick();
    utimesSync(path, new Date('2030-01-01'), new Date('2030-01-01'));
    const touched = await tick();
    expect(touched.observations).toEqual([]);
    expect(touched.cursor).toBeDefined(); // the new mtime is remembered, so it is not hashed again
  });

  it('walks folders for ** and keys files by their relative path', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2026', 'nov'), { recursive: true });
    writeFileSync(join(dir, '2026', 'nov', '20.json'), '{}');
    writeFileSync(join(dir, 'top.json'), '{}');
    const tick = ticker(
      folderSensor({ name: 't', path: dir, pattern: '**/*.json', partitions: files }),
    );
    const first = await tick();
    expect(first.dynamicPartitions[0]!.add).toEqual(['2026_nov_20', 'top']);
    expect(first.observations).toEqual([]);
  });

  it('observes an unpartitioned source once per change, its version covering every file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), '1');
    const whole = sourceAsset({ key: 'raw/inbox', observe: () => 'unused' });
    const tick = ticker(folderSensor({ name: 't', path: dir, pattern: '*.csv', source: whole }));
    const first = await tick();
    expect(first.observations).toHaveLength(1);
    expect(first.observations[0]).toMatchObject({ asset: 'raw/inbox', partition: undefined });
    writeFileSync(join(dir, 'b.csv'), '2');
    const second = await tick();
    expect(second.observations[0]!.metadata).toMatchObject({
      files: 2,
      changed: ['b.csv'],
      path: 'b.csv',
    });
    expect(second.observations[0]!.dataVersion).not.toBe(first.observations[0]!.dataVersion);
  });

  it('resolves a relative path against the working directory, and fails a tick for a missing folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'inbox'));
    writeFileSync(join(dir, 'inbox', 'x.csv'), '1');
    const before = process.cwd();
    process.chdir(dir);
    try {
      const tick = ticker(
        folderSensor({ name: 't', path: 'inbox', pattern: '*.csv', partitions: files }),
      );
      expect((await tick()).dynamicPartitions[0]!.add).toEqual(['x']);
      const missing = ticker(
        folderSensor({ name: 'm', path: 'outbox', pattern: '*.csv', partitions: files }),
      );
      await expect(missing()).rejects.toThrow(/folder '.*outbox' does not exist/);
    } finally {
      process.chdir(before);
    }
  });
});
