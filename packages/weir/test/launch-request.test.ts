/** launchRequest(): what a launch says about its asset (tags, worker tags, pool, slots, compute), validated. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asset,
  cpuCores,
  DefinitionError,
  launchRequest,
  memoryBytes,
  WeirError,
  workerTagsOf,
} from '../src/index.js';

const model = asset({
  key: 'camels/lstm_model',
  tags: { resources: 'gpu', memory: '16Gi', cpu: '4', gpu: '1' },
  pool: 'gpu',
  slots: 2,
  materialize: () => 1,
});

describe('launchRequest', () => {
  it('reads the asset’s key, tags, worker tags, pool, slots and compute', () => {
    const request = launchRequest({
      asset: model,
      partition: 'polished',
      run: 'run-1',
      command: ['weir', 'worker', '--tags', 'gpu', '--once'],
      env: { WEIR_PROJECT: '/app' },
      timeoutMs: 60_000,
      id: 'launch-1',
    });
    expect(request).toEqual({
      id: 'launch-1',
      asset: 'camels/lstm_model',
      partition: 'polished',
      run: 'run-1',
      location: undefined,
      tags: { resources: 'gpu', memory: '16Gi', cpu: '4', gpu: '1' },
      workerTags: ['gpu'],
      pool: 'gpu',
      slots: 2,
      command: ['weir', 'worker', '--tags', 'gpu', '--once'],
      env: { WEIR_PROJECT: '/app' },
      resources: { cpu: '4', memory: '16Gi', gpus: 1 },
      timeoutMs: 60_000,
    });
    expect(Object.isFrozen(request)).toBe(true);
  });

  it('describes a worker for a pool of steps by worker tags alone', () => {
    const request = launchRequest({
      workerTags: ['highmem', 'gpu', 'highmem'],
      command: ['weir', 'worker', '--tags', 'gpu,highmem'],
      resources: { memory: '64Gi' },
    });
    expect(request.asset).toBeUndefined();
    expect(request.workerTags).toEqual(['gpu', 'highmem']);
    expect(request.slots).toBe(1);
    expect(request.resources).toEqual({ memory: '64Gi' });
    expect(request.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets given resources override the asset’s tags field by field', () => {
    const request = launchRequest({ asset: model, command: ['w'], resources: { cpu: '500m' } });
    expect(request.resources).toEqual({ cpu: '500m', memory: '16Gi', gpus: 1 });
  });

  it('refuses what a launcher could not run, naming the fix', () => {
    const bad = (spec: Parameters<typeof launchRequest>[0]) => () => launchRequest(spec);
    expect(bad({ command: [] })).toThrow(/command is empty/);
    expect(bad({ command: ['', 'x'] })).toThrow(/command\[0\]/);
    expect(bad({ command: ['weir', 'a\0b'] })).toThrow(/command\[1\]/);
    expect(bad({ command: ['weir'], env: { '1X': 'y' } })).toThrow(/name '1X' is not valid/);
    expect(bad({ command: ['weir'], timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(bad({ command: ['weir'], id: 'has space' })).toThrow(/id 'has space'/);
    expect(bad({ command: ['weir'], workerTags: ['GPU'] })).toThrow(
      /'GPU' is not a valid worker tag/,
    );
    expect(bad({ command: ['weir'], resources: { cpu: 'lots' } })).toThrow(/cpu 'lots'/);
    try {
      launchRequest({ command: [] });
    } catch (error) {
      expect(error).toBeInstanceOf(WeirError);
      expect((error as WeirError).code).toBe('E_USAGE');
      expect((error as WeirError).hint).toMatch(/program and its arguments/);
    }
  });

  it('refuses an asset whose tags declare compute that is not a quantity', () => {
    const bad = asset({ key: 'a/b', tags: { memory: '16 gigs' }, materialize: () => 1 });
    expect(() => launchRequest({ asset: bad, command: ['w'] })).toThrow(DefinitionError);
    expect(() => launchRequest({ asset: bad, command: ['w'] })).toThrow(
      /asset 'a\/b' tag: memory '16 gigs' is not a memory quantity/,
    );
    const gpus = asset({ key: 'a/c', tags: { gpu: 'yes' }, materialize: () => 1 });
    expect(() => launchRequest({ asset: gpus, command: ['w'] })).toThrow(/tag gpu 'yes'/);
  });
});

describe('workerTagsOf', () => {
  it('reads the resources tag, comma-separated, sorted, without repeats', () => {
    expect(workerTagsOf({ resources: 'highmem' })).toEqual(['highmem']);
    expect(workerTagsOf({ resources: ' highmem , gpu,,gpu ' })).toEqual(['gpu', 'highmem']);
    expect(workerTagsOf({ team: 'hydro' })).toEqual([]);
    expect(workerTagsOf(undefined)).toEqual([]);
    expect(() => workerTagsOf({ resources: 'big memory' }, "asset 'x'")).toThrow(
      /asset 'x' tag resources: 'big memory' is not a valid worker tag/,
    );
  });
});

describe('quantities', () => {
  it('reads CPU and memory as schedulers write them', () => {
    expect(cpuCores('2')).toBe(2);
    expect(cpuCores('500m')).toBe(0.5);
    expect(cpuCores('0.25')).toBe(0.25);
    expect(cpuCores('2 cores')).toBeUndefined();
    expect(memoryBytes('1Ki')).toBe(1024);
    expect(memoryBytes('16Gi')).toBe(16 * 2 ** 30);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('1.5Mi')).toBe(1.5 * 2 ** 20);
    expect(memoryBytes('1gb')).toBeUndefined();
  });

  it('reads back what it formats for any whole number of millicores and mebibytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (n) => {
        expect(cpuCores(`${n}m`)).toBeCloseTo(n / 1000, 9);
        expect(memoryBytes(`${n}Mi`)).toBe(n * 2 ** 20);
      }),
    );
  });
});
