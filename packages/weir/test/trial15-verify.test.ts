/**
 * `verify`, cases found by trying to break it: an artefact two assets share (same content).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  defineProject,
  type LocalArtefactStore,
  materialize,
  verify,
} from '../src/index.js';
import { tempInstance } from './helpers.js';
import { flipByte } from './support/corrupt.js';

describe('verify --repair of an artefact two assets share', () => {
  it('reports both as repaired and intact once the shared copy is rewritten', async () => {
    const instance = tempInstance();
    const left = asset({ key: 'left', materialize: () => ({ same: 'content' }) });
    const right = asset({ key: 'right', materialize: () => ({ same: 'content' }) });
    const project = defineProject({ assets: [left, right] });
    await materialize(project, { instance });
    const [a, b] = await instance.eventLog.latest(['left', 'right']);
    const location = a!.usable!.materialization.artefact.location;
    expect(b!.usable!.materialization.artefact.location).toBe(location);
    flipByte(join((instance.artefacts as LocalArtefactStore).root, location), { keepMtime: true });

    const report = await verify(project, { instance, repair: true });
    expect(report.artefacts.map((c) => [c.assetKey, c.status, c.repair])).toEqual([
      ['left', 'intact', { repaired: true }],
      ['right', 'intact', { repaired: true }],
    ]);
    expect((await verify(project, { instance })).artefacts.map((c) => c.status)).toEqual([
      'intact',
      'intact',
    ]);
  });
});
