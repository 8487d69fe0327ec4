/**
 * @module execution/_scratch-store
 * The artefact store a reproduction runs against: it reads inputs from the instance's store
 * and writes everything it makes into a scratch store in the temp folder, so re-running a
 * step never changes what the instance holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ArtefactHealth,
  type ArtefactStore,
  LocalArtefactStore,
  type PutOptions,
  type StoredArtefact,
  type StoredObject,
} from '../artefacts/index.js';

export class ScratchArtefacts implements ArtefactStore {
  /** Where reproductions write (its locations are the same content addresses). */
  readonly scratch: LocalArtefactStore;
  private readonly dir: string;

  constructor(private readonly real: ArtefactStore) {
    this.dir = mkdtempSync(join(tmpdir(), 'weir-verify-'));
    this.scratch = new LocalArtefactStore(join(this.dir, 'artefacts'));
  }

  putBytes(bytes: Uint8Array, options?: PutOptions): Promise<StoredArtefact> {
    return this.scratch.putBytes(bytes, options);
  }

  putPath(path: string, options?: PutOptions): Promise<StoredArtefact> {
    return this.scratch.putPath(path, options);
  }

  async read(location: string): Promise<Uint8Array> {
    return (await this.scratch.exists(location))
      ? this.scratch.read(location)
      : this.real.read(location);
  }

  async localPath(location: string, options?: { storedAt?: number }): Promise<string> {
    return (await this.scratch.exists(location))
      ? this.scratch.localPath(location)
      : this.real.localPath(location, options);
  }

  async exists(location: string): Promise<boolean> {
    return (await this.scratch.exists(location)) || this.real.exists(location);
  }

  async verify(
    location: string,
    options?: { deep?: boolean; storedAt?: number },
  ): Promise<ArtefactHealth> {
    return (await this.scratch.exists(location))
      ? this.scratch.verify(location, options)
      : this.real.verify(location, options);
  }

  list(): AsyncIterable<StoredObject> {
    return this.scratch.list();
  }

  remove(location: string, options: { unlessModifiedAfter: number }): Promise<boolean> {
    return this.scratch.remove(location, options);
  }

  tempPath(label: string): Promise<string> {
    return this.scratch.tempPath(label);
  }

  discard(path: string): Promise<void> {
    return this.scratch.discard(path);
  }

  /** Removes the scratch store and everything reproduced into it. */
  async close(): Promise<void> {
    await this.scratch.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
