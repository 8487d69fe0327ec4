/**
 * A full disk while a step writes its artefact, injected (test/cli-faults.test.ts does it for
 * real on a small tmpfs where the test may mount one): the partial file is removed first, the
 * step fails alone with the cause, steps that fit go on, nothing half-written is recorded.
 */
import * as fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { asset, defineProject, materialize, runLogs } from '../src/index.js';
import { tempInstance } from './helpers.js';

/** Artefacts larger than this "do not fit": half is written, then ENOSPC. */
const FITS = 1_000_000;
const partial: string[] = [];

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const writeFileSync: typeof real.writeFileSync = (file, data, options) => {
    const size = typeof data === 'string' ? data.length : (data as Uint8Array).byteLength;
    if (typeof file === 'string' && file.includes('/artefacts/tmp/') && size > FITS) {
      real.writeFileSync(file, (data as Uint8Array).subarray(0, size >> 1), options);
      partial.push(file);
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    }
    real.writeFileSync(file, data, options);
  };
  return { ...real, writeFileSync, default: { ...real, writeFileSync } };
});

describe('a full disk (injected)', () => {
  it('fails the step that does not fit, alone, after removing its partial artefact', async () => {
    const instance = tempInstance();
    const big = asset({ key: 'big', materialize: () => 'x'.repeat(2 * FITS) });
    const small = asset({ key: 'small', materialize: () => 'tiny' });
    const after = asset({
      key: 'after',
      ins: { small },
      materialize: (_c, { small }) => `${small}!`,
    });
    const result = await materialize(defineProject({ assets: [big, small, after] }), { instance });
    expect(result.status).toBe('failed');
    expect(result.summary.failed).toEqual(['big']);
    expect(result.summary.materialized.sort()).toEqual(['after', 'small']);
    expect(partial).toHaveLength(1);
    expect(fs.existsSync(partial[0]!)).toBe(false);
    const { events } = await runLogs(instance, result.runId!);
    const failed = events.find((e) => e.type === 'step:failed');
    expect(failed?.type === 'step:failed' && failed.error).toMatchObject({
      code: 'E_NO_SPACE',
      message: `no space left on device writing big's artefact (${partial[0]})`,
    });
    // A cause, not a stack; one attempt (a full disk is not retried).
    expect(failed?.type === 'step:failed' && failed.error.stack).toBeUndefined();
    expect(events.filter((e) => e.type === 'step:started' && e.assetKey === 'big')).toHaveLength(1);
    expect(
      events
        .filter((e) => e.type === 'asset:materialized')
        .map((e) => 'assetKey' in e && e.assetKey),
    ).toEqual(expect.arrayContaining(['small', 'after']));
  });
});
