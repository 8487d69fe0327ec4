/**
 * `verify`, cases found by trying to break it: an artefact two assets share (same content).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArtefactError,
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

describe('verify --repair when a rewrite fails', () => {
  it('reports that artefact as not repaired, with why, and still repairs and reports the others', async () => {
    const instance = tempInstance();
    const first = asset({ key: 'first', materialize: () => ({ n: 1 }) });
    const second = asset({ key: 'second', materialize: () => ({ n: 2 }) });
    const project = defineProject({ assets: [first, second] });
    await materialize(project, { instance });
    const root = (instance.artefacts as LocalArtefactStore).root;
    for (const record of await instance.eventLog.latest(['first', 'second'])) {
      flipByte(join(root, record.usable!.materialization.artefact.location), { keepMtime: true });
    }
    const store = instance.artefacts;
    const putBytes = store.putBytes.bind(store);
    let puts = 0;
    store.putBytes = async (bytes, options) => {
      puts += 1;
      if (puts === 1) {
        throw new ArtefactError('read-only', 'cannot write first: objects/… is read-only (EACCES)');
      }
      return putBytes(bytes, options);
    };
    const report = await verify(project, { instance, repair: true });
    expect(report.artefacts.map((c) => [c.assetKey, c.status, c.repair])).toEqual([
      [
        'first',
        'corrupt',
        { repaired: false, reason: 'cannot write first: objects/… is read-only (EACCES)' },
      ],
      ['second', 'intact', { repaired: true }],
    ]);
  });
});
