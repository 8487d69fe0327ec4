/**
 * Regressions found reviewing issue 13: an instance assembled from parts says which part is
 * missing when it is made, not as a failure of the first asset that needs it; a user can
 * write a part with the public types alone.
 */

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ArtefactHealth,
  type ArtefactStore,
  asset,
  createInstance,
  defineProject,
  EnvironmentError,
  type InstanceParts,
  materialize,
  type StoredArtefact,
  type StoredObject,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

describe('createInstance', () => {
  it('names a missing or malformed part', () => {
    const { eventLog, artefacts } = tempInstance();
    const cases: Array<[Partial<InstanceParts>, string]> = [
      [{ artefacts }, 'eventLog'],
      [{ eventLog }, 'artefacts'],
      [{ eventLog: {} as never, artefacts }, 'eventLog'],
      [{ eventLog, artefacts, executor: {} as never }, 'executor'],
    ];
    for (const [parts, missing] of cases) {
      expect(() => createInstance(parts as InstanceParts)).toThrow(EnvironmentError);
      expect(() => createInstance(parts as InstanceParts)).toThrow(`createInstance: ${missing}`);
    }
    expect(createInstance({ eventLog, artefacts }).executor.name).toBe('in-process');
  });
});

/** An artefact store a user writes from the public API alone: bytes in memory. */
class MemoryArtefacts implements ArtefactStore {
  readonly blobs = new Map<string, Uint8Array>();
  async putBytes(bytes: Uint8Array): Promise<StoredArtefact> {
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    this.blobs.set(contentHash, bytes);
    return { location: contentHash, contentHash, size: bytes.byteLength, type: 'blob' };
  }
  async putPath(): Promise<StoredArtefact> {
    throw new Error('files are not supported');
  }
  async read(location: string): Promise<Uint8Array> {
    const bytes = this.blobs.get(location);
    if (bytes === undefined) throw new Error(`no artefact ${location}`);
    return bytes;
  }
  async localPath(): Promise<string> {
    throw new Error('files are not supported');
  }
  async exists(location: string): Promise<boolean> {
    return this.blobs.has(location);
  }
  async verify(location: string): Promise<ArtefactHealth> {
    const bytes = this.blobs.get(location);
    if (bytes === undefined) return { status: 'missing' };
    const actualHash = createHash('sha256').update(bytes).digest('hex');
    return actualHash === location
      ? { status: 'intact', hashed: true }
      : { status: 'corrupt', actualHash };
  }
  async *list(): AsyncIterable<StoredObject> {
    for (const [location, bytes] of this.blobs) {
      yield { location, size: bytes.byteLength, modifiedAt: 0 };
    }
  }
  async remove(location: string): Promise<boolean> {
    return this.blobs.delete(location);
  }
  async tempPath(): Promise<string> {
    throw new Error('files are not supported');
  }
  async discard(): Promise<void> {}
  async close(): Promise<void> {}
}

describe('an instance from a user-written part', () => {
  it('runs with an artefact store typed by the public ArtefactStore', async () => {
    const artefacts = new MemoryArtefacts();
    const instance = createInstance({ eventLog: tempInstance().eventLog, artefacts });
    const a = asset({ key: 'a', materialize: () => ({ n: 1 }) });
    const b = asset({ key: 'b', ins: { a }, materialize: (_c, { a }) => a.n + 1 });
    const result = await materialize(defineProject({ assets: [a, b] }), { instance });
    expect(result.status).toBe('success');
    expect(artefacts.blobs.size).toBe(2);
  });
});
