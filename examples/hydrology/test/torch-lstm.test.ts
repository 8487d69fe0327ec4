/**
 * The PyTorch LSTM (ml/train_lstm.py) as a Weir asset: two epochs on 64 training samples of
 * two real CAMELS basins, through pythonStep and Debian's /usr/bin/python3 with torch. Runs
 * only where that interpreter can import torch (apt-get install python3-torch).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { asset, defineProject, materialize, openInstance, sourceAsset } from 'weir';
import { mlAssets, TORCH_MODEL_KEY } from '../ml/assets.js';
import { requireTorch } from '../ml/torch-check.js';
import { variants } from '../src/camels/variants.js';
import { encodeWindows } from '../src/camels/windows-codec.js';
import { camelsLayout, DEFAULT_ATTRIBUTES, loadCamelsBasins } from '../src/data/camels.js';
import { buildSampleSet } from '../src/data/windows.js';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const CAMELS = fileURLToPath(new URL('../data/camels_us', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'weir-torch-lstm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasTorch)('the PyTorch LSTM as a Weir asset', () => {
  it('trains two epochs on a slice and records finite NSEs, the curves and seconds per epoch', async () => {
    const basins = await loadCamelsBasins(['01022500', '03015500'], camelsLayout(CAMELS));
    const bytes = encodeWindows(buildSampleSet(basins, { attributes: DEFAULT_ATTRIBUTES }));
    // Stand-ins of the prep side's assets, under their keys.
    const windows = asset({
      key: 'camels/training_windows',
      partitions: variants,
      io: 'bytes',
      materialize: () => bytes,
    });
    const budget = sourceAsset({ key: 'camels/training_budget', observe: () => '2' });
    const project = defineProject({
      assets: [
        windows,
        budget,
        ...mlAssets({ windows, budget }, { python: PYTHON, maxSamples: 64 }),
      ],
      pools: { gpu: 1 },
    });
    const instance = openInstance({ dir: join(dir, '.weir') });
    try {
      const result = await materialize(project, {
        instance,
        selection: `+${TORCH_MODEL_KEY}`,
        partitions: { keys: ['polished'] },
      });
      expect(result.status, JSON.stringify(result.reasons)).toBe('success');
      const events = await instance.eventLog.events({ runId: result.runId! });
      const done = events.find(
        (e) => e.type === 'asset:materialized' && e.assetKey === TORCH_MODEL_KEY,
      );
      if (done?.type !== 'asset:materialized') throw new Error('no materialization');
      const metadata = done.materialization.metadata as Record<string, unknown>;
      expect(metadata.epochs).toBe(2);
      expect(metadata['samples.train']).toBe(64);
      for (const key of ['best.validationMedianNse', 'test.medianNse', 'secondsPerEpoch']) {
        expect(Number.isFinite(metadata[key]), key).toBe(true);
      }
      expect(metadata.secondsPerEpoch).toBeGreaterThan(0);
      expect(Object.keys(metadata['test.nse'] as object)).toEqual(['01022500', '03015500']);
      expect(metadata.validationMedianNse).toHaveLength(2);
      expect(metadata.backend).toMatch(/^PyTorch 1\.\d+/);
      // The weights and the training record, in the artefact.
      const model = await instance.artefacts.localPath(done.materialization.artefact!.location);
      expect(readdirSync(model).sort()).toEqual(['model.pt', 'training.json']);
    } finally {
      instance.close();
    }
  }, 30_000);
});

describe('without torch', () => {
  it('fails before training, naming what the interpreter lacks and what to install', async () => {
    // An "interpreter" whose module lookup finds neither torch nor numpy.
    const python = join(dir, 'python-without-torch');
    writeFileSync(python, '#!/bin/sh\necho torch numpy\n', { mode: 0o755 });
    const error = await requireTorch(python).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'EnvironmentError',
      message: `the PyTorch model needs torch and numpy, which ${python} cannot import`,
    });
    expect((error as { hint: string }).hint).toContain('apt-get install python3-torch');
  });
});
