/**
 * The PyTorch LSTM (ml/train_lstm.py) as a Weir asset: two epochs on 64 training samples of
 * two real CAMELS basins, through pythonStep and Debian's /usr/bin/python3 with torch. Runs
 * only where that interpreter can import torch (apt-get install python3-torch). And the
 * windows artefact read in Python by ml/windows_codec.py, compared with the TypeScript
 * decoder, which needs numpy only (CI has it: python3-gdal depends on python3-numpy).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { asset, defineProject, materialize, openInstance, sourceAsset } from 'weir';
import { mlAssets, TORCH_MODEL_KEY } from '../ml/assets.js';
import { requireTorch } from '../ml/torch-check.js';
import { variants } from '../src/camels/variants.js';
import { decodeWindows, encodeWindows } from '../src/camels/windows-codec.js';
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

const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasNumpy)('the windows artefact read in Python (numpy, no torch)', () => {
  it('rebuilds every window, target, basin and date as the TypeScript decoder does', async () => {
    const basins = await loadCamelsBasins(['01022500', '03015500'], camelsLayout(CAMELS));
    const bytes = encodeWindows(buildSampleSet(basins, { attributes: DEFAULT_ATTRIBUTES }));
    const path = join(dir, 'windows.bin');
    writeFileSync(path, bytes);
    const read = spawnSync(
      PYTHON,
      [
        '-c',
        [
          'import hashlib, json, sys',
          'from windows_codec import read_windows',
          'w = read_windows(sys.argv[1])',
          'digest = lambda a: hashlib.sha256(a.tobytes()).hexdigest()',
          'out = {s: {"count": w[s]["count"], "x": digest(w[s]["x"]), "y": digest(w[s]["y"]),',
          '           "basin": w[s]["basin"].tolist(), "date": w[s]["date"].tolist()}',
          '       for s in ("train", "validation", "test")}',
          'out["basinStd"] = w["basinStd"].tolist()',
          'out["target"] = w["target"]',
          'print(json.dumps(out))',
        ].join('\n'),
        path,
      ],
      { cwd: fileURLToPath(new URL('../ml/', import.meta.url)), encoding: 'utf8' },
    );
    expect(read.stderr).toBe('');
    const python = JSON.parse(read.stdout) as Record<string, unknown>;
    const set = decodeWindows(bytes);
    const digest = (a: Float32Array) =>
      createHash('sha256')
        .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
        .digest('hex');
    for (const split of ['train', 'validation', 'test'] as const) {
      const s = set[split];
      expect(python[split]).toEqual({
        count: s.count,
        x: digest(s.x),
        y: digest(s.y),
        basin: [...s.basin],
        date: [...s.date],
      });
    }
    expect(python.basinStd).toEqual([...set.basinStd]);
    expect(python.target).toEqual(set.target);
  });
});

describe('without torch', () => {
  it('fails before training, naming what the interpreter lacks and what to install', async () => {
    // An "interpreter" whose module lookup finds neither torch nor numpy.
    const python = join(dir, 'python-without-torch');
    writeFileSync(python, '#!/bin/sh\necho torch numpy\n', { mode: 0o755 });
    const error = await requireTorch(python).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'EnvironmentError',
      message: `the PyTorch model needs torch and numpy, which ${python} cannot import (on Debian: apt-get install python3-torch (PyTorch 1.13 and numpy for /usr/bin/python3); or set HYDRO_TORCH_PYTHON to an interpreter that has torch and numpy)`,
    });
    expect((error as { hint: string }).hint).toContain('apt-get install python3-torch');
  });
});
